"""The retention schedule: closed early help records are kept until the youngest child in
the family is 25 (configurable), plus a configurable number of years. A monthly job lists
families past retention; a manager approves; disposal removes personal data and leaves the
review row and an audit entry as the stub (what, when, on whose approval)."""

import datetime

from django.apps import apps
from django.db import models, transaction
from django.db.models import Exists, Max, OuterRef
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
# Apps whose records hang off a family or a case and hold what people wrote.
CASE_DATA_APPS = ("cases", "assessments", "referrals")


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


def _paths_to(model, targets, depth: int = 3):
    """Lookups from `model` to Family or EarlyHelpCase through foreign keys."""
    found = []

    def walk(current, prefix, left):
        for field in current._meta.get_fields():
            if not (field.many_to_one and field.concrete):
                continue
            target = field.related_model
            path = f"{prefix}{field.name}"
            if target is Family:
                found.append(path)
            elif target is EarlyHelpCase:
                found.append(f"{path}__family")
            elif left > 1 and target._meta.app_label in CASE_DATA_APPS and target is not Person:
                walk(target, f"{path}__", left - 1)

    walk(model, "", depth)
    return found


def _blank_text(family: Family) -> dict[str, int]:
    """Empty every free-text and JSON field in records hanging off the family's cases."""
    counts = {}
    for app_label in CASE_DATA_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model in (Family, Person, RecordChange):
                continue
            updates = {}
            for field in model._meta.concrete_fields:
                if isinstance(field, models.JSONField):
                    updates[field.name] = field.get_default()
                elif isinstance(field, models.TextField):
                    updates[field.name] = "" if field.blank else DISPOSED
            if not updates:
                continue
            for path in _paths_to(model, (Family, EarlyHelpCase)):
                n = model.objects.filter(**{path: family}).update(**updates)
                if n:
                    name = str(model._meta.verbose_name_plural)  # may be a lazy translation
                    counts[name] = counts.get(name, 0) + n
    return counts


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
    people = Person.objects.filter(memberships__family=family).distinct()
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
    from referrals.models import ReferralPerson

    referral_people = ReferralPerson.objects.filter(person__in=people).update(
        first_name=DISPOSED, last_name="", nhs_number="", upn=""
    )
    texts = _blank_text(family)
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
    return {
        "people": n_people,
        "people named in requests": referral_people,
        "household": "name and address",
        "free text emptied": texts,
    }
