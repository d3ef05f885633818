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
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q, QuerySet

from cases.access import cases_visible_to
from cases.models import EarlyHelpCase
from earlyhelp.compiled import CompiledRead
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
    """The records a set of figures counts, and how the figures may be shown. The scoped
    querysets are built when first asked for: figures from the summaries apply the user's
    rules to their own copies and never need them."""

    build_cases: Callable[[], QuerySet]
    build_referrals: Callable[[], QuerySet]
    aggregate_only: bool
    district: District | None = None
    agency: Agency | None = None
    description: str = ""
    districts: list = field(default_factory=list)
    agencies: list = field(default_factory=list)
    user: object = None  # whose scope (the summaries apply the same rules to their copies)

    @cached_property
    def cases(self) -> QuerySet:
        return self.build_cases()

    @cached_property
    def referrals(self) -> QuerySet:
        return self.build_referrals()

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

    def cases() -> QuerySet:
        cases = EarlyHelpCase.objects.all() if aggregate_only else cases_visible_to(user)
        if district is not None:
            cases = cases.filter(district=district)
        if agency is not None:
            cases = cases.filter(lead_agency=agency)
        return cases

    def referrals() -> QuerySet:
        referrals = _all_referrals() if aggregate_only else _referrals_visible_to(user)
        if district is not None:
            referrals = referrals.filter(district=district)
        if agency is not None:
            referrals = referrals.filter(decision__allocated_agency=agency)
        return referrals

    return Scope(
        build_cases=cases,
        build_referrals=referrals,
        aggregate_only=aggregate_only,
        district=district,
        agency=agency,
        description="the whole authority" if aggregate_only else "the cases you can see",
        user=user,
    )


def filter_choices_for(user) -> tuple[QuerySet, QuerySet]:
    """Districts and agencies a user may filter by: their own places for managers and
    consultants; all for aggregate-only viewers."""
    if sees_figures_only(user):
        return _all_places()
    return _places_of(user.pk, user.agency_id)


def _all_places() -> tuple[QuerySet, QuerySet]:
    return District.objects.all(), Agency.objects.filter(active=True)


def _places_of(user_id, agency_id) -> tuple[QuerySet, QuerySet]:
    # From the user's place, not from their cases: a filter only narrows the scope, and
    # reading every case in a county to build two drop-downs costs more than the page.
    districts = District.objects.filter(Q(staff=user_id) | Q(agencies=agency_id))
    agencies = Agency.objects.filter(
        Q(districts__in=District.objects.filter(staff=user_id).values("pk")) | Q(pk=agency_id)
    )
    return districts.distinct(), agencies.distinct()


def _options(places: QuerySet) -> QuerySet:
    """A filter's options as (id, name) rows, in the queryset's order (a place's name is
    what its option shows)."""
    return places.values_list("pk", "name")


_STAND_INS = {"user_id": -918273661, "agency_id": -918273662}
_ALL_OPTIONS = tuple(CompiledRead(lambda i=i: _options(_all_places()[i])) for i in (0, 1))
_OPTIONS = tuple(
    CompiledRead(lambda i=i, **ids: _options(_places_of(**ids)[i]), **_STAND_INS) for i in (0, 1)
)


def filter_options_for(user) -> tuple[list, list] | None:
    """The (id, name) options of filter_choices_for(user), districts then agencies, read
    through compiled reads: the drop-downs are drawn on every dashboard and indicators
    view, and building their querysets and a model for each of a county's agencies cost more
    than reading them. None for a user with no agency (their querysets are drawn instead)."""
    if sees_figures_only(user):
        return tuple(read.rows() for read in _ALL_OPTIONS)
    if user.agency_id is None:
        return None
    ids = {"user_id": user.pk, "agency_id": user.agency_id}
    return tuple(read.rows(**ids) for read in _OPTIONS)
