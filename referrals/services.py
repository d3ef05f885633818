"""Every write to requests for support: draft, submit, pick up, match, decide, close.

One transaction each; status moves go through referrals/transitions.py (history + audit);
notifications are queued for after commit by earlyhelp.notifications.notify.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases import access as case_access
from cases import services as case_services
from cases.codes import Relationship
from cases.models import (
    CaseStatus,
    ChronologyKind,
    EarlyHelpCase,
    Family,
    FamilyMembership,
    LevelOfNeed,
    LevelOfNeedChange,
    Need,
    Person,
    StepUpSource,
)
from earlyhelp.audit import audit, audit_change
from earlyhelp.errors import DomainError, FieldError, FieldErrors, InvalidTransition
from earlyhelp.models import AuditAction
from earlyhelp.notifications import notify, page_url
from earlyhelp.wording import term
from earlyhelp.working_days import add_working_days
from partners.models import Agency, AgencyKind, District
from referrals import access, rules, transitions
from referrals.models import (
    ALLOCATING_OUTCOMES,
    Channel,
    ClosedReason,
    FamilyConsent,
    Outcome,
    Referral,
    ReferralPerson,
    ReferralStatus,
    TriageDecision,
    Urgency,
)

REFERRAL_FIELDS = (
    "district",
    "is_self_referral",
    "referrer_name",
    "referrer_role",
    "referrer_agency",
    "referrer_organisation",
    "referrer_email",
    "referrer_phone",
    "source",
    "address_line_1",
    "town",
    "postcode",
    "worries",
    "working_well",
    "support_requested",
    "family_consent",
    "no_consent_reason",
    "urgency",
    "significant_harm",
    "step_down_summary",
)


@dataclass
class PersonEntry:
    """One person as typed into a request (web form or API), already cleaned."""

    first_name: str
    last_name: str
    relationship: str
    date_of_birth: datetime.date | None = None
    expected_date: datetime.date | None = None
    gender: str = "0"
    nhs_number: str = ""
    upn: str = ""


@dataclass
class RequestEntry:
    """A whole request, cleaned: the fields of Referral, its people and its needs."""

    fields: dict
    people: list[PersonEntry]
    needs: list[Need] = field(default_factory=list)


def triage_due_on(received_at: datetime.datetime, urgency: str) -> datetime.date:
    """Decision due in N working days from receipt (settings.TRIAGE_TARGET_WORKING_DAYS)."""
    return add_working_days(timezone.localdate(received_at), rules.triage_target_days(urgency))


def _check_complete(entry: RequestEntry) -> None:
    """The invariants every door must meet, whatever validated the input first."""
    f = entry.fields
    children = [p for p in entry.people if p.relationship == Relationship.CHILD]
    if not children:
        raise DomainError("Add at least one child or unborn baby to the request")
    if not (f.get("worries") or "").strip():
        raise DomainError("Enter what you are worried about")
    if not f.get("district"):
        raise DomainError("Select the district the family lives in")
    if (
        f.get("family_consent") != FamilyConsent.CONSENTED
        and not (f.get("no_consent_reason") or "").strip()
    ):
        raise DomainError("Explain why the family has not agreed to this request")
    today = timezone.localdate()
    for person in entry.people:
        errors = rules.person_errors(
            relationship=person.relationship,
            date_of_birth=person.date_of_birth,
            expected_date=person.expected_date,
            nhs_number=person.nhs_number,
            upn=person.upn,
            today=today,
        )
        if errors:
            raise DomainError(
                f"{person.first_name} {person.last_name}: {next(iter(errors.values()))}"
            )


@transaction.atomic
def referral_draft_save(
    *,
    acting_user,
    data: dict,
    referral: Referral | None = None,
    channel: str = Channel.WEB,
    request=None,
) -> Referral:
    """Keep exactly what was typed, valid or not, so nothing is lost (DESIGN.md)."""
    if referral is None:
        referral = Referral.objects.create(
            created_by=acting_user, channel=channel, draft_data=data, status=ReferralStatus.DRAFT
        )
        audit(user=acting_user, action=AuditAction.CREATE, record=referral, request=request)
        return referral
    if referral.status != ReferralStatus.DRAFT or referral.created_by_id != acting_user.pk:
        raise DomainError("Only the author can change a draft, and only before it is sent.")
    referral.draft_data = data
    referral.save(update_fields=["draft_data", "updated_at"])
    return referral


def _notify_front_door_of_harm(referral: Referral) -> None:
    officers = access.front_door_officers_for(referral.district_id)
    for officer in officers:
        notify(
            user=officer,
            subject=f"Possible significant harm: request {referral.reference} needs a decision now",
            url=page_url("referral_detail", referral.pk),
        )


@transaction.atomic
def referral_submit(
    *,
    acting_user,
    entry: RequestEntry,
    referral: Referral | None = None,
    channel: str = Channel.WEB,
    request=None,
) -> Referral:
    """Send a request to the front door of its district.

    A belief that a child is at risk of significant harm flags it at once as a possible step
    up to children's social care, makes it urgent and tells the district's front door.
    """
    _check_complete(entry)
    if referral is None:
        referral = Referral.objects.create(created_by=acting_user, channel=channel)
        audit(user=acting_user, action=AuditAction.CREATE, record=referral, request=request)
    elif not (referral.status == ReferralStatus.DRAFT and referral.created_by_id == acting_user.pk):
        raise DomainError("Only the author can send a draft, and only once.")
    f = dict(entry.fields)
    if f.get("significant_harm"):
        f["urgency"] = Urgency.URGENT
    for name in REFERRAL_FIELDS:
        if name in f:
            value = f[name]
            if value is None and name not in ("district", "referrer_agency"):
                value = ""
            setattr(referral, name, value)
    if channel == Channel.STEP_DOWN or referral.channel == Channel.STEP_DOWN:
        referral.channel = Channel.STEP_DOWN
        if not referral.step_down_summary.strip():
            raise DomainError("Enter the social care summary for the step down")
        referral.source = "5A"  # LA children's social care (DfE referral source)
    if (
        referral.referrer_agency_id is None
        and not referral.is_self_referral
        and not access.records_on_behalf(acting_user)
        and not referral.referrer_organisation
    ):
        referral.referrer_agency = acting_user.agency
    if not access.records_on_behalf(acting_user) and not referral.is_self_referral:
        referral.referrer_user = acting_user
    referral.postcode = rules.clean_postcode(referral.postcode)
    referral.draft_data = {}
    referral.save()
    referral.needs.set(entry.needs)
    ReferralPerson.objects.bulk_create(
        ReferralPerson(
            referral=referral,
            order=i,
            first_name=p.first_name.strip(),
            last_name=p.last_name.strip(),
            relationship=p.relationship,
            date_of_birth=p.date_of_birth,
            expected_date=p.expected_date,
            gender=p.gender or "0",
            nhs_number=rules.clean_nhs_number(p.nhs_number),
            upn=rules.clean_upn(p.upn),
        )
        for i, p in enumerate(entry.people)
    )
    received_at = timezone.now()
    referral = transitions.submit(
        referral,
        acting_user=acting_user,
        request=request,
        received_at=received_at,
        due_on=triage_due_on(received_at, referral.urgency),
        possible_step_up=bool(referral.significant_harm),
    )
    if referral.possible_step_up:
        _notify_front_door_of_harm(referral)
    return referral


@transaction.atomic
def referral_pick_up(
    *, referral: Referral, acting_user, take_over: bool = False, request=None
) -> Referral:
    """Claim a request so two officers do not work on it at once. Taking over someone
    else's claim is explicit and recorded."""
    _require_triage(referral, acting_user)
    holder = referral.picked_up_by
    if holder is not None and holder.pk == acting_user.pk:
        return referral
    if holder is not None and not take_over:
        raise DomainError(
            f"{holder.full_name} picked this request up at "
            f"{timezone.localtime(referral.picked_up_at):%H:%M on %d/%m/%Y}. "
            "Take it over only if you have agreed it with them."
        )
    reason = f"Taken over from {holder.full_name}" if holder is not None else ""
    return transitions.pick_up(referral, acting_user=acting_user, reason=reason, request=request)


@transaction.atomic
def referral_release(*, referral: Referral, acting_user, request=None) -> Referral:
    _require_in_triage(referral, acting_user)
    if referral.picked_up_by_id != acting_user.pk:
        raise DomainError("Only the officer who picked this request up can put it back.")
    return transitions.release(referral, acting_user=acting_user, request=request)


def _require_triage(referral: Referral, user) -> None:
    from referrals.access import can_triage

    if not can_triage(user, referral):
        raise DomainError("Only a front door officer for this district can triage this request.")


def _require_in_triage(referral: Referral, user) -> None:
    """The user may triage the request and it is still in triage (picked up, not decided):
    what releasing and deciding it both need."""
    _require_triage(referral, user)
    if not transitions.allowed(referral, "decide"):
        raise InvalidTransition(
            f"This request is {referral.get_status_display().lower()}, so it cannot be decided."
        )


@transaction.atomic
def referral_match_record(
    *,
    referral: Referral,
    acting_user,
    links: dict[int, Person | None],
    family: Family | None,
    request=None,
) -> Referral:
    """Record the officer's matching: each person linked to an existing record or confirmed
    new, and the household merged into an existing family or confirmed new.

    A closed episode for the family (or a linked child) in the last 12 months makes this a
    re-referral (DESIGN.md vocabulary).
    """
    _require_triage(referral, acting_user)
    people = list(referral.people.all())
    missing = [p for p in people if p.pk not in links]
    if missing:
        raise DomainError(f"Choose a match, or 'new person', for {missing[0].full_name}")
    chosen = [person for person in links.values() if person is not None]
    if len({p.pk for p in chosen}) != len(chosen):
        raise DomainError("Two people in the request are linked to the same record")
    for entry in people:
        person = links[entry.pk]
        if person is None and entry.nhs_number:
            clash = Person.objects.filter(nhs_number=entry.nhs_number).first()
            if clash is not None:
                raise DomainError(
                    f"{entry.full_name}'s NHS number already belongs to a person on record. "
                    "Link them to that record instead of creating a new one"
                )
        entry.person = person
        entry.match = ReferralPerson.Match.LINKED if person else ReferralPerson.Match.NEW
    ReferralPerson.objects.bulk_update(people, ["person", "match"])

    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    earlier = Q(children__in=[p.pk for p in chosen])
    if family is not None:
        earlier |= Q(family=family)
    recent = EarlyHelpCase.objects.filter(status=CaseStatus.CLOSED, closed_on__gte=year_ago).filter(
        earlier
    )
    extra = {
        "family": family,
        "matched_at": timezone.now(),
        "matched_by": acting_user,
        "is_re_referral": recent.exists(),
    }
    if family is not None and family.district_id != referral.district_id:
        extra["district"] = family.district
    return transitions.match(referral, acting_user=acting_user, request=request, **extra)


def _person_from_entry(entry: ReferralPerson) -> Person | None:
    if entry.date_of_birth is None and entry.expected_date is None:
        return None  # an adult whose date of birth the referrer did not know
    return Person.objects.create(
        first_name=entry.first_name,
        last_name=entry.last_name,
        date_of_birth=entry.date_of_birth,
        expected_date=entry.expected_date,
        gender=entry.gender,
        nhs_number=entry.nhs_number or None,
        upn=entry.upn or None,
    )


def _family_for(referral: Referral, acting_user, request) -> Family:
    """The matched family, or a new household from the request's address and people."""
    family = referral.family
    if family is None:
        lead = next((p for p in referral.people.all() if p.is_child), None)
        surname = lead.last_name if lead else "New"
        family = Family.objects.create(
            name=f"{surname} household",
            address_line_1=referral.address_line_1 or "Not known",
            town=referral.town or referral.district.name,
            postcode=referral.postcode or "ZZ99 9ZZ",
            district=referral.district,
        )
        audit(user=acting_user, action=AuditAction.CREATE, record=family, request=request)
    members = set(family.memberships.values_list("person_id", flat=True))
    for entry in referral.people.all():
        if entry.person_id is None:
            person = _person_from_entry(entry)
            if person is None:
                continue
            audit(user=acting_user, action=AuditAction.CREATE, record=person, request=request)
            entry.person = person
            entry.save(update_fields=["person"])
        if entry.person_id not in members:
            FamilyMembership.objects.create(
                family=family, person_id=entry.person_id, relationship=entry.relationship
            )
            members.add(entry.person_id)
    return family


def _children_of(referral: Referral) -> list[Person]:
    return [p.person for p in referral.people.select_related("person") if p.is_child and p.person]


def eligible_leads_any():
    """Everyone who can lead a case."""
    return case_access.staff_who_may_lead()


def eligible_leads(agency: Agency):
    """Staff of an agency who can lead a case."""
    return eligible_leads_any().filter(agency=agency)


def district_teams(district: District):
    """The teams targeted early help is allocated to: the council's early help teams working
    in the district. Not the front door, nor a team whose people do not lead cases (the
    family outcomes programme team: consultants), where a case would wait for no one."""
    leading = eligible_leads_any().filter(agency__isnull=False).values("agency")
    not_casework = case_access.people().filter(agency__isnull=False).exclude(agency__in=leading)
    return (
        Agency.objects.filter(kind=AgencyKind.EARLY_HELP_TEAM, active=True, districts=district)
        .exclude(pk__in=access.front_door_agencies())
        .exclude(pk__in=not_casework.values("agency"))
        .distinct()
    )


def partner_agencies_for(referral: Referral):
    """The partner agencies Universal Plus is allocated to: active agencies working in the
    request's district, or the referrer's own, of a kind that is a partner
    (rules.NOT_UNIVERSAL_PLUS_PARTNERS says which are not)."""
    return (
        Agency.objects.filter(active=True)
        .filter(Q(districts=referral.district_id) | Q(pk=referral.referrer_agency_id))
        .exclude(kind__in=rules.NOT_UNIVERSAL_PLUS_PARTNERS)
        .distinct()
    )


def leads_for(referral: Referral):
    """Who the decision may name as lead professional: staff who may lead a case, of an
    agency or team it may allocate to."""
    return eligible_leads_any().filter(
        Q(agency__in=partner_agencies_for(referral).values("pk"))
        | Q(agency__in=district_teams(referral.district).values("pk"))
    )


def _allocation_errors(
    *, referral: Referral, outcome: str, allocated_agency: Agency | None, lead_professional
) -> dict[str, str]:
    """{field: message} for an allocating outcome's agency or team and lead professional."""
    if allocated_agency is None:
        return {"allocated_agency": "Select the agency or team to allocate to"}
    errors = {}
    if outcome == Outcome.UNIVERSAL_PLUS:
        wrong_kind = rules.universal_plus_partner_error(allocated_agency.kind)
        if wrong_kind:
            errors["allocated_agency"] = wrong_kind
        elif not partner_agencies_for(referral).filter(pk=allocated_agency.pk).exists():
            errors["allocated_agency"] = (
                f"Select a partner agency that works in {referral.district}"
            )
    elif not district_teams(referral.district).filter(pk=allocated_agency.pk).exists():
        errors["allocated_agency"] = (
            f"Select one of {referral.district}'s {term('early help')} teams for targeted "
            f"{term('early help')}"
        )
    if (
        lead_professional is not None
        and not eligible_leads(allocated_agency).filter(pk=lead_professional.pk).exists()
    ):
        errors["lead_professional"] = f"{lead_professional} does not work for {allocated_agency}"
    return errors


@transaction.atomic
def referral_decide(
    *,
    referral: Referral,
    acting_user,
    expected_version: int,
    level_of_need: int,
    outcome: str,
    rationale: str,
    allocated_agency: Agency | None = None,
    lead_professional=None,
    case: EarlyHelpCase | None = None,
    signposted_to: str = "",
    signposted_services=(),
    request=None,
) -> TriageDecision:
    """The threshold decision. Allocating outcomes open the early help case (with its lead
    professional, or waiting in the team's queue), which grants access through the case
    access rules; the referrer is told the outcome."""
    _require_in_triage(referral, acting_user)
    if referral.picked_up_by_id != acting_user.pk:
        holder = referral.picked_up_by
        raise DomainError(
            f"{holder.full_name} has picked this request up. Take it over before deciding."
            if holder
            else "Pick this request up before deciding it."
        )
    if referral.matched_at is None:
        raise DomainError("Check the people against existing records before deciding.")
    if int(level_of_need) not in LevelOfNeed.values:
        raise FieldError("level_of_need", "Select the level of need")
    if outcome not in Outcome.values:
        raise FieldError("outcome", "Select the outcome")
    if not (rationale or "").strip():
        raise DomainError("Enter the rationale for the decision")
    signposted_services = list(signposted_services or ())
    if outcome == Outcome.SIGNPOSTING and not signposted_to.strip() and not signposted_services:
        raise DomainError(
            "Choose the services from the directory, or enter the services the family "
            "has been signposted to"
        )

    errors = {}
    wrong_level = rules.level_for_outcome_error(
        level_of_need=level_of_need,
        outcome=outcome,
        case_level=case.level_of_need if case is not None else None,
    )
    if wrong_level:
        errors["level_of_need"] = wrong_level
    if outcome in ALLOCATING_OUTCOMES:
        errors |= _allocation_errors(
            referral=referral,
            outcome=outcome,
            allocated_agency=allocated_agency,
            lead_professional=lead_professional,
        )
    if errors:
        raise FieldErrors(errors)
    if outcome not in ALLOCATING_OUTCOMES:
        allocated_agency = None
        lead_professional = None
    if outcome == Outcome.ADD_TO_OPEN_CASE:
        if case is None or referral.family_id is None or case.family_id != referral.family_id:
            raise DomainError("Select one of the family's open cases")
        if not case.is_open:
            raise DomainError("That case is closed. Choose an open case or another outcome")
    elif outcome not in ALLOCATING_OUTCOMES:
        case = None

    if outcome in ALLOCATING_OUTCOMES:
        family = _family_for(referral, acting_user, request)
        case = case_services.case_open(
            family=family,
            children=_children_of(referral),
            lead_agency=allocated_agency,
            lead_professional=lead_professional,
            level_of_need=int(level_of_need),
            opened_on=timezone.localdate(),
            acting_user=acting_user,
            reason=f"{Outcome(outcome).label}: {rationale.strip()}",
            significant_harm=bool(referral.significant_harm),
            request=request,
        )
    elif outcome == Outcome.STEP_UP:
        # A hand-over, not a label: the district's social care gets a request to decide.
        case_services.step_up_request_send(
            family=_family_for(referral, acting_user, request),
            source=StepUpSource.FRONT_DOOR,
            source_reference=referral.reference,
            reason=rationale.strip(),
            significant_harm=bool(referral.significant_harm),
            acting_user=acting_user,
            request=request,
        )
    elif outcome == Outcome.ADD_TO_OPEN_CASE:
        _family_for(referral, acting_user, request)
        case.children.add(*_children_of(referral))
        case_services.chronology_add(
            case=case,
            kind=ChronologyKind.DECISION,
            title=f"Request for support {referral.reference} added to this case",
            text=f"Worries: {referral.worries}\n\nTriage rationale: {rationale.strip()}",
            author=acting_user,
            source=referral,
        )
        if int(level_of_need) in case_services.EARLY_HELP_LEVELS:
            # The front door's level for the new request moves the open case along the
            # continuum (2 to 3, 3 to 2): a recorded change, like any other.
            case_services.level_of_need_set(
                case=case,
                level_of_need=level_of_need,
                cause=LevelOfNeedChange.Cause.TRIAGE,
                reason=f"Request for support {referral.reference}: {rationale.strip()}",
                acting_user=acting_user,
            )
        audit_change(
            case, by=acting_user, request=request, changes={"referral": [None, referral.reference]}
        )

    decision = TriageDecision.objects.create(
        referral=referral,
        level_of_need=int(level_of_need),
        outcome=outcome,
        rationale=rationale.strip(),
        allocated_agency=allocated_agency,
        lead_professional=lead_professional,
        case=case,
        signposted_to=signposted_to.strip(),
        decided_by=acting_user,
        decided_at=timezone.now(),
    )
    if outcome == Outcome.SIGNPOSTING and signposted_services:
        decision.signposted_services.set(signposted_services)
    audit(user=acting_user, action=AuditAction.CREATE, record=decision, request=request)
    transitions.decide(
        referral,
        acting_user=acting_user,
        expected_version=expected_version,
        reason=f"{Outcome(outcome).label}: {rationale.strip()[:500]}",
        request=request,
        case=case,
    )
    referral.refresh_from_db()
    _tell_people_of_decision(referral, decision)
    return decision


def external_referrer_outcome_send(referral_id: int) -> bool:
    """Email a referrer without an account (a phone or email request, or a family) the
    outcome of their request now, if it is still owed: the reference and the outcome only,
    never the family."""
    from earlyhelp.outbox.services import message_for, outbox_send

    message = message_for(f"referrer-outcome:{referral_id}")
    return message is not None and outbox_send(only_ids=[message.pk]).sent > 0


def external_referrer_outcome_enqueue(referral: Referral, decision: TriageDecision) -> None:
    """Owe the outcome email in the outbox, in the decision's transaction: it is not lost
    if Redis is down when the decision is made."""
    from earlyhelp.outbox.emails import referrer_outcome_email
    from earlyhelp.outbox.models import MessageKind
    from earlyhelp.outbox.services import message_enqueue

    subject, body = referrer_outcome_email(
        reference=referral.reference, outcome=decision.get_outcome_display()
    )
    message_enqueue(
        key=f"referrer-outcome:{referral.pk}",
        kind=MessageKind.REFERRER_OUTCOME,
        to_address=referral.referrer_email,
        subject=subject,
        body=body,
    )


def _tell_people_of_decision(referral: Referral, decision: TriageDecision) -> None:
    """In-app and (link-only) email: the text names no family."""
    if not referral.referrer_user_id and referral.referrer_email:
        external_referrer_outcome_enqueue(referral, decision)
    if referral.referrer_user_id and referral.referrer_user.is_active:
        notify(
            user=referral.referrer_user,
            subject=f"Decision on your request for support {referral.reference}: "
            f"{decision.get_outcome_display()}",
            url=page_url("referral_detail", referral.pk),
        )
    case = decision.case
    if case is None:
        return
    if decision.outcome in ALLOCATING_OUTCOMES and case.lead_professional_id:
        notify(
            user=case.lead_professional,
            subject=(
                f"You are {term('lead professional')} for a new {term('early help')} case "
                f"({case.reference})"
            ),
            url=page_url("case_detail", case.pk) or page_url("referral_detail", referral.pk),
        )
    elif decision.outcome in ALLOCATING_OUTCOMES:
        managers = case_access.team_managers_of(case.lead_agency)
        for manager in managers:
            notify(
                user=manager,
                subject=f"A new {term('early help')} case ({case.reference}) is waiting for "
                "allocation",
                url=page_url("case_detail", case.pk) or "",
            )
    elif decision.outcome == Outcome.ADD_TO_OPEN_CASE and case.lead_professional_id:
        notify(
            user=case.lead_professional,
            subject=f"A new request for support has been added to your case {case.reference}",
            url=page_url("case_detail", case.pk) or "",
        )


@transaction.atomic
def referral_close(
    *,
    referral: Referral,
    acting_user,
    reason: str,
    note: str,
    duplicate_of: Referral | None = None,
    request=None,
) -> Referral:
    """Withdrawn or duplicate requests are closed with a reason, never deleted."""
    from referrals.access import can_withdraw

    if not can_withdraw(acting_user, referral):
        raise DomainError("You cannot close this request.")
    if reason not in ClosedReason.values:
        raise DomainError("Select why the request is being closed")
    if not (note or "").strip():
        raise DomainError("Enter a note explaining why the request is being closed")
    if reason == ClosedReason.DUPLICATE:
        if duplicate_of is None:
            raise DomainError("Enter the reference of the request this one duplicates")
        if duplicate_of.pk == referral.pk:
            raise DomainError("A request cannot be a duplicate of itself")
    else:
        duplicate_of = None
    return transitions.close(
        referral,
        acting_user=acting_user,
        reason=f"{ClosedReason(reason).label}: {note.strip()[:500]}",
        request=request,
        closed_reason=reason,
        closed_note=note.strip(),
        duplicate_of=duplicate_of,
    )
