"""The reminders engine: sweep (find what is due, write one row per reminder), send (claim
pending rows, notify, email), digest (one email a day for those who asked).

Exactly once (docs/adr/0004-reminders-exactly-once.md): the sweep only INSERTs rows under a
UNIQUE idempotency key (ON CONFLICT DO NOTHING), guarded by a PostgreSQL advisory lock so
two beat processes do not even race; the sender claims rows with SELECT ... FOR UPDATE SKIP
LOCKED and writes the notification and `sent` in the same transaction as the email goes
out. A worker killed mid-task rolls its transaction back; the row is still pending and the
next run (redelivery, or beat's next minute) sends it.
"""

import datetime
import logging
import os
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import format_lazy

from cases.access import cases_visible_to, team_managers
from cases.models import EarlyHelpCase
from directory.access import is_directory_editor
from earlyhelp.models import Notification
from earlyhelp.notifications import notification_email_enqueue
from earlyhelp.wording import term_lazy
from earlyhelp.working_days import add_working_days, is_working_day, working_days_between
from partners.models import User
from referrals.access import front_door_officers, is_partner_manager, referrals_visible_to
from referrals.models import Referral
from reminders import conf
from reminders.access import triage_reminder_pairs, visible_case_pairs
from reminders.deadlines import Deadline, deadlines_due_by
from reminders.models import (
    DeadlineKind,
    Delivery,
    MessageKind,
    Notice,
    OccurrenceStatus,
    ReminderDigest,
    ReminderOccurrence,
    Stage,
)
from reminders.preferences import deliveries_for

logger = logging.getLogger(__name__)

SWEEP_LOCK_KEY = 0x5E4D_0001  # pg advisory lock id for "reminders sweep"
RESPONSIBLE_STAGES = (Stage.DUE_SOON, Stage.DUE_TODAY, Stage.OVERDUE)
NOT_CASE_KINDS = (DeadlineKind.TRIAGE, DeadlineKind.SERVICE_REVIEW)


# --- Stages ---


def escalation_cutoff(today: datetime.date, margin: int) -> datetime.date:
    """The latest due date that is overdue by at least `margin` working days today
    (working_days_between(due_on, today) >= margin exactly when due_on <= the cut-off)."""
    day = today
    counted = 0
    while counted < margin:
        if is_working_day(day):
            counted += 1
        day -= datetime.timedelta(days=1)
    return day


@dataclass(frozen=True)
class StageWindows:
    today: datetime.date
    soon_until: datetime.date
    escalate_on_or_before: datetime.date

    @classmethod
    def for_day(cls, today: datetime.date) -> "StageWindows":
        return cls(
            today=today,
            soon_until=add_working_days(today, conf.due_soon_working_days()),
            escalate_on_or_before=escalation_cutoff(today, conf.escalation_working_days()),
        )

    def stages(self, due_on: datetime.date) -> tuple[str, ...]:
        if due_on > self.today:
            return (Stage.DUE_SOON,) if due_on <= self.soon_until else ()
        if due_on == self.today:
            return (Stage.DUE_TODAY,)
        if due_on <= self.escalate_on_or_before:
            return (Stage.OVERDUE, Stage.ESCALATION)
        return (Stage.OVERDUE,)


# --- Who is told, and whether they may be ---


def _front_door_by_district() -> dict[int, list[int]]:
    through = User.districts.through
    rows = through.objects.filter(user__in=front_door_officers()).values_list(
        "district_id", "user_id"
    )
    result: dict[int, list[int]] = defaultdict(list)
    for district_id, user_id in rows:
        result[district_id].append(user_id)
    return result


class ManagerIndex:
    """Team managers who might have a record in scope, by district and by agency: a cheap
    narrowing before the real access check (visible_ids), which has the last word."""

    def __init__(self):
        self.by_district: dict[int, set[int]] = defaultdict(set)
        self.by_agency: dict[int, set[int]] = defaultdict(set)
        managers = team_managers()
        for user_id, agency_id in managers.values_list("pk", "agency_id"):
            if agency_id:
                self.by_agency[agency_id].add(user_id)
        through = User.districts.through
        for user_id, district_id in through.objects.filter(user__in=team_managers()).values_list(
            "user_id", "district_id"
        ):
            self.by_district[district_id].add(user_id)

    def for_deadline(self, deadline: Deadline) -> set[int]:
        found = set(self.by_district.get(deadline.district_id, ()))
        if deadline.lead_agency_id:
            found |= self.by_agency.get(deadline.lead_agency_id, set())
        return found


def visible_ids(user, *, triage: bool, ids: Iterable[int]) -> set[int]:
    """Which of these case ids (or referral ids, for triage) the user may see: the same
    scoping functions as every page, one query per person."""
    ids = list(set(ids))
    if not ids:
        return set()
    if triage:
        if is_partner_manager(user):
            return set()  # triage is the council front door's work, not a partner's
        qs = referrals_visible_to(user)
    else:
        qs = cases_visible_to(user)
    return set(qs.filter(pk__in=ids).values_list("pk", flat=True))


def _subject_id(deadline_kind: str, record_id: int, case_id: int | None) -> int:
    return record_id if deadline_kind == DeadlineKind.TRIAGE else case_id


# --- The sweep ---


@dataclass
class SweepResult:
    today: str
    locked_out: bool = False
    deadlines: int = 0
    candidates: int = 0
    new: int = 0
    denied: int = 0
    written: int = 0
    seconds: float = 0.0
    by_stage: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def reminders_sweep(*, today: datetime.date | None = None, use_lock: bool = True) -> SweepResult:
    """Find every deadline in a reminder window and write one pending row per (deadline,
    stage, person) not already written. Safe to run any number of times, concurrently."""
    started = time.monotonic()
    today = today or timezone.localdate()
    result = SweepResult(today=today.isoformat())
    windows = StageWindows.for_day(today)
    with transaction.atomic():
        if use_lock:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SWEEP_LOCK_KEY])
                if not cursor.fetchone()[0]:
                    result.locked_out = True
                    logger.info("reminders sweep skipped: another sweep holds the lock")
                    return result
        candidates = _candidates(windows, result)
        fresh = _without_existing(candidates)
        result.new = len(fresh)
        allowed = _allowed(fresh)
        result.denied = len(fresh) - len(allowed)
        _write(allowed)
        result.written = len(allowed)
    for _, stage, _ in allowed:
        result.by_stage[stage] = result.by_stage.get(stage, 0) + 1
    result.seconds = round(time.monotonic() - started, 3)
    logger.info(
        "reminders sweep: deadlines=%s candidates=%s new=%s denied=%s seconds=%s",
        result.deadlines,
        result.candidates,
        result.new,
        result.denied,
        result.seconds,
    )
    return result


def _write(allowed: list[tuple[Deadline, str, int]]) -> None:
    """One INSERT from arrays for every new reminder, the existing ones skipped by the
    UNIQUE key (as bulk_create(ignore_conflicts=True) would). bulk_create built a model
    instance and prepared fourteen values in Python for each row: most of a county's first
    sweep (9,500 rows). The columns not given take the model's defaults, named here."""
    if not allowed:
        return
    columns = zip(
        *((d.kind, d.record_type, d.record_id, d.case_id, d.due_on, s, r) for d, s, r in allowed),
        strict=True,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reminders_reminderoccurrence (kind, record_type, record_id, case_id,"
            " due_on, stage, recipient_id, status, by_digest, created_at, cancelled_reason)"
            " SELECT k, t, r, c, d, s, u, %s, false, %s, ''"
            " FROM unnest(%s::varchar[], %s::varchar[], %s::bigint[], %s::bigint[],"
            " %s::date[], %s::varchar[], %s::bigint[]) AS x(k, t, r, c, d, s, u)"
            " ON CONFLICT DO NOTHING",
            [OccurrenceStatus.PENDING, timezone.now(), *(list(c) for c in columns)],
        )


def _candidates(windows: StageWindows, result: SweepResult) -> list[tuple[Deadline, str, int]]:
    front_door = None
    managers = None
    candidates: list[tuple[Deadline, str, int]] = []
    for deadline in deadlines_due_by(windows.soon_until):
        result.deadlines += 1
        for stage in windows.stages(deadline.due_on):
            if deadline.kind == DeadlineKind.SERVICE_REVIEW:
                if stage != Stage.ESCALATION and deadline.responsible_id:
                    candidates.append((deadline, stage, deadline.responsible_id))
                continue
            waiting = deadline.kind == DeadlineKind.ALLOCATION
            if waiting and stage not in (Stage.OVERDUE, Stage.ESCALATION):
                # Nobody leads a waiting case: only its lateness goes to the team's managers
                # (their allocation queue already shows what is waiting).
                continue
            if stage == Stage.ESCALATION or waiting:
                if managers is None:
                    managers = ManagerIndex()
                candidates.extend(
                    (deadline, stage, m) for m in sorted(managers.for_deadline(deadline))
                )
            elif deadline.responsible_id:
                candidates.append((deadline, stage, deadline.responsible_id))
            elif deadline.kind == DeadlineKind.TRIAGE and deadline.district_id:
                if front_door is None:
                    front_door = _front_door_by_district()
                candidates.extend(
                    (deadline, stage, u) for u in front_door.get(deadline.district_id, ())
                )
    result.candidates = len(candidates)
    return candidates


def _without_existing(candidates):
    """Drop candidates already written (the common case on every sweep after the first), so
    the access checks run only for new reminders. The constraint still has the last word."""
    if not candidates:
        return []
    low = min(d.due_on for d, _, _ in candidates)
    high = max(d.due_on for d, _, _ in candidates)
    existing = set(
        ReminderOccurrence.objects.filter(due_on__gte=low, due_on__lte=high).values_list(
            "kind", "record_id", "due_on", "stage", "recipient_id"
        )
    )
    return [
        c
        for c in candidates
        if (c[0].kind, c[0].record_id, c[0].due_on, c[1], c[2]) not in existing
    ]


def _allowed(candidates):
    """Keep only reminders about records the recipient may see (the rules of cases/access.py
    and referrals/access.py), checked for every recipient at once in a constant number of
    queries (reminders/access.py), not one query per person. A directory entry's review
    goes to its editor while they still keep the directory."""
    service_reviews = [r for r in candidates if r[0].kind == DeadlineKind.SERVICE_REVIEW]
    candidates = [r for r in candidates if r[0].kind != DeadlineKind.SERVICE_REVIEW]
    case_pairs = {(r[2], r[0].case_id) for r in candidates if r[0].kind != DeadlineKind.TRIAGE}
    referral_pairs = {
        (r[2], r[0].record_id) for r in candidates if r[0].kind == DeadlineKind.TRIAGE
    }
    seen_cases = visible_case_pairs(case_pairs)
    seen_referrals = triage_reminder_pairs(referral_pairs)
    editors = (
        {
            user.pk
            for user in User.objects.filter(pk__in={r[2] for r in service_reviews}, is_active=True)
            if is_directory_editor(user)
        }
        if service_reviews
        else set()
    )
    return [r for r in service_reviews if r[2] in editors] + [
        r
        for r in candidates
        if (
            (r[2], r[0].record_id) in seen_referrals
            if r[0].kind == DeadlineKind.TRIAGE
            else (r[2], r[0].case_id) in seen_cases
        )
    ]


# --- Sending ---

KIND_WORDS = {
    DeadlineKind.ASSESSMENT: term_lazy("An early help assessment"),
    DeadlineKind.FIRST_TAF: "A first Team Around the Family meeting",
    DeadlineKind.REVIEW: "A Team Around the Family review",
    DeadlineKind.TRIAGE: "A triage decision on a request for support",
    DeadlineKind.DRIFT: "A case with no recorded activity",
    DeadlineKind.ALLOCATION: format_lazy(
        "Allocating a {} to a waiting case", term_lazy("lead professional")
    ),
    DeadlineKind.ACTION: "A family plan action you own",
    DeadlineKind.SERVICE_REVIEW: "A review of a directory entry you keep",
}


def reminder_text(row: ReminderOccurrence, today: datetime.date) -> tuple[str, str]:
    """(subject, in-app body). The subject goes in the email too, so it names no family
    and no case: only the kind of work and the date."""
    what = KIND_WORDS[row.kind]
    due = f"{row.due_on:%-d %B %Y}"
    if row.kind == DeadlineKind.DRIFT:
        quiet = f"{conf.drift_days()} days"
        subject = {
            Stage.DUE_SOON: f"A case will have no recorded activity for {quiet} on {due}",
            Stage.DUE_TODAY: f"A case reaches {quiet} with no recorded activity today",
            Stage.OVERDUE: f"A case has had no recorded activity for over {quiet}",
            Stage.ESCALATION: f"Escalation: a case has had no recorded activity for over {quiet}",
        }[row.stage]
    else:
        late = max(0, working_days_between(row.due_on, today))
        subject = {
            Stage.DUE_SOON: f"{what} is due on {due}",
            Stage.DUE_TODAY: f"{what} is due today",
            Stage.OVERDUE: f"{what} is overdue (it was due on {due})",
            Stage.ESCALATION: f"Escalation: {what.lower()[0]}{what[1:]} is overdue by "
            f"{late} working day{'s' if late != 1 else ''}",
        }[row.stage]
    if row.kind == DeadlineKind.SERVICE_REVIEW:
        reference = "Check the entry is still right, then mark it as reviewed"
    elif row.kind == DeadlineKind.TRIAGE:
        reference = f"Request {Referral.reference_for(row.record_id)}"
    else:
        reference = f"Case {EarlyHelpCase.reference_for(row.case_id)}"
    return subject[:200], f"{reference}. Due on {due}."


def reminder_url(row: ReminderOccurrence) -> str:
    if row.kind == DeadlineKind.SERVICE_REVIEW:
        name, pk = "directory_service", row.record_id
    elif row.kind == DeadlineKind.TRIAGE:
        name, pk = "referral_detail", row.record_id
    elif row.kind == DeadlineKind.ACTION:
        name, pk = "family_plan", row.case_id
    else:
        name, pk = "case_detail", row.case_id
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return f"/requests/{pk}/" if row.kind == DeadlineKind.TRIAGE else f"/cases/{pk}/"


@dataclass
class Delivered:
    """What a sending run did with the rows it claimed (reminders here, notices in
    reminders/notices.py)."""

    sent: int = 0
    emailed: int = 0
    cancelled: int = 0
    failed: int = 0


@dataclass
class SendResult(Delivered):
    batches: int = 0


def _test_pause() -> None:
    """Test-only: hold the claimed rows while a file exists, so a test can kill the worker
    mid-task (tests/reminders/test_exactly_once.py). Inert unless both are set."""
    path = os.environ.get("REMINDERS_TEST_PAUSE_FILE")
    if not (settings.TESTING and path and os.path.exists(path)):
        return
    with open(f"{path}.claimed", "w") as marker:
        marker.write(str(os.getpid()))
    deadline = time.monotonic() + 120
    while os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.1)


def _still_due(rows: list[ReminderOccurrence]) -> set[tuple]:
    record_ids: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        record_ids[row.kind].append(row.record_id)
    latest = max(row.due_on for row in rows)
    return {
        (d.kind, d.record_id, d.due_on)
        for d in deadlines_due_by(latest, kinds=list(record_ids), record_ids=record_ids)
    }


def reminders_send_pending(
    *, max_seconds: float = 45.0, batch: int | None = None, email: bool = True
) -> SendResult:
    """Claim pending reminders (SKIP LOCKED, so two senders never take the same row), check
    each is still due and still visible to its recipient, then notify in-app and owe a
    link-only email in the outbox (or leave it for the daily digest), marking the row sent in
    the same transaction. The emails are handed to the mail server afterwards, outside any
    transaction (outbox/services.py), so a crash repeats at most the message in flight."""
    result = SendResult()

    def send_batch(rows: list[ReminderOccurrence]) -> None:
        result.batches += 1
        _test_pause()
        _send_batch(rows, result)

    send_claimed(
        ReminderOccurrence.objects.select_related("recipient", "recipient__agency"),
        send_batch,
        batch=batch or conf.send_batch(),
        max_seconds=max_seconds,
        email=email,
    )
    return result


def send_claimed(
    rows: QuerySet, send_batch, *, batch: int, max_seconds: float, email: bool
) -> None:
    """Claim pending `rows` a batch at a time (SKIP LOCKED, so two senders never take the
    same row) and hand each batch to `send_batch` inside its claim transaction, until none
    are left or `max_seconds` have gone; then, with `email`, hand the owed emails to the
    mail server in the time left (reminder_emails_send)."""
    started = time.monotonic()
    while time.monotonic() - started < max_seconds:
        with transaction.atomic():
            claimed = list(
                rows.select_for_update(skip_locked=True, of=("self",))
                .filter(status=OccurrenceStatus.PENDING)
                .order_by("pk")[:batch]
            )
            if not claimed:
                break
            send_batch(claimed)
    if email:
        reminder_emails_send(started=started, max_seconds=max_seconds)


def cancel_unsent(row, reason: str, result) -> None:
    """A pending reminder or notice that must not go: cancelled for `reason`, and counted."""
    row.status = OccurrenceStatus.CANCELLED
    row.cancelled_reason = reason
    row.save(update_fields=["status", "cancelled_reason"])
    result.cancelled += 1


def _send_batch(rows: list[ReminderOccurrence], result: SendResult) -> None:
    now = timezone.now()
    today = timezone.localdate(now)
    still_due = _still_due(rows)
    visible: dict[int, set[int]] = {}
    by_recipient: dict[int, list[ReminderOccurrence]] = defaultdict(list)
    for row in rows:
        by_recipient[row.recipient_id].append(row)
    for rows_of_user in by_recipient.values():
        user = rows_of_user[0].recipient
        visible[user.pk] = visible_ids(
            user,
            triage=False,
            ids=[r.case_id for r in rows_of_user if r.kind not in NOT_CASE_KINDS],
        ) | {
            -i
            for i in visible_ids(
                user,
                triage=True,
                ids=[r.record_id for r in rows_of_user if r.kind == DeadlineKind.TRIAGE],
            )
        }
    deliveries = deliveries_for({row.recipient_id: row.recipient for row in rows}.values())
    for row in rows:
        user = row.recipient
        reason = ""
        if row.kind == DeadlineKind.SERVICE_REVIEW:
            key, may_see = None, is_directory_editor(user)
        else:
            subject_id = _subject_id(row.kind, row.record_id, row.case_id)
            key = -subject_id if row.kind == DeadlineKind.TRIAGE else subject_id
            may_see = key in visible[user.pk]
        if (row.kind, row.record_id, row.due_on) not in still_due:
            reason = "no_longer_due"
        elif not user.is_active or not may_see:
            reason = "not_visible"
        if reason:
            cancel_unsent(row, reason, result)
            continue
        try:
            kind = MessageKind.ACTIONS if row.kind == DeadlineKind.ACTION else MessageKind.DEADLINES
            with transaction.atomic():
                _deliver(row, user, now, today, result, deliveries[(user.pk, kind)])
        except SoftTimeLimitExceeded:
            raise
        except Exception as exc:  # noqa: BLE001 - one bad row must not stop the rest
            result.failed += 1
            logger.warning(
                "reminder not sent, will retry: reminder=%s error=%s",
                row.pk,
                exc.__class__.__name__,
            )


def _deliver(row, user, now, today, result: SendResult, delivery: str = Delivery.EMAIL) -> None:
    """In-app notification, and the email owed in the outbox, in the claim transaction: the
    mail server is never talked to while rows are locked (outbox_send sends it after)."""
    subject, body = reminder_text(row, today)
    notification = Notification.objects.create(
        user=user, subject=subject, body=body, url=reminder_url(row)
    )
    row.by_digest = delivery == Delivery.DIGEST
    if user.email and delivery == Delivery.EMAIL:
        reminder_email_enqueue(row, notification)
        result.emailed += 1
    row.status = OccurrenceStatus.SENT
    row.sent_at = now
    row.notification = notification
    row.save(update_fields=["status", "sent_at", "notification", "by_digest"])
    result.sent += 1


def reminder_email_enqueue(row: ReminderOccurrence, notification: Notification) -> None:
    """One outbox message per reminder row: the key makes it once per (reminder, stage,
    person) whatever happens to the sender."""
    from earlyhelp.outbox.models import MessageKind

    notification_email_enqueue(notification, key=f"reminder:{row.pk}", kind=MessageKind.REMINDER)


def reminder_emails_send(*, started: float, max_seconds: float):
    """After the claim transactions: hand the owed emails to the mail server, in the time
    left to this run."""
    from earlyhelp.outbox.services import outbox_send

    left = max_seconds - (time.monotonic() - started)
    if left <= 0:
        return None
    return outbox_send(max_seconds=left)


# --- Daily digest ---


def reminders_send_digests(*, day: datetime.date | None = None) -> int:
    """One email per person with reminders held for the digest: how many, of what kind,
    and a link to the notifications page. Names no family. At most one per person per day
    (UNIQUE recipient + day)."""
    day = day or timezone.localdate()
    sent = 0
    held = {"by_digest": True, "status": OccurrenceStatus.SENT, "digested_at__isnull": True}
    recipients = set(
        ReminderOccurrence.objects.filter(**held).values_list("recipient_id", flat=True)
    ) | set(
        Notice.objects.filter(recipient__isnull=False, **held).values_list(
            "recipient_id", flat=True
        )
    )
    for recipient_id in sorted(recipients):
        with transaction.atomic():
            if ReminderDigest.objects.filter(recipient_id=recipient_id, digest_on=day).exists():
                continue
            rows = list(
                ReminderOccurrence.objects.select_for_update(skip_locked=True)
                .filter(recipient_id=recipient_id, **held)
                .order_by("due_on", "pk")
            )
            notices = list(
                Notice.objects.select_for_update(skip_locked=True)
                .filter(recipient_id=recipient_id, **held)
                .order_by("pk")
            )
            if not rows and not notices:
                continue
            try:
                with transaction.atomic():
                    ReminderDigest.objects.create(
                        recipient_id=recipient_id,
                        digest_on=day,
                        reminder_count=len(rows) + len(notices),
                    )
            except IntegrityError:  # another run wrote today's digest first
                continue
            user = User.objects.get(pk=recipient_id)
            if user.email and user.is_active:
                _send_digest_email(user, rows, day, notices)
            # Marked in the same transaction as the digest row: an item is in one digest only.
            now = timezone.now()
            ReminderOccurrence.objects.filter(pk__in=[r.pk for r in rows]).update(digested_at=now)
            Notice.objects.filter(pk__in=[n.pk for n in notices]).update(digested_at=now)
            sent += 1
    from earlyhelp.outbox.services import outbox_send

    outbox_send()
    return sent


def _send_digest_email(user, rows, day: datetime.date, notices=()) -> None:
    """Owe the digest email in the outbox, in the digest's transaction (once per person per
    day: the key matches ReminderDigest's UNIQUE key)."""
    from earlyhelp.outbox.emails import digest_email
    from earlyhelp.outbox.models import MessageKind as OutboxKind
    from earlyhelp.outbox.services import message_enqueue
    from reminders.models import NoticeKind

    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[Stage(row.stage).label] += 1
    for notice in notices:
        counts[NoticeKind(notice.kind).label] += 1
    subject, body = digest_email(
        total=len(rows) + len(notices), counts=dict(counts), url=reverse("notification_list")
    )
    message_enqueue(
        key=f"digest:{user.pk}:{day:%Y-%m-%d}",
        kind=OutboxKind.DIGEST,
        to_address=user.email,
        subject=subject,
        body=body,
        recipient=user,
    )


# --- Preferences ---


def reminder_preferences_set(*, user, digest: bool) -> User:
    from reminders.models import MessagePreference

    User.objects.filter(pk=user.pk).update(digest_reminders=digest)
    # The single switch speaks for deadline reminders: drop a finer choice made before.
    MessagePreference.objects.filter(user=user, kind=MessageKind.DEADLINES).delete()
    user.digest_reminders = digest
    return user
