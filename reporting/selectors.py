"""Whose records a figure counts: the reporting scope (DESIGN.md "Access").

Scope decision
--------------
- Team manager (MANAGERS): the cases `cases.access.cases_visible_to` gives them (their
  districts for a council early help team, their agency's cases for a partner agency) and the
  requests `referrals.access.referrals_visible_to` gives them. Their figures drill down to the
  lists of those cases. They see real numbers: they may read every record counted.
- Early help consultant (FIGURES): the same scoped querysets (their districts), figures only
  on the indicators page; sampling and auditing cases on the quality assurance pages.
- Strategic viewer and administrator (FIGURES): authority-wide aggregates only. They may not
  read any record, so they get no drill-down lists and no names, and every count below 5 is
  shown as '<5' (small-number suppression, reporting/indicators.suppress). The querysets
  behind their figures are unscoped by design; only numbers ever leave this module for them.

Filters (district, agency) narrow a scope; they never widen it: a district outside a
manager's scope simply gives no cases.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from cases.access import cases_visible_to
from cases.models import EarlyHelpCase
from partners.models import Agency, District
from reporting.access import sees_figures_only


@dataclass(frozen=True)
class Period:
    """A reporting period, both ends inclusive."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("The period must end on or after its start")

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    @classmethod
    def quarter_of(cls, day: datetime.date) -> "Period":
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = datetime.date(day.year, first_month, 1)
        return cls(start, _add_months(start, 3) - datetime.timedelta(days=1))

    def previous_quarters(self, count: int) -> list["Period"]:
        """The `count` quarters before this one's quarter, oldest first."""
        quarters = []
        start = Period.quarter_of(self.start).start
        for _ in range(count):
            start = _add_months(start, -3)
            quarters.append(Period(start, _add_months(start, 3) - datetime.timedelta(days=1)))
        return list(reversed(quarters))

    @property
    def report_label(self) -> str:
        """What a report on this period is called: 'Q1 2026-27' when the period is exactly
        one quarter, else its dates (a board report's title names the period chosen)."""
        quarter = Period.quarter_of(self.start)
        if (quarter.start, quarter.end) == (self.start, self.end):
            return self.quarter_label
        return self.label

    @property
    def quarter_label(self) -> str:
        """Financial-year quarter label, as boards use: 'Q1 2026-27' (April to June)."""
        fy = self.start.year if self.start.month >= 4 else self.start.year - 1
        q = ((self.start.month - 4) % 12) // 3 + 1
        return f"Q{q} {fy}-{str(fy + 1)[2:]}"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class Scope:
    """The records a set of figures counts, and how the figures may be shown."""

    cases: QuerySet
    referrals: QuerySet
    aggregate_only: bool
    district: District | None = None
    agency: Agency | None = None
    description: str = ""
    districts: list = field(default_factory=list)
    agencies: list = field(default_factory=list)
    user: object = None  # whose scope (the summaries apply the same rules to their copies)

    @property
    def suppress(self) -> bool:
        return self.aggregate_only

    @property
    def drill_down(self) -> bool:
        return not self.aggregate_only


def _referrals_visible_to(user) -> QuerySet:
    from referrals.access import referrals_visible_to

    return referrals_visible_to(user)


def _all_referrals() -> QuerySet:
    from referrals.models import Referral

    return Referral.objects.exclude(status="draft")


def reporting_scope_for(
    user, *, district: District | None = None, agency: Agency | None = None
) -> Scope:
    """The scope of `user`'s figures, narrowed by the optional filters."""
    aggregate_only = sees_figures_only(user)
    if aggregate_only:
        cases = EarlyHelpCase.objects.all()
        referrals = _all_referrals()
        description = "the whole authority"
    else:
        cases = cases_visible_to(user)
        referrals = _referrals_visible_to(user)
        description = "the cases you can see"
    if district is not None:
        cases = cases.filter(district=district)
        referrals = referrals.filter(district=district)
    if agency is not None:
        cases = cases.filter(lead_agency=agency)
        referrals = referrals.filter(decision__allocated_agency=agency)
    return Scope(
        cases=cases,
        referrals=referrals,
        aggregate_only=aggregate_only,
        district=district,
        agency=agency,
        description=description,
        user=user,
    )


def filter_choices_for(user) -> tuple[QuerySet, QuerySet]:
    """Districts and agencies a user may filter by: their own places for managers and
    consultants; all for aggregate-only viewers."""
    if sees_figures_only(user):
        return District.objects.all(), Agency.objects.filter(active=True)
    # From the user's place, not from their cases: a filter only narrows the scope, and
    # reading every case in a county to build two drop-downs costs more than the page.
    districts = District.objects.filter(Q(staff=user) | Q(agencies=user.agency_id))
    agencies = Agency.objects.filter(
        Q(districts__in=user.districts.values("pk")) | Q(pk=user.agency_id)
    )
    return districts.distinct(), agencies.distinct()
