"""Every read of requests for support a person may make; each starts from the user's scope."""

import datetime
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Greatest
from django.utils import timezone

from cases.access import kind_of_user, stand_in_user
from cases.matching import Candidate, candidates_for  # noqa: F401  (the front door's matching)
from cases.models import CaseStatus, EarlyHelpCase, Family, FamilyMembership, Person
from cases.validators import normalise_postcode
from earlyhelp.compiled import CompiledRead, CompiledReads, kept_read, one_of
from earlyhelp.working_days import working_days_between
from partners.models import District, User
from referrals.access import referrals_visible_to
from referrals.models import Referral, ReferralPerson, ReferralStatus, Urgency

QUEUE_STATUSES = (ReferralStatus.SUBMITTED, ReferralStatus.IN_TRIAGE)


def triage_queue_for(
    user,
    *,
    district_id: int | None = None,
    urgency: str = "",
    state: str = "",
    step_down: bool = False,
    overdue: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Referral]:
    """Open requests for the user's districts: possible harm first, then urgent, then oldest.

    One query for the rows plus one for their people, however many rows there are.
    """
    today = today or timezone.localdate()
    queue = (
        referrals_visible_to(user)
        .filter(status__in=QUEUE_STATUSES, district__in=user.districts.all())
        .select_related("district", "picked_up_by", "referrer_agency")
        .prefetch_related(Prefetch("people", _queue_children(), "children"))
        .annotate(
            urgency_rank=Case(
                When(urgency=Urgency.URGENT, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("-possible_step_up", "urgency_rank", "received_at", "pk")
    )
    if district_id:
        queue = queue.filter(district_id=district_id)
    if urgency in Urgency.values:
        queue = queue.filter(urgency=urgency)
    if state == "new":
        queue = queue.filter(status=ReferralStatus.SUBMITTED)
    elif state == "mine":
        queue = queue.filter(picked_up_by=user)
    elif state == "picked_up":
        queue = queue.filter(status=ReferralStatus.IN_TRIAGE)
    if step_down:
        queue = queue.filter(channel="step_down")
    if overdue:
        queue = queue.filter(due_on__lt=today)
    return queue


def _queue_children() -> QuerySet[ReferralPerson]:
    return ReferralPerson.objects.filter(relationship="child")


QUEUE_STATES = ("new", "mine", "picked_up")


class TriageQueueFirstPage:
    """triage_queue_for's first page, its count and its children, through compiled reads
    (earlyhelp/compiled.py): the front door opens the queue all day, and building its scoped,
    filtered query took longer than running it. The rows and the count come in one query
    (COUNT(*) OVER ()), as OnePassPaginator reads them. Compiled once per process for each
    kind of user (role, and a manager's agency kind: all referrals/access.py's scope depends
    on besides ids) and each shape of filters, from triage_queue_for itself with a stand-in
    user; a user with no agency, an inactive one or a later page reads through the ORM
    (tests/access/test_triage_queue_read.py: the same page for every role and filter)."""

    _STAND_INS = {
        "user_id": -918273681,
        "agency_id": -918273682,
        "district_id": -918273683,
        "today": datetime.date(1001, 1, 1),
    }

    def __init__(self, per_page: int = 50):
        self.per_page = per_page
        self._reads = CompiledReads()
        # The page's children, for any number of requests: their ids as one array.
        self._children = CompiledRead(
            lambda ids: _queue_children().filter(one_of("referral_id", ids)),
            ids=[-918273684],
        )

    def page(self, user, number, *, district_id, urgency, state, step_down, overdue) -> Page:
        """Page `number` (as the request gave it) of the user's queue with these filters."""
        filters = {
            "district_id": district_id,
            "urgency": urgency if urgency in Urgency.values else "",
            "state": state if state in QUEUE_STATES else "",
            "step_down": step_down,
            "overdue": overdue,
        }
        read = None
        kind = kind_of_user(user) if number in (None, "", "1") else None
        if kind is not None:
            key = (kind, bool(district_id), *list(filters.values())[1:])
            read = self._reads.of(key, lambda: self._compiled(kind, filters))
        if read is None:
            return Paginator(triage_queue_for(user, **filters), self.per_page).get_page(number)
        paginator = Paginator((), self.per_page)
        values = {
            "user_id": user.pk,
            "agency_id": user.agency_id,
            "district_id": district_id,
            "today": timezone.localdate(),
        }
        rows = read.rows(**values)
        if rows:
            children: dict[int, list] = {row.pk: [] for row in rows}
            for child in self._children.rows(ids=list(children)):
                children[child.referral_id].append(child)
            for row in rows:
                row.children = children[row.pk]
        paginator.__dict__["count"] = rows[0]._matches if rows else 0  # Paginator.count
        return paginator._get_page(rows, 1, paginator)

    def _compiled(self, kind, filters) -> CompiledRead | None:
        """The read for this kind of user and shape of filters (its SQL takes the agency
        only for a partner manager, the date only for overdue)."""
        stand_ins = self._STAND_INS
        user = stand_in_user(kind, user_id=stand_ins["user_id"], agency_id=stand_ins["agency_id"])
        if filters["district_id"]:
            filters = {**filters, "district_id": stand_ins["district_id"]}
        queue = triage_queue_for(user, **filters, today=stand_ins["today"])
        page = queue.prefetch_related(None).annotate(_matches=Window(Count("*")))
        return kept_read(page[: self.per_page], stand_ins, optional=stand_ins, dates=True)


TRIAGE_QUEUE_FIRST_PAGE = TriageQueueFirstPage()

# The districts a user works in, for the queue's filter.
_USER_DISTRICTS = CompiledRead(
    lambda user_id: District.objects.filter(
        pk__in=User.districts.through.objects.filter(user_id=user_id).values("district_id")
    ),
    user_id=-918273685,
)


def user_districts(user) -> list[District]:
    return _USER_DISTRICTS.rows(user_id=user.pk)


@dataclass
class Timeliness:
    working_days_open: int
    target_days: int
    due_on: datetime.date
    overdue_by: int

    @property
    def is_overdue(self) -> bool:
        return self.overdue_by > 0


def timeliness(referral: Referral, today: datetime.date | None = None) -> Timeliness:
    from referrals.rules import triage_target_days

    today = today or timezone.localdate()
    received = timezone.localdate(referral.received_at)
    due = referral.due_on or today
    return Timeliness(
        working_days_open=max(0, working_days_between(received, today)),
        target_days=triage_target_days(referral.urgency),
        due_on=due,
        overdue_by=max(0, working_days_between(due, today)),
    )


def referrals_made_by(user) -> QuerySet[Referral]:
    return (
        referrals_visible_to(user)
        .filter(Q(created_by=user) | Q(referrer_user=user))
        .select_related("district", "decision")
        .order_by("-created_at", "-pk")
    )


@dataclass
class FamilyKnown:
    family: Family
    open_cases: list[EarlyHelpCase]
    recently_closed: list[EarlyHelpCase]
    restricted: bool


def families_known(families: list[Family], today: datetime.date | None = None) -> list[FamilyKnown]:
    """For each family: its open cases with their lead professional, and any episode closed
    in the last 12 months (a new request is then a re-referral)."""
    today = today or timezone.localdate()
    year_ago = today - datetime.timedelta(days=365)
    unique = list({f.pk: f for f in families}.values())
    cases = (
        EarlyHelpCase.objects.filter(family__in=unique)
        .filter(~Q(status=CaseStatus.CLOSED) | Q(closed_on__gte=year_ago))
        .select_related("lead_professional", "lead_agency")
    )
    by_family: dict[int, list[EarlyHelpCase]] = {}
    for case in cases:
        by_family.setdefault(case.family_id, []).append(case)
    return [
        FamilyKnown(
            family=f,
            open_cases=[c for c in by_family.get(f.pk, []) if c.is_open],
            recently_closed=[c for c in by_family.get(f.pk, []) if not c.is_open],
            restricted=f.restricted,
        )
        for f in unique
    ]


def open_cases_of(family: Family | None) -> QuerySet[EarlyHelpCase]:
    if family is None:
        return EarlyHelpCase.objects.none()
    return (
        EarlyHelpCase.objects.filter(family=family)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("lead_professional", "lead_agency")
    )


def _years_ago(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def person_search(
    *,
    name: str = "",
    date_of_birth: datetime.date | None = None,
    identifier: str = "",
    postcode: str = "",
    district_id: int | None = None,
    age_from: int | None = None,
    age_to: int | None = None,
    people: QuerySet[Person],
    today: datetime.date | None = None,
) -> QuerySet[Person]:
    """Identity search (callers pass the people the user may search: cases/access.py
    people_searchable_by, so the scope rules are the caller's). A queryset, for real paging
    and counts. One word matches a first name or a surname, whole, by its start, or by
    sound-alike spelling (trigrams); with two or more words the last is the surname (by
    start or spelling) and the first ranks the results. Exact and starts-with matches rank
    above similar spellings."""
    today = today or timezone.localdate()
    qs = people
    if identifier:
        ident = identifier.replace(" ", "").upper()
        qs = qs.filter(Q(nhs_number=ident) | Q(upn=ident))
    if date_of_birth:
        qs = qs.filter(Q(date_of_birth=date_of_birth) | Q(expected_date=date_of_birth))
    if postcode:
        qs = qs.filter(
            pk__in=FamilyMembership.objects.filter(
                family__postcode=normalise_postcode(postcode)
            ).values("person_id")
        )
    if district_id:
        qs = qs.filter(
            pk__in=FamilyMembership.objects.filter(family__district_id=district_id).values(
                "person_id"
            )
        )
    if age_from is not None:
        qs = qs.filter(date_of_birth__lte=_years_ago(today, age_from))
    if age_to is not None:
        born_after = _years_ago(today, age_to + 1)
        qs = qs.filter(date_of_birth__gt=born_after)
    if name:
        parts = name.split()
        if len(parts) == 1:
            word = parts[0]
            qs = qs.filter(
                Q(first_name__istartswith=word)
                | Q(last_name__istartswith=word)
                | Q(first_name__trigram_similar=word)
                | Q(last_name__trigram_similar=word)
            ).annotate(
                sim=Greatest(
                    TrigramSimilarity("first_name", word), TrigramSimilarity("last_name", word)
                ),
                starts=Case(
                    When(Q(first_name__iexact=word) | Q(last_name__iexact=word), then=Value(2)),
                    When(
                        Q(first_name__istartswith=word) | Q(last_name__istartswith=word),
                        then=Value(1),
                    ),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
            )
        else:
            first, last = parts[0], parts[-1]
            # The surname narrows; the first name ranks (a nickname or a misspelt first
            # name must not hide the person, nor a restricted record's existence).
            qs = qs.filter(
                Q(last_name__istartswith=last) | Q(last_name__trigram_similar=last)
            ).annotate(
                sim=TrigramSimilarity("last_name", last) + TrigramSimilarity("first_name", first),
                starts=Case(
                    When(
                        Q(last_name__istartswith=last, first_name__istartswith=first),
                        then=Value(1),
                    ),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
            )
        qs = qs.order_by("-starts", "-sim", "last_name", "first_name", "pk")
    else:
        qs = qs.order_by("last_name", "first_name", "pk")
    return qs.prefetch_related(
        Prefetch(
            "memberships",
            FamilyMembership.objects.select_related("family", "family__district"),
        )
    )
