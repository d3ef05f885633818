"""Signposting counts (issue 18 point 2): how often families were sent to each directory
service in a period, from a front door "information and signposting" decision, a plan
action or a closure, by service, by Supporting Families headline need (the needs the
service meets, from the directory), by the family's district and by the service's hub.

Counted within the viewer's reporting scope (reporting/selectors.py): managers and
consultants the requests and cases they may see; strategic viewers and administrators the
whole authority, with small numbers suppressed (reporting/indicators.suppress_rows). A fixed
number of grouped queries, whatever the data: one per route, then names for the rows."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F

from assessments.models import PlanAction
from cases.models import CaseClosure, NeedFramework
from directory.models import ServiceNeed
from partners.models import District, Service
from referrals.models import TriageDecision
from reporting.indicators import suppress, suppress_rows
from reporting.selectors import Period, Scope

NO_HUB = "Not at a family hub"
NO_NEED = "No headline need recorded"
ROUTES = (
    ("decisions", "Front door decisions (information and signposting)"),
    ("plan_actions", "Plan actions"),
    ("closures", "Closures (stepped down to universal services)"),
)


@dataclass
class SignpostingReport:
    total: int = 0
    by_route: list[tuple] = field(default_factory=list)
    by_service: list[tuple] = field(default_factory=list)  # (name, n, hub)
    by_need: list[tuple] = field(default_factory=list)
    by_district: list[tuple] = field(default_factory=list)
    by_hub: list[tuple] = field(default_factory=list)

    def shown(self, *, suppressed: bool) -> "SignpostingReport":
        """As a viewer sees it: aggregate-only viewers get '<5' (and '[c]' where a hidden
        number could be worked out from the total) in every breakdown."""
        if not suppressed:
            return self
        return SignpostingReport(
            total=suppress(self.total),
            by_route=suppress_rows(self.by_route, suppressed=True),
            by_service=suppress_rows(self.by_service, suppressed=True),
            by_need=suppress_rows(self.by_need, suppressed=True),
            by_district=suppress_rows(self.by_district, suppressed=True),
            by_hub=suppress_rows(self.by_hub, suppressed=True),
        )

    def rows(self) -> list[list]:
        """For the CSV and Excel download: breakdown, item, times signposted (, hub)."""
        out = [["Total", "All services", self.total, ""]]
        for title, rows in (
            ("Route", self.by_route),
            ("Service", self.by_service),
            ("Headline need", self.by_need),
            ("District", self.by_district),
            ("Family hub", self.by_hub),
        ):
            out += [[title, row[0], row[1], row[2] if len(row) > 2 else ""] for row in rows]
        return out


HEADER = ["Breakdown", "Item", "Times signposted", "Family hub of the service"]


def _grouped(through, record: str, case_path: str, day_filter: dict, scope_filter: dict):
    return (
        through.objects.filter(**day_filter, **scope_filter)
        .values("service_id", district=F(f"{record}__{case_path}district_id"))
        .annotate(n=Count("pk"))
        .values_list("service_id", "district", "n")
    )


def signposting_for(scope: Scope, period: Period) -> SignpostingReport:
    """The report for a scope and period: every time a service was picked, counted once."""
    span = (period.start, period.end)
    cases = scope.cases.values("pk")
    routes = {
        "decisions": _grouped(
            TriageDecision.signposted_services.through,
            "triagedecision",
            "referral__",
            {"triagedecision__decided_at__date__range": span},
            {"triagedecision__referral__in": scope.referrals.values("pk")},
        ),
        "plan_actions": _grouped(
            PlanAction.services.through,
            "planaction",
            "outcome__plan__case__",
            {"planaction__set_on__range": span},
            {"planaction__outcome__plan__case__in": cases},
        ),
        "closures": _grouped(
            CaseClosure.signposted_services.through,
            "caseclosure",
            "case__",
            {"caseclosure__closed_on__range": span},
            {"caseclosure__case__in": cases},
        ),
    }
    by_route: Counter = Counter()
    by_service: Counter = Counter()
    by_district: Counter = Counter()
    for route, rows in routes.items():
        for service_id, district_id, n in rows:
            by_route[route] += n
            by_service[service_id] += n
            by_district[district_id] += n
    report = SignpostingReport(total=sum(by_route.values()))
    report.by_route = [(label, by_route[key]) for key, label in ROUTES]
    if not by_service:
        return report

    services = {
        pk: (name, hub)
        for pk, name, hub in Service.objects.filter(pk__in=list(by_service)).values_list(
            "pk", "name", "family_hub__name"
        )
    }
    report.by_service = sorted(
        ((services[pk][0], n, services[pk][1] or NO_HUB) for pk, n in by_service.items()),
        key=lambda row: (-row[1], row[0]),
    )
    hubs: Counter = Counter()
    for pk, n in by_service.items():
        hubs[services[pk][1] or NO_HUB] += n
    report.by_hub = _ranked(hubs)

    needs_of: dict[int, list[str]] = {}
    order: dict[str, int] = {}
    for service_id, label, rank in ServiceNeed.objects.filter(
        service_id__in=list(by_service), need__framework=NeedFramework.SUPPORTING_FAMILIES
    ).values_list("service_id", "need__label", "need__order"):
        needs_of.setdefault(service_id, []).append(label)
        order[label] = rank
    needs: Counter = Counter()
    for pk, n in by_service.items():
        for label in needs_of.get(pk) or [NO_NEED]:
            needs[label] += n
    report.by_need = sorted(needs.items(), key=lambda row: (order.get(row[0], 999), row[0]))

    names = dict(District.objects.filter(pk__in=list(by_district)).values_list("pk", "name"))
    report.by_district = sorted(
        ((names.get(pk, "Unknown district"), n) for pk, n in by_district.items()),
        key=lambda row: row[0],
    )
    return report


def _ranked(counts: Counter) -> list[tuple]:
    return sorted(counts.items(), key=lambda row: (-row[1], row[0]))
