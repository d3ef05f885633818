"""The access rules for children's records, in one place (DESIGN.md, "Access").

Every page, API endpoint, export and background job that shows case data to a person asks
these functions. Lists use the scoped querysets (one query, no per-row checks); single
records use get_*_for, which applies the same queryset and raises Http404 when the record
is out of scope, so guessing an ID reveals nothing.

- practitioner: cases they lead, or sit on the TAF for (a guardian grant) while the family's
  consent covers sharing with their agency;
- front door officer: searches identity details in their districts (people_searchable_by);
  case detail only once a case is allocated to them (lead or TAF), as for a practitioner;
- team manager: every case in their districts if their agency is a council early help team,
  otherwise every case led by their agency;
- early help consultant: read access to cases in their districts;
- strategic viewer: no records, figures only;
- administrator: no records, except a family opened by an audited, time-limited break glass.

Restricted families and people are hidden from everyone but the named people, who still see
that a restricted record exists and whom to contact.
"""

from functools import partial

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import (
    BreakGlass,
    ConsentRecord,
    EarlyHelpCase,
    EarlyHelpCaseUserObjectPermission,
    Family,
    FamilyMembership,
    Person,
)
from earlyhelp.compiled import CompiledRead
from earlyhelp.errors import DomainError, RestrictedRecord  # noqa: F401  (re-exported)
from partners import doors
from partners.models import Agency, AgencyKind, Role, User

TAF_PERMISSION = "work_on_case"


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _user_district_ids(user):
    return _district_ids_of(user.pk)


def _district_ids_of(user_id):
    return User.districts.through.objects.filter(user_id=user_id).values("district_id")


def _own_case_ids(user_id, agency_id) -> QuerySet:
    """Ids of the cases I lead, or whose TAF I am on while consent covers my agency.

    A UNION of two indexed lookups rather than an OR across them: PostgreSQL cannot use an
    index for `lead = me OR id IN (...)`, and at county scale that OR costs a full scan."""
    led = EarlyHelpCase.objects.filter(lead_professional_id=user_id).values("pk")
    on_taf = (
        EarlyHelpCaseUserObjectPermission.objects.filter(
            user_id=user_id, permission__codename=TAF_PERMISSION
        )
        .filter(
            Q(content_object__lead_agency_id=agency_id)
            | Exists(
                ConsentRecord.objects.filter(
                    case=OuterRef("content_object_id"),
                    withdrawn_on__isnull=True,
                    shared_with__id=agency_id,
                )
            )
        )
        .values("content_object_id")
    )
    return led.union(on_taf, all=True)


# The kinds of case scope: which branch of _scope_q a user's role and agency take.
OWN, DISTRICTS, AGENCY, BREAK_GLASS = "own", "districts", "agency", "break glass"


def _scope_kind(user) -> str | None:
    """The kind of case scope a user has, or None for no cases at all."""
    if not _active(user):
        return None
    role = user.role
    if role in (Role.PRACTITIONER, Role.FRONT_DOOR):
        return OWN
    if role == Role.TEAM_MANAGER:
        agency = user.agency
        return DISTRICTS if agency is not None and agency.is_council_early_help else AGENCY
    if role == Role.CONSULTANT:
        return DISTRICTS
    if role == Role.ADMINISTRATOR:
        return BREAK_GLASS
    return None


def _scope_q(kind: str, user_id, agency_id, case_id: str = "pk") -> Q:
    """The Q that selects the cases of a scope `kind` for a user (by id) and their agency.
    Wide scopes stay plain column filters (index-friendly for a whole authority); the user's
    own cases are added as ids."""
    if kind == BREAK_GLASS:
        return Q(family_id__in=_break_glass_family_ids(user_id))
    mine = Q(**{f"{case_id}__in": _own_case_ids(user_id, agency_id)})
    if kind == DISTRICTS:
        return Q(district_id__in=_district_ids_of(user_id)) | mine
    if kind == AGENCY:
        return Q(lead_agency_id=agency_id) | mine
    return mine


def kind_of_user(user) -> tuple | None:
    """What every scope rule (cases', requests', the summaries') decides by, besides the ids
    of a user and their agency: their role and, for a manager, their agency's kind (a council
    team reaches its districts, a partner its own cases). Reads compiled once for a stand-in
    of each kind (stand_in_user) are keyed by it; a rule that comes to read another
    attribute of the user must add it here. None: an inactive user or one with no agency,
    who read through the ORM."""
    if not _active(user) or user.agency_id is None:
        return None
    return (user.role, user.agency.kind if user.role == Role.TEAM_MANAGER else None)


def stand_in_user(kind: tuple, *, user_id: int, agency_id: int) -> User:
    """An unsaved user of `kind` (kind_of_user) with stand-in ids, to build a read from."""
    role, agency_kind = kind
    user = User(pk=user_id, role=role, is_active=True)
    user.agency = Agency(pk=agency_id, **({"kind": agency_kind} if agency_kind else {}))
    return user


def _case_scope(user, case_id: str = "pk") -> Q | None:
    """The Q that selects a user's cases before restriction, or None for no cases at all.
    `case_id` names the case's id column (another table copying a case's columns)."""
    kind = _scope_kind(user)
    return None if kind is None else _scope_q(kind, user.pk, user.agency_id, case_id)


def _break_glass_family_ids(user_id):
    return BreakGlass.objects.filter(user_id=user_id, expires_at__gt=timezone.now()).values(
        "family_id"
    )


def _not_restricted_for(user, prefix: str = "") -> Q:
    named = {f"{prefix}named_people": user.pk}
    return Q(**{f"{prefix}restricted": False}) | Q(**named)


def cases_in_scope(user) -> QuerySet[EarlyHelpCase]:
    """Cases the user's role and place reach, restricted ones included (shown masked)."""
    scope = _case_scope(user)
    if scope is None:
        return EarlyHelpCase.objects.none()
    return EarlyHelpCase.objects.filter(scope)


def cases_visible_to(user) -> QuerySet[EarlyHelpCase]:
    """Cases whose details the user may read."""
    kind = _scope_kind(user)
    if kind is None:
        return EarlyHelpCase.objects.none()
    return _visible_cases(kind, user.pk, user.agency_id)


def _visible_cases(kind: str, user_id, agency_id) -> QuerySet[EarlyHelpCase]:
    """cases_visible_to for a scope `kind`, a user (by id) and their agency."""
    return EarlyHelpCase.objects.filter(_scope_q(kind, user_id, agency_id)).filter(
        Q(family__restricted=False)
        | Q(
            family_id__in=Family.named_people.through.objects.filter(user_id=user_id).values(
                "family_id"
            )
        )
    )


def case_columns_visible_to(user, *, case_id: str) -> Q | None:
    """cases_visible_to(user) as a filter over copies of a case's own columns (`case_id`,
    district_id, lead_agency_id, family_id, family_restricted), for the reporting summaries:
    the same rules, without joining back to the cases. None: no cases at all."""
    scope = _case_scope(user, case_id)
    if scope is None:
        return None
    named = Family.named_people.through.objects.filter(user_id=user.pk).values("family_id")
    return scope & (Q(family_restricted=False) | Q(family_id__in=named))


def may_open_case(user, case: EarlyHelpCase) -> bool:
    """Whether the case page opens for the user (a restricted family's says whom to ask):
    other pages link to it only then, so that no link leads to "page not found"."""
    return cases_in_scope(user).filter(pk=case.pk).exists()


def get_case_for(
    user, pk, *, related: tuple[str, ...] = (), annotations: dict | None = None
) -> EarlyHelpCase:
    """The case if the user may read it; Http404 if out of scope; RestrictedRecord if
    restricted and the user is not named on it. `related`, `annotations`: more to read in
    the same query."""
    cases = cases_in_scope(user).select_related("family", *related)
    if annotations:
        cases = cases.annotate(**annotations)
    case = get_in_scope(cases, pk)
    refuse_if_restricted(user, case.family)
    return case


def get_case_to_decide(user, pk, may_decide) -> EarlyHelpCase:
    """The case, if `user` may make this decision on it (`may_decide`, a predicate below:
    may_allocate, may_authorise_closure, ...): Http404 otherwise, as for a case out of
    their scope, so a refusal does not say the case exists."""
    case = get_case_for(user, pk)
    if not may_decide(user, case):
        raise Http404
    return case


class CaseRead:
    """get_case_for for one page's `related` and `annotations` (a function returning them),
    its SQL compiled once per process for each kind of scope (earlyhelp/compiled.py): the
    case page reads its case on every view, and building that query took longer than
    running it. The SQL comes from the same _scope_q, with stand-ins for the ids; a user
    with no agency, or a break glass (its expiry is compared with the time now), reads
    through get_case_for."""

    _STAND_INS = {"user_id": -918273641, "agency_id": -918273642, "pk": -918273643}

    def __init__(self, *, related: tuple[str, ...] = (), annotations=dict):
        self._related, self._annotations = related, annotations
        self._reads = {
            kind: CompiledRead(partial(self._build, kind), **self._STAND_INS)
            for kind in (OWN, DISTRICTS, AGENCY)
        }

    def _build(self, kind, *, user_id, agency_id, pk) -> QuerySet:
        return (
            EarlyHelpCase.objects.filter(_scope_q(kind, user_id, agency_id))
            .select_related("family", *self._related)
            .annotate(**self._annotations())
            .filter(pk=pk)
        )

    def get(self, user, pk) -> EarlyHelpCase:
        read = self._reads.get(_scope_kind(user))
        if read is None or user.agency_id is None or type(pk) is not int:
            return get_case_for(user, pk, related=self._related, annotations=self._annotations())
        case = read.first(user_id=user.pk, agency_id=user.agency_id, pk=pk)
        if case is None:
            raise Http404
        refuse_if_restricted(user, case.family)
        return case


class VisibleCasesRead:
    """A read over the cases a user may read (cases_visible_to), its SQL compiled once per
    process for each kind of scope, as CaseRead: pages read through it on every view, and
    building the scope's query took longer than running it. `build(cases, user_id=...,
    **values)` returns the queryset read from `cases`, the visible cases; `stand_ins` are
    its own parameters' stand-ins (earlyhelp/compiled.py). A user with no agency, a break
    glass or no cases at all reads through the ORM, from cases_visible_to."""

    _STAND_INS = {"user_id": -918273641, "agency_id": -918273642}

    def __init__(self, build, **stand_ins):
        self._build = build
        self._reads = {
            kind: CompiledRead(partial(self._build_for, kind), **self._STAND_INS, **stand_ins)
            for kind in (OWN, DISTRICTS, AGENCY)
        }

    def _build_for(self, kind, *, user_id, agency_id, **values) -> QuerySet:
        return self._build(_visible_cases(kind, user_id, agency_id), user_id=user_id, **values)

    def rows(self, user, **values) -> list:
        read = self._reads.get(_scope_kind(user))
        if read is None or user.agency_id is None:
            return list(self._build(cases_visible_to(user), user_id=user.pk, **values))
        return read.rows(user_id=user.pk, agency_id=user.agency_id, **values)


def get_in_scope(records: QuerySet, pk):
    """Record `pk` from a user's scoped queryset. Http404 when it is not there, or `pk` is
    not an id: a record out of scope looks the same as one that does not exist."""
    try:
        return records.get(pk=pk)
    except (records.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def refuse_if_restricted(user, record: Family | Person) -> None:
    """RestrictedRecord (who to contact) if `record` is restricted and does not name user."""
    if record.restricted and not record.named_people.filter(pk=user.pk).exists():
        raise RestrictedRecord(record.restricted_contact)


def can_work_on_case(user, case: EarlyHelpCase) -> bool:
    """May record work (notes, assessments, plans) on a case the user can already read."""
    if not _active(user) or not case.is_open:
        return False
    if user.role in (Role.CONSULTANT, Role.STRATEGIC, Role.ADMINISTRATOR):
        return False
    if case.lead_professional_id == user.pk:
        return True
    if user.role == Role.TEAM_MANAGER:
        return True
    own = _own_case_ids(user.pk, user.agency_id)
    return EarlyHelpCase.objects.filter(Q(pk=case.pk) & Q(pk__in=own)).exists()


def families_visible_to(user) -> QuerySet[Family]:
    """Families whose details the user may read: those with a case the user may read."""
    return (
        Family.objects.filter(pk__in=cases_visible_to(user).values("family_id"))
        .filter(_not_restricted_for(user))
        .distinct()
    )


def get_family_for(user, pk) -> Family:
    family = get_in_scope(
        Family.objects.filter(pk__in=cases_in_scope(user).values("family_id")), pk
    )
    refuse_if_restricted(user, family)
    return family


def people_visible_to(user) -> QuerySet[Person]:
    """People whose records the user may read: members of families the user may read."""
    return (
        Person.objects.filter(memberships__family__in=families_visible_to(user))
        .filter(_not_restricted_for(user))
        .distinct()
    )


def get_person_for(user, pk) -> Person:
    in_scope_families = Family.objects.filter(pk__in=cases_in_scope(user).values("family_id"))
    person = get_in_scope(
        Person.objects.filter(memberships__family__in=in_scope_families).distinct(), pk
    )
    refuse_if_restricted(user, person)
    # A child of a restricted household is as restricted as its address.
    hidden_family = (
        Family.objects.filter(memberships__person=person, restricted=True)
        .exclude(named_people=user.pk)
        .first()
    )
    if hidden_family is not None:
        raise RestrictedRecord(hidden_family.restricted_contact)
    return person


def may_search_people(user) -> bool:
    """Identity search (issue 17, point 2): the front door, managers and consultants, each
    within their own reach (people_searchable_by)."""
    return _active(user) and user.role in (Role.FRONT_DOOR, Role.TEAM_MANAGER, Role.CONSULTANT)


def people_searchable_by(user) -> QuerySet[Person]:
    """Whom a user may look up by identity, before restriction masks names:

    - front door officers, council early help managers and consultants: people in a
      household in one of their districts;
    - a partner agency's manager (a school, a health trust): people in the households of
      cases their agency leads;
    - anyone else: the people whose records they may read.
    Restricted people appear only as 'restricted record' rows (cases.restriction)."""
    if not may_search_people(user):
        return people_visible_to(user)
    agency = user.agency
    by_district = user.role in (Role.FRONT_DOOR, Role.CONSULTANT) or (
        agency is not None and agency.is_council_early_help
    )
    if by_district:
        households = Family.objects.filter(district_id__in=_user_district_ids(user))
    else:
        households = Family.objects.filter(
            pk__in=EarlyHelpCase.objects.filter(lead_agency_id=user.agency_id).values("family_id")
        )
    return Person.objects.filter(
        Exists(
            FamilyMembership.objects.filter(
                person_id=OuterRef("pk"), family_id__in=households.values("pk")
            )
        ),
        merged_into__isnull=True,  # a merged duplicate is never offered again
    )


def break_glass_open(*, user, family: Family, reason: str, request=None) -> BreakGlass:
    from datetime import timedelta

    from earlyhelp.audit import audit
    from earlyhelp.models import AuditAction

    if not _active(user) or user.role != Role.ADMINISTRATOR:
        raise DomainError("Only administrators can break glass.")
    if len(reason.strip()) < 10:
        raise DomainError("Give the reason for opening this record, in at least 10 characters.")
    grant = BreakGlass.objects.create(
        user=user,
        family=family,
        reason=reason.strip(),
        expires_at=timezone.now() + timedelta(hours=4),
    )
    audit(
        user=user,
        action=AuditAction.BREAK_GLASS,
        record=family,
        request=request,
        reason=reason.strip(),
    )
    return grant


# --- What a user may do with a record they can see ------------------------------------------


def may_read_audit(user) -> bool:
    """Who has seen a record: team managers (their scope) and administrators."""
    return doors.AUDIT_READERS.allows(user)


def reads_audit_without_identity(user) -> bool:
    """Administrators see a record's audit trail by number, never the child's details."""
    return doors.is_administrator(user)


def may_correct_note(user, entry) -> bool:
    """A note is corrected by its author or by a team manager."""
    return entry.author_id == user.pk or user.role == Role.TEAM_MANAGER


def may_hand_over(user, case: EarlyHelpCase) -> bool:
    return user.pk == case.lead_professional_id or user.role == Role.TEAM_MANAGER


def may_close(user, case: EarlyHelpCase) -> bool:
    """The lead professional closes the case (or requests its closure, where a manager
    authorises it); a team manager may too. Other TAF members record work but do not end it:
    the same people who may hand the case over."""
    return may_hand_over(user, case)


def activity_subjects_for(user) -> QuerySet:
    """Whose activity a user may read: administrators anyone's, managers their agency's."""
    users = User.objects.all()
    if user.role == Role.TEAM_MANAGER:
        users = users.filter(agency_id=user.agency_id)
    return users


def sees_own_cases_only(user) -> bool:
    """Practitioners' case list is the cases they lead or sit on the TAF for: "My cases"."""
    return user.role == Role.PRACTITIONER


def staff_who_may_join_teams() -> QuerySet:
    """Professionals who can sit on a Team Around the Family (consultants advise, strategic
    viewers and administrators do not work with families)."""
    return people().filter(role__in=(Role.PRACTITIONER, Role.TEAM_MANAGER, Role.FRONT_DOOR))


def staff_who_may_lead() -> QuerySet:
    """Who can be a lead professional: practitioners and team managers."""
    return people().filter(role__in=(Role.PRACTITIONER, Role.TEAM_MANAGER))


def team_managers_of(agency) -> QuerySet:
    """The managers told when a case waits for allocation in their agency."""
    return team_managers().filter(agency=agency)


def team_managers() -> QuerySet:
    return people().filter(role=Role.TEAM_MANAGER)


def people() -> QuerySet:
    """Active users who are people: a partner system's service account is never told,
    offered as a lead or added to a team."""
    return User.objects.filter(is_active=True, service_account__isnull=True)


# --- Allocation and step-up requests (issue 12) -------------------------------------------


def may_allocate(user, case: EarlyHelpCase) -> bool:
    """A team manager of the case's team (its lead agency), or a council early help manager
    for its district, allocates a waiting case or sends it to another team."""
    if not _active(user) or user.role != Role.TEAM_MANAGER:
        return False
    return cases_visible_to(user).filter(pk=case.pk).exists()


def may_authorise_closure(user, case: EarlyHelpCase) -> bool:
    """A team manager whose scope holds the case authorises (or returns) a lead's closure."""
    return may_allocate(user, case)


def closure_needs_authorisation(user, case: EarlyHelpCase) -> bool:
    """A closure at a level the authority names (settings.CLOSURE_AUTHORISATION_LEVELS,
    default the targeted level) waits for a manager, unless that manager closes it."""
    from django.conf import settings

    from cases.models import LevelOfNeed

    levels = getattr(settings, "CLOSURE_AUTHORISATION_LEVELS", (LevelOfNeed.TARGETED,))
    return case.level_of_need in levels and not may_authorise_closure(user, case)


def closure_authorisers_for(case: EarlyHelpCase) -> QuerySet:
    """The team managers told that a closure waits for them (see may_allocate's scope)."""
    return (
        team_managers()
        .filter(
            Q(agency_id=case.lead_agency_id)
            | Q(districts=case.district_id, agency__kind=AgencyKind.EARLY_HELP_TEAM)
        )
        .distinct()
    )


def closures_awaiting_authorisation_for(user) -> QuerySet:
    """Lead professionals' closures this manager may authorise, the longest waiting first."""
    from cases.models import ClosureRequest

    if not _active(user) or user.role != Role.TEAM_MANAGER:
        return ClosureRequest.objects.none()
    return (
        ClosureRequest.objects.filter(
            decision="", case__status="closure_pending", case__in=cases_visible_to(user)
        )
        .select_related("case__family", "case__district", "requested_by")
        .order_by("requested_at", "pk")
    )


def step_up_requests_visible_to(user) -> QuerySet:
    """Social care staff see the step-up requests for their districts."""
    from cases.models import StepUpRequest

    if not doors.is_social_care(user):
        return StepUpRequest.objects.none()
    return StepUpRequest.objects.filter(district_id__in=_user_district_ids(user))


def get_step_up_for(user, pk):
    return get_in_scope(step_up_requests_visible_to(user).select_related("family", "case"), pk)


def may_decide_step_up(user, step) -> bool:
    return step_up_requests_visible_to(user).filter(pk=step.pk).exists()


def may_start_early_help(user) -> bool:
    """Any practitioner or manager of an agency that works with families may start early help
    with a family they know; not social care (it steps down) nor the front door (it triages).
    The same rule is the door of the page (partners.doors.EARLY_HELP_STARTERS)."""
    return doors.EARLY_HELP_STARTERS.allows(user)


def social_care_staff_for(district_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        role__in=[Role.PRACTITIONER, Role.TEAM_MANAGER],
        agency__kind=AgencyKind.SOCIAL_CARE,
        districts=district_id,
    )


def front_door_and_managers_for(district) -> QuerySet[User]:
    """The district's front door officers and early help team managers."""
    return (
        User.objects.filter(is_active=True, districts=district)
        .filter(
            Q(role=Role.FRONT_DOOR)
            | Q(role=Role.TEAM_MANAGER, agency__kind=AgencyKind.EARLY_HELP_TEAM)
        )
        .distinct()
    )


def may_change_level(user, case: EarlyHelpCase) -> bool:
    """The lead professional or a team manager moves a case along the continuum."""
    return user.pk == case.lead_professional_id or user.role == Role.TEAM_MANAGER


def team_managers_in(districts) -> QuerySet:
    """Team managers working in any of these districts (a district id, ids or a queryset)."""
    if isinstance(districts, int):
        districts = [districts]
    return team_managers().filter(districts__in=districts).distinct()


def excluding_figures_only(users: QuerySet) -> QuerySet:
    """Strategic viewers see figures, never a person: not among those who may see a record."""
    return users.exclude(role=Role.STRATEGIC)


def consultants_in(district_id: int) -> QuerySet:
    """Early help consultants for a district (they may already read its cases)."""
    return User.objects.filter(is_active=True, role=Role.CONSULTANT, districts=district_id)
