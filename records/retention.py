"""The retention schedule: closed early help records are kept until the youngest child in
the family is 25 (configurable), plus a configurable number of years. A monthly job lists
families past retention; a manager approves; disposal removes personal data and leaves the
review row and an audit entry as the stub (what, when, on whose approval)."""

import datetime
import json

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Case, Exists, Max, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases import access as case_access
from cases.codes import Relationship
from cases.models import EarlyHelpCase, Family, Person, RecordChange
from earlyhelp.audit import audit
from earlyhelp.errors import DomainError
from earlyhelp.models import AuditAction
from partners import doors
from records.models import RetentionReview, RetentionSchedule, ReviewStatus

DISPOSED = "Disposed"
# Apps whose records can hang off a family, a case, a person or a request for support.
# (reporting.summaries holds only codes and counts, and is rebuilt from these.)
CASE_DATA_APPS = (
    "cases",
    "referrals",
    "assessments",
    "reporting",
    "directory",
    "oversight",
    "outcomes",
    "records",
)
# Rows that are the stub itself, or that disposal rewrites on its own terms.
NOT_SWEPT = ("cases.Family", "cases.Person", "cases.RecordChange", "records.RetentionReview")
# Text fields that hold codes, states or structure, never anything about a person. Every
# other text, e-mail, JSON or free-standing character field (one without choices) in a row
# linked to the family is emptied: a new personal field is disposed of without code changes.
NOT_PERSONAL = {
    "cases.CaseStatusChange": ("from_status", "to_status", "verb"),
    "cases.StepUpRequestStatusChange": ("from_status", "to_status", "verb"),
    "cases.ChronologyEntry": ("source_type",),
    "cases.StepEvent": ("other_service",),
    "cases.StepUpRequest": ("social_care_team",),
    "cases.TeamAroundFamilyMember": ("role_in_team",),
    "assessments.AssessmentVersion": ("need_codes", "field_labels"),
    "assessments.AssessmentStatusChange": ("from_status", "to_status", "verb"),
    "assessments.PlanActionStatusChange": ("from_status", "to_status", "verb"),
    "assessments.MeetingStatusChange": ("from_status", "to_status", "verb"),
    "referrals.ReferralStatusHistory": ("verb",),
    "reporting.EducationEvent": ("source",),
    "outcomes.ProgrammeEpisode": ("claim_status",),
    "outcomes.Claim": ("period", "rules"),
    "records.PersonMerge": ("moved",),
}
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retain_until(family: Family, schedule: RetentionSchedule) -> datetime.date | None:
    """None while a case is open or the family never had one."""
    cases = EarlyHelpCase.objects.filter(family=family)
    if not cases.exists() or cases.exclude(status="closed").exists():
        return None
    last_closed = cases.aggregate(last=Max("closed_on"))["last"]
    youngest = (
        Person.objects.filter(
            memberships__family=family, memberships__relationship=Relationship.CHILD
        )
        .annotate(born=Coalesce("date_of_birth", "expected_date"))
        .aggregate(youngest=Max("born"))["youngest"]
    )
    base = _add_years(youngest, schedule.keep_until_youngest_is) if youngest else last_closed
    return _add_years(max(base, last_closed), schedule.extra_years)


def families_past_retention(today: datetime.date):
    """Families whose every case is closed and whose retention date has passed."""
    schedule = RetentionSchedule.current()
    open_case = EarlyHelpCase.objects.filter(family=OuterRef("pk")).exclude(status="closed")
    candidates = (
        Family.objects.filter(cases__isnull=False)
        .exclude(Exists(open_case))
        .exclude(retention_reviews__status__in=[ReviewStatus.PENDING, ReviewStatus.DISPOSED])
        .select_related("district")
        .distinct()
    )
    for family in candidates.iterator():
        until = retain_until(family, schedule)
        if until is not None and until < today:
            yield family, until


@transaction.atomic
def retention_list_due(*, today: datetime.date | None = None) -> list[RetentionReview]:
    """The monthly job: one pending review per family past retention, and a notification
    to the district's team managers. Running it twice lists nobody twice."""
    from earlyhelp.notifications import notify

    today = today or timezone.localdate()
    created = []
    for family, until in families_past_retention(today):
        last_closed = EarlyHelpCase.objects.filter(family=family).aggregate(m=Max("closed_on"))["m"]
        review = RetentionReview.objects.create(
            family=family,
            family_number=family.pk,
            district_name=family.district.name,
            last_closed_on=last_closed,
            retain_until=until,
            listed_on=today,
        )
        created.append(review)
    if created:
        districts = {r.family.district_id for r in created}
        for manager in case_access.team_managers_in(districts):
            notify(
                user=manager,
                subject="Records past retention are waiting for your approval",
                url="/retention/",
                email=False,
            )
    return created


def reviews_for(user):
    """Pending reviews a manager may decide: families in their districts."""
    if not doors.MANAGERS.allows(user):
        return RetentionReview.objects.none()
    return RetentionReview.objects.filter(
        status=ReviewStatus.PENDING,
        family__district__in=user.districts.all(),
    ).select_related("family", "family__district")


def _paths_to(model, depth: int = 3) -> list[tuple[str, type]]:
    """(lookup, target) from `model` to a Family, case, person or request through foreign
    keys, following links within the case data apps."""
    from referrals.models import Referral

    targets = (Family, EarlyHelpCase, Person, Referral)
    found = []

    def walk(current, prefix, left):
        for field in current._meta.get_fields():
            if not (field.many_to_one and field.concrete):
                continue
            target = field.related_model
            path = f"{prefix}{field.name}"
            if target in targets:
                found.append((path, target))
            elif left > 1 and target._meta.app_label in CASE_DATA_APPS:
                walk(target, f"{path}__", left - 1)

    walk(model, "", depth)
    if model in targets:
        found.append(("pk", model))
    return found


def _emptied(field):
    """What a personal field holds after disposal: free text and JSON empty; a short field
    that held something says "Disposed" (a row may need a value there to stay valid)."""
    if isinstance(field, models.JSONField):
        return field.get_default()
    if isinstance(field, models.TextField | models.EmailField):
        return "" if field.blank else DISPOSED
    placeholder = Value(DISPOSED[: field.max_length or None])
    return Case(When(**{field.name: ""}, then=Value("")), default=placeholder)


def _personal_fields(model) -> dict:
    keep = NOT_PERSONAL.get(model._meta.label, ())
    return {
        field.name: _emptied(field)
        for field in model._meta.concrete_fields
        if isinstance(field, TEXT_FIELDS)
        and not field.choices
        and not field.unique
        and field.name not in keep
    }


def _blank_personal(family: Family, people) -> dict[str, int]:
    """Empty every personal field in rows hanging off the family, its cases, its people and
    the requests for support about them; the rows stay so past figures still add up."""
    from referrals.models import Referral

    people_ids = list(people.values_list("pk", flat=True))
    ids = {
        Family: [family.pk],
        EarlyHelpCase: list(
            EarlyHelpCase.objects.filter(family=family).values_list("pk", flat=True)
        ),
        Person: people_ids,
        Referral: list(
            Referral.objects.filter(
                Q(family=family) | Q(case__family=family) | Q(people__person__in=people_ids)
            ).values_list("pk", flat=True)
        ),
    }
    counts = {}
    for app_label in CASE_DATA_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.label in NOT_SWEPT:
                continue
            updates = _personal_fields(model)
            paths = _paths_to(model)
            if not updates or not paths:
                continue
            linked = Q()
            for path, target in paths:
                linked |= Q(**{f"{path}__in": ids[target]})
            n = model.objects.filter(pk__in=model.objects.filter(linked).values("pk")).update(
                **updates
            )
            if n:
                name = str(model._meta.verbose_name_plural)  # may be a lazy translation
                counts[name] = counts.get(name, 0) + n
    counts.update(_blank_messages(ids[EarlyHelpCase]))
    return counts


def _blank_messages(case_ids: list[int]) -> dict[str, int]:
    """The e-mails owed or sent about the family's cases (meeting places, notes to external
    members) and the addresses of members without an account."""
    from earlyhelp.outbox.models import OutboxMessage

    # Found from the registry, as the rows above are: records builds on no app's messages.
    Notice = apps.get_model("reminders", "Notice")  # noqa: N806 - a model class
    notices = Notice.objects.filter(case_id__in=case_ids)
    keys = [f"notice:{pk}" for pk in notices.values_list("pk", flat=True)]
    emails = OutboxMessage.objects.filter(key__in=keys).update(
        to_address=DISPOSED, body="", attachments=[]
    )
    notices.exclude(recipient_email="").update(recipient_email="")
    return {"e-mails about the family": emails} if emails else {}


@transaction.atomic
def retention_decide(
    *, review: RetentionReview, acting_user, approve: bool, note: str = "", request=None
) -> RetentionReview:
    """A manager's decision. Approve: dispose of the family's personal data now. Keep:
    the family stays (with the reason) and is listed again next month."""
    review = RetentionReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.PENDING:
        raise DomainError("This review has already been decided.")
    if not reviews_for(acting_user).filter(pk=review.pk).exists():
        raise DomainError("Only a team manager for the family's district can decide this.")
    note = (note or "").strip()
    if not approve and len(note) < 10:
        raise DomainError(
            "Say why the record should be kept for longer, in at least 10 characters."
        )
    review.decided_by = acting_user
    review.decided_at = timezone.now()
    review.decision_note = note[:2000]
    if not approve:
        review.status = ReviewStatus.KEPT
        review.save()
        audit(
            user=acting_user,
            action=AuditAction.CHANGE,
            record=review.family,
            request=request,
            changes={"retention": ["due", "kept"]},
            reason=note,
        )
        return review
    summary = dispose_family(review.family)
    review.status = ReviewStatus.DISPOSED
    review.disposed_summary = summary
    review.save()
    audit(
        user=acting_user,
        action=AuditAction.CHANGE,
        record_type="family",
        record_id=review.family_number,
        request=request,
        changes={"disposed": summary},
        reason=f"Disposed under the retention schedule (review {review.pk}), approved by "
        f"{acting_user.full_name}",
    )
    return review


def dispose_family(family: Family) -> dict:
    """Remove the personal data of a family past retention. The rows stay (so counts in past
    reports still add up) but say nothing about anyone: what remains is the stub."""
    from cases.selectors import record_and_merged_ids

    # A member who also belongs to a household still kept (a parent in two homes) keeps
    # their details there; this household's own rows are emptied all the same.
    kept_elsewhere = Family.objects.exclude(pk=family.pk).exclude(
        retention_reviews__status=ReviewStatus.DISPOSED
    )
    members = (
        Person.objects.filter(memberships__family=family)
        .exclude(memberships__family__in=kept_elsewhere)
        .values_list("pk", flat=True)
    )
    # Records merged into a member carry the same person's details.
    people = Person.objects.filter(
        pk__in={pk for member in members for pk in record_and_merged_ids(member)}
    )
    n_people = 0
    for person in people:
        born = person.date_of_birth or person.expected_date
        year_only = datetime.date(born.year, 1, 1)
        Person.objects.filter(pk=person.pk).update(
            first_name=DISPOSED,
            last_name="",
            preferred_name="",
            other_names="",
            nhs_number=None,
            upn=None,
            interpreter_notes="",
            date_of_birth=year_only if person.date_of_birth else None,
            expected_date=year_only if person.date_of_birth is None else None,
            restricted_contact="",
        )
        person.named_people.clear()
        RecordChange.objects.filter(person=person).delete()
        n_people += 1
    texts = _blank_personal(family, people)
    Family.objects.filter(pk=family.pk).update(
        name=f"{DISPOSED} household",
        address_line_1=DISPOSED,
        address_line_2="",
        town="",
        postcode="",
        restricted_contact="",
        moved_to="",
    )
    family.named_people.clear()
    RecordChange.objects.filter(family=family).delete()
    redacted = _redact_audit_values(family, [p.pk for p in people])
    return {
        "people": n_people,
        "household": "name and address",
        "personal details emptied": texts,
        "audit rows whose quoted values were removed": redacted,
    }


DISPOSED_VALUES = {"disposed": "values removed with the record"}


def _redact_audit_values(family: Family, person_ids: list[int]) -> int:
    """The audit rows about the family and its people keep who, what, which record and when,
    but lose the old and new values they quoted (names, addresses): the one change the
    append-only trigger allows, and only in this transaction (earlyhelp migration 0008)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL earlyhelp.audit_redaction = 'disposal'")
        cursor.execute(
            "UPDATE earlyhelp_auditevent SET changes = %s::jsonb "
            "WHERE (family_id = %s OR person_id = ANY(%s)) AND changes <> '{}'::jsonb "
            "AND changes <> %s::jsonb",
            [json.dumps(DISPOSED_VALUES), family.pk, person_ids, json.dumps(DISPOSED_VALUES)],
        )
        redacted = cursor.rowcount
        cursor.execute("SET LOCAL earlyhelp.audit_redaction = ''")
    return redacted
