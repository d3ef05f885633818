"""Reads for the casework pages. Always start from the user's scope (cases/access.py)."""

import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db.models import (
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Least

from cases import access
from cases.codes import Relationship
from cases.models import (
    ChronologyEntry,
    ConsentRecord,
    EarlyHelpCase,
    Family,
    FamilyMembership,
    NoteCorrection,
    Person,
    TeamAroundFamilyMember,
)
from earlyhelp.compiled import STAND_IN, CompiledRead, CompiledReads, kept_read
from partners import doors
from partners.models import Agency, District, User

CASE_SORTS = {
    "opened": ("-opened_on", "-pk"),
    "next_due": (F("next_due").asc(nulls_last=True), "pk"),
    "-next_due": (F("next_due").desc(nulls_last=True), "pk"),
}


def case_list_for(
    user,
    *,
    status: str = "",
    level: int | None = None,
    district: int | None = None,
    sort: str = "opened",
) -> QuerySet[EarlyHelpCase]:
    """Cases in the user's scope, restricted ones included but flagged `masked` (the page
    shows 'Restricted record — contact X'), each with `next_due` (the earliest date
    something is due, from the apps registered in cases/case_page.py). A constant number
    of queries per page."""
    return _case_list(
        access.cases_in_scope(user),
        user.pk,
        status=status,
        level=level,
        district=district,
        sort=sort,
    )


def _case_list(cases, user_id, *, status, level, district, sort) -> QuerySet[EarlyHelpCase]:
    """case_list_for from the user's scope `cases`."""
    from cases.case_page import next_due_expressions

    named = Family.named_people.through.objects.filter(
        family_id=OuterRef("family_id"), user_id=user_id
    )
    cases = _case_list_filtered(
        cases.select_related("family", "district", "lead_professional", "lead_agency"),
        status=status,
        level=level,
        district=district,
    ).annotate(named=Exists(named))
    expressions = next_due_expressions()
    if len(expressions) > 1:
        cases = cases.annotate(next_due=Least(*expressions))
    elif expressions:
        cases = cases.annotate(next_due=expressions[0])
    else:
        cases = cases.annotate(next_due=Value(None, output_field=DateField()))
    return cases.order_by(*CASE_SORTS.get(sort, CASE_SORTS["opened"]))


def _case_list_filtered(cases, *, status, level, district):
    if status:
        cases = cases.filter(status=status)
    if level:
        cases = cases.filter(level_of_need=level)
    if district:
        cases = cases.filter(district_id=district)
    return cases


class CaseListRead:
    """The case list (case_list_for) for a Paginator: its count and its first page read
    through compiled reads (earlyhelp/compiled.py), one pair per kind of scope, set of
    filters chosen, sort and page size, built once per process from the same _scope_q and
    _case_list with stand-ins; building the list's query (the scope, the `named` check and
    every app's next-due subqueries) took longer than running it. Any other page (its
    OFFSET is written into the SQL) reads through the ORM; so does a user with no agency, a
    break glass or no cases at all (tests/access/test_case_list_read.py: the same rows for
    every role)."""

    _STAND_INS = {"user_id": -918273681, "agency_id": -918273682}
    # A filter's stand-in fits its column: the level of need is a positive small integer.
    _FILTER_STAND_INS = {"status": "stand-in status", "level": 32109, "district": -918273683}

    def __init__(self):
        self._reads = CompiledReads()

    def items(self, user, per_page: int, *, status, level, district, sort):
        """What to paginate: the list's queryset, or its compiled reads with the same
        count and first page."""
        filters = {"status": status, "level": level, "district": district}
        kind = access._scope_kind(user)
        if kind not in (access.OWN, access.DISTRICTS, access.AGENCY) or user.agency_id is None:
            return case_list_for(user, **filters, sort=sort)
        sort = sort if sort in CASE_SORTS else "opened"
        chosen = tuple(name for name, value in filters.items() if value)
        key = (kind, chosen, sort, per_page)
        reads = self._reads.of(key, lambda: self._compiled(*key))
        if reads is None:
            return case_list_for(user, **filters, sort=sort)
        values = {"user_id": user.pk, "agency_id": user.agency_id}
        values.update((name, filters[name]) for name in chosen)
        return _CompiledCaseList(
            *reads, values, per_page, lambda: case_list_for(user, **filters, sort=sort)
        )

    def _compiled(self, kind, chosen, sort, per_page):
        stand_ins = {**self._STAND_INS, **{n: self._FILTER_STAND_INS[n] for n in chosen}}
        filters = {n: stand_ins.get(n) for n in ("status", "level", "district")}
        user_id, agency_id = stand_ins["user_id"], stand_ins["agency_id"]
        scope = EarlyHelpCase.objects.filter(access._scope_q(kind, user_id, agency_id))
        # COUNT as a plain function: an aggregate in values_list() would group by every column.
        count = (
            _case_list_filtered(scope, **filters)
            .order_by()
            .values_list(Func(F("pk"), function="COUNT", output_field=IntegerField()))
        )
        page = _case_list(scope, user_id, **filters, sort=sort)[:per_page]
        reads = (kept_read(count, stand_ins), kept_read(page, stand_ins))
        return None if None in reads else reads


_USER_DISTRICTS = CompiledRead(
    lambda user_id: District.objects.filter(pk__in=User(pk=user_id).districts.values("pk")),
    user_id=STAND_IN,
)


def districts_of(user) -> list[District]:
    """The user's districts by name (the case list's district filter), read through a
    compiled read: the list draws them on every view."""
    return _USER_DISTRICTS.rows(user_id=user.pk)


class _CompiledCaseList:
    """The list a Paginator pages: count() and the first page from the compiled reads,
    any other slice from the ORM's queryset."""

    def __init__(self, count_read, page_read, values, per_page, queryset):
        self._count_read, self._page_read = count_read, page_read
        self._values, self._per_page, self._queryset = values, per_page, queryset

    def count(self) -> int:
        return self._count_read.rows(**self._values)[0][0]

    def __getitem__(self, key: slice):
        if key.start in (0, None) and key.stop is not None and key.stop <= self._per_page:
            if key.stop <= 0:
                return []  # as the queryset's empty slice: no query
            return self._page_read.rows(**self._values)[: key.stop]
        return self._queryset()[key]


def record_and_merged_ids(person_pk: int) -> list[int]:
    """The person and every record merged into them (directly or through another merge)."""
    ids, frontier = [person_pk], [person_pk]
    while frontier:
        frontier = list(
            Person.objects.filter(merged_into__in=frontier).values_list("pk", flat=True)
        )
        frontier = [pk for pk in frontier if pk not in ids]
        ids += frontier
    return ids


def get_case_for_work(user, pk) -> EarlyHelpCase:
    """The case if the user may record work on it; 404 out of scope, 403 if read-only."""
    case = access.get_case_for(user, pk)
    if not access.can_work_on_case(user, case):
        raise PermissionDenied("You can read this case but not record work on it.")
    return case


def case_page_annotations() -> dict:
    """What the case page needs beside the case, read in the case's own query: the ids of
    the case's children, and whether it has any of the lists most cases never have (no
    consent decisions, steps up or down, closure requests, step-up requests), so the page
    reads those only when there is something to show."""
    from cases.models import ClosureRequest, NoConsentDecision, StepEvent, StepUpRequest

    def on_this_case(model):
        return Exists(model.objects.filter(case_id=OuterRef("pk")))

    return {
        "child_ids": ArraySubquery(
            EarlyHelpCase.children.through.objects.filter(earlyhelpcase_id=OuterRef("pk")).values(
                "person_id"
            )
        ),
        "has_no_consent_decisions": on_this_case(NoConsentDecision),
        "has_step_events": on_this_case(StepEvent),
        "has_closure_requests": on_this_case(ClosureRequest),
        "has_step_up_requests": on_this_case(StepUpRequest),
    }


def chronology_for(case: EarlyHelpCase, *, kind: str = "") -> QuerySet[ChronologyEntry]:
    """The case's chronology, each entry with its corrections in order (`correction_list`:
    a plain list, where a prefetch into `corrections` filtered a queryset for every entry)."""
    entries = (
        ChronologyEntry.objects.filter(case=case)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "corrections",
                NoteCorrection.objects.select_related("corrected_by"),
                to_attr="correction_list",
            )
        )
    )
    if kind:
        entries = entries.filter(kind=kind)
    return entries


# The case page's reads of a case's lists, compiled once per process (earlyhelp/compiled.py):
# building each query took longer than PostgreSQL took to answer it.
_FAMILY_MEMBERS = CompiledRead(
    lambda family_id: (
        FamilyMembership.objects.filter(family_id=family_id)
        .select_related("person")
        .order_by("relationship", "person__pk")
    ),
    family_id=STAND_IN,
)


def family_members(case: EarlyHelpCase) -> list[FamilyMembership]:
    members = _FAMILY_MEMBERS.rows(family_id=case.family_id)
    for member in members:
        member.family = case.family  # the family the case holds, not a read for each
    return members


def adults_and_young_people(case: EarlyHelpCase) -> list[tuple[int, str]]:
    """Who can give consent: each adult, and children aged 12 or over (a young person
    where appropriate, by the professional's judgement)."""
    today = datetime.date.today()
    people = []
    for m in family_members(case):
        age = m.person.age_on(today)
        if m.relationship != Relationship.CHILD:
            people.append((m.person_id, f"{m.person.full_name} ({m.get_relationship_display()})"))
        elif age is not None and age >= 12:
            people.append((m.person_id, f"{m.person.full_name} (young person, {age})"))
    return people


_CONSENTS = CompiledRead(
    lambda case_id: (
        ConsentRecord.objects.filter(case_id=case_id)
        .select_related("given_by", "recorded_by")
        .annotate(
            shared_with_names=ArraySubquery(
                Agency.objects.filter(consents=OuterRef("pk")).values("name")
            )
        )
    ),
    case_id=STAND_IN,
)


def consents_for(case: EarlyHelpCase) -> list[ConsentRecord]:
    """The case's consents, each with the names of the agencies it shares with
    (`shared_with_names`, in the agencies' order), read in the same query."""
    consents = _CONSENTS.rows(case_id=case.pk)
    for consent in consents:
        consent.case = case
    return consents


def consented_agencies(case: EarlyHelpCase) -> QuerySet[Agency]:
    return Agency.objects.filter(
        Q(pk=case.lead_agency_id) | Q(consents__case=case, consents__withdrawn_on__isnull=True)
    ).distinct()


def taf_members_without_email(case: EarlyHelpCase) -> list[str]:
    """Names of current members who cannot be emailed (no account and no address): the
    page tells the lead to invite them another way."""
    return [
        m.contact_name
        for m in case.taf_members.filter(
            left_on__isnull=True, user__isnull=True, contact_email=""
        ).only("contact_name")
    ]


_CURRENT_TAF = CompiledRead(
    lambda case_id: TeamAroundFamilyMember.objects.filter(
        case_id=case_id, left_on__isnull=True
    ).select_related("user", "agency"),
    case_id=STAND_IN,
)


def taf_members_for(case: EarlyHelpCase, *, current_only: bool = True):
    if not current_only:
        return list(case.taf_members.select_related("user", "agency"))
    members = _CURRENT_TAF.rows(case_id=case.pk)
    for member in members:
        member.case = case
    return members


def users_who_may_join(case: EarlyHelpCase) -> QuerySet[User]:
    """Professionals from agencies the family has consented to share with (or the lead
    agency), in the case's district, not already on the team."""
    current = TeamAroundFamilyMember.objects.filter(
        case=case, left_on__isnull=True, user__isnull=False
    ).values("user_id")
    return (
        access.staff_who_may_join_teams()
        .filter(agency__in=consented_agencies(case))
        .exclude(pk__in=current)
        .exclude(pk=case.lead_professional_id)
        .select_related("agency")
        .order_by("full_name")
    )


# --- Allocation and step-up (issue 12) -----------------------------------------------------


def cases_awaiting_allocation_for(user) -> QuerySet[EarlyHelpCase]:
    """The manager's allocation queue: waiting cases of their team (their agency), or of
    their districts for a council early help manager; significant harm first, then the
    longest waiting. Reused by the home page's work tray."""
    if not doors.MANAGERS.allows(user):
        return EarlyHelpCase.objects.none()
    return (
        access.cases_visible_to(user)
        .filter(status="awaiting_allocation")
        .select_related("family", "district", "lead_agency", "queued_by")
        .order_by("-significant_harm", "queued_on", "pk")
    )


def eligible_leads_for(case: EarlyHelpCase) -> QuerySet[User]:
    """Who may lead the case: active practitioners and managers of its allocated agency."""
    return (
        access.staff_who_may_lead()
        .filter(agency_id=case.lead_agency_id)
        .order_by("full_name", "pk")
    )


def teams_for_queue(case: EarlyHelpCase) -> QuerySet[Agency]:
    """Teams a waiting case may be sent to: other active agencies serving its district."""
    return (
        Agency.objects.filter(active=True, districts=case.district_id)
        .exclude(pk=case.lead_agency_id)
        .exclude(kind="social_care")
        .order_by("name")
    )


def step_up_queue_for(user):
    """Pending step-up requests for social care in the user's districts, significant harm
    first, then the oldest."""
    return (
        access.step_up_requests_visible_to(user)
        .filter(status="pending")
        .select_related("family", "case", "district", "requested_by")
        .order_by("-significant_harm", "requested_at", "pk")
    )


def step_up_requests_for_case(case: EarlyHelpCase):
    return case.step_up_requests.select_related("requested_by", "decided_by").order_by(
        "-requested_at"
    )


def has_consent_to_assessment(case: EarlyHelpCase) -> bool:
    """Consent to the assessment, given by any member of the family (a young person for
    themselves included) and not withdrawn."""
    return ConsentRecord.objects.filter(
        case=case, withdrawn_on__isnull=True, to_assessment=True
    ).exists()


def consent_to_assessment_among(consents: list[ConsentRecord]) -> bool:
    """has_consent_to_assessment, from all of a case's consents already read (consents_for)."""
    return any(c.to_assessment and c.withdrawn_on is None for c in consents)
