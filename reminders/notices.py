"""Telling people what is theirs when something happens (issue 14): TAF members when they
are added or removed, every member when a meeting is arranged, moved or cancelled (with a
calendar file), and an action's owner when it is assigned. Deadlines (due soon, overdue)
are the sweep's job (reminders/services.py).

Exactly once: the handlers below run inside the transaction of the change (earlyhelp/
events.py) and write one Notice row per (event, stage, person) under a UNIQUE key; the
sender claims pending rows with SKIP LOCKED and marks each sent in the transaction that
sends it, as for reminders (docs/adr/0004-reminders-exactly-once.md). A person who has left
(inactive) is skipped at send time, so nothing reaches them from the moment they leave.

Members without an account get the meeting emails at the address the lead recorded, with
only what the lead chose to tell them (TafMeeting.note_for_external): never the family.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import MeetingStatus, PlanAction, TafMeeting
from cases.access import cases_visible_to
from cases.models import TeamAroundFamilyMember
from earlyhelp import events
from earlyhelp.models import Notification
from earlyhelp.notifications import (
    email_enqueue,
    notification_email_enqueue,
    notify,
    publish,
)
from earlyhelp.outbox.models import MessageKind as OutboxKind
from earlyhelp.wording import term
from reminders.calendar import meeting_ics
from reminders.models import (
    NOTICE_MESSAGE_KIND,
    Delivery,
    Notice,
    NoticeKind,
    OccurrenceStatus,
)
from reminders.preferences import deliveries_for
from reminders.services import Delivered, cancel_unsent, send_claimed

logger = logging.getLogger(__name__)

MEETING_KINDS = (
    NoticeKind.MEETING_INVITE,
    NoticeKind.MEETING_CHANGED,
    NoticeKind.MEETING_CANCELLED,
)
RECORD_TYPES = {
    NoticeKind.TAF_ADDED: "cases.teamaroundfamilymember",
    NoticeKind.TAF_REMOVED: "cases.teamaroundfamilymember",
    NoticeKind.MEETING_INVITE: "assessments.tafmeeting",
    NoticeKind.MEETING_CHANGED: "assessments.tafmeeting",
    NoticeKind.MEETING_CANCELLED: "assessments.tafmeeting",
    NoticeKind.ACTION_ASSIGNED: "assessments.planaction",
}


# --- Writing what is owed (inside the change's transaction) ---


@dataclass(frozen=True)
class Recipient:
    user_id: int | None = None
    email: str = ""

    @property
    def key(self) -> str:
        return f"u:{self.user_id}" if self.user_id else f"e:{self.email.lower()}"


def _member_recipient(member: TeamAroundFamilyMember) -> Recipient | None:
    if member.user_id:
        return Recipient(user_id=member.user_id)
    if member.contact_email:
        return Recipient(email=member.contact_email)
    return None  # no address: the page says so (cases.selectors.taf_members_without_email)


def _owe(kind: str, record_id: int, case_id: int, recipients, stage: str = "") -> int:
    unique = {r.key: r for r in recipients if r is not None}
    Notice.objects.bulk_create(
        [
            Notice(
                kind=kind,
                record_type=RECORD_TYPES[kind],
                record_id=record_id,
                case_id=case_id,
                stage=stage,
                recipient_id=r.user_id,
                recipient_email=r.email,
                recipient_key=r.key,
            )
            for r in unique.values()
        ],
        ignore_conflicts=True,
    )
    if unique:
        from reminders.tasks import notices_send

        transaction.on_commit(lambda: publish(notices_send))
    return len(unique)


def _meeting_recipients(meeting: TafMeeting) -> list[Recipient]:
    case = meeting.case
    found = [Recipient(user_id=case.lead_professional_id)] if case.lead_professional_id else []
    for member in TeamAroundFamilyMember.objects.filter(case=case, left_on__isnull=True):
        found.append(_member_recipient(member))
    return found


def on_taf_member_added(*, member, acting_user, **_):
    if member.user_id == getattr(acting_user, "pk", None):
        return 0
    return _owe(NoticeKind.TAF_ADDED, member.pk, member.case_id, [_member_recipient(member)])


def on_taf_member_removed(*, member, acting_user, **_):
    if member.user_id == getattr(acting_user, "pk", None):
        return 0
    return _owe(NoticeKind.TAF_REMOVED, member.pk, member.case_id, [_member_recipient(member)])


def _on_meeting(kind):
    def handler(*, meeting, **_):
        return _owe(
            kind,
            meeting.pk,
            meeting.case_id,
            _meeting_recipients(meeting),
            stage=str(meeting.sequence),
        )

    return handler


def on_plan_action_assigned(*, action, acting_user, **_):
    member = action.owner_member
    if member is None or member.user_id == getattr(acting_user, "pk", None):
        return 0
    case_id = action.outcome.plan.case_id
    return _owe(NoticeKind.ACTION_ASSIGNED, action.pk, case_id, [_member_recipient(member)])


def on_contributor_invited(*, invitation, **_):
    case = invitation.assessment.case
    return notify(
        user=invitation.user,
        subject=f"You are invited to help complete {term('an early help assessment')} "
        f"({case.reference})",
        body=f"{invitation.invited_by} invited you. {invitation.note}".strip(),
        url=reverse("edit_assessment", args=[case.pk]),
    )


def register() -> None:
    events.on("taf_member_added", on_taf_member_added)
    events.on("taf_member_removed", on_taf_member_removed)
    events.on("meeting_scheduled", _on_meeting(NoticeKind.MEETING_INVITE))
    events.on("meeting_changed", _on_meeting(NoticeKind.MEETING_CHANGED))
    events.on("meeting_cancelled", _on_meeting(NoticeKind.MEETING_CANCELLED))
    events.on("plan_action_assigned", on_plan_action_assigned)
    events.on("assessment_contributor_invited", on_contributor_invited)


# --- The words ---


def _when(meeting: TafMeeting) -> str:
    day = f"{meeting.scheduled_for:%A %-d %B %Y}"
    return f"{day} at {meeting.starts_at:%H:%M}" if meeting.starts_at else day


@dataclass
class Message:
    subject: str
    body: str  # in-app, or the whole email for someone without an account
    url: str = ""
    ics: bytes | None = None
    ics_method: str = "REQUEST"


def _lead_line(case) -> str:
    lead = case.lead_professional
    if lead is None:
        return ""
    agency = f", {lead.agency}" if lead.agency_id else ""
    return f"The {term('lead professional')} is {lead.full_name}{agency} ({lead.email})."


def message_for(notice: Notice, record) -> Message:
    """Subject and text for one notice. Subjects (which go in emails) name no family."""
    external = notice.recipient_id is None
    kind = notice.kind
    if kind in (NoticeKind.TAF_ADDED, NoticeKind.TAF_REMOVED):
        case = record.case
        added = kind == NoticeKind.TAF_ADDED
        verb = "added to" if added else "removed from"
        subject = f"You have been {verb} a Team Around the Family"
        if external:
            return Message(subject, f"{subject}.\n\n{_lead_line(case)}")
        url = reverse("case_detail", args=[case.pk]) if added else ""
        return Message(f"{subject} ({case.reference})", f"Case {case.reference}.", url)
    if kind == NoticeKind.ACTION_ASSIGNED:
        case = record.outcome.plan.case
        subject = f"A family plan action is yours, due {record.due_on:%-d %B %Y}"
        if external:
            return Message(subject, f"{subject}.\n\n{_lead_line(case)}")
        return Message(
            f"{subject} ({case.reference})",
            record.what[:500],
            reverse("family_plan", args=[case.pk]),
        )
    meeting: TafMeeting = record
    case = meeting.case
    cancelled = kind == NoticeKind.MEETING_CANCELLED
    subject = {
        NoticeKind.MEETING_INVITE: f"Invitation: Team Around the Family meeting, {_when(meeting)}",
        NoticeKind.MEETING_CHANGED: f"Changed: Team Around the Family meeting now {_when(meeting)}",
        NoticeKind.MEETING_CANCELLED: f"Cancelled: Team Around the Family meeting, "
        f"{_when(meeting)}",
    }[kind]
    place = f"\nWhere: {meeting.location}" if meeting.location else ""
    if external:
        note = f"\n\n{meeting.note_for_external}" if meeting.note_for_external else ""
        body = f"{subject}.{place}{note}\n\n{_lead_line(case)}"
        description = meeting.note_for_external
    else:
        reason = f"\nReason: {meeting.change_reason}" if meeting.change_reason else ""
        body = f"Case {case.reference}.{place}{reason}"
        link = reverse("taf_meeting_detail", args=[case.pk, meeting.pk])
        description = f"Case {case.reference}: {settings.SITE_URL}{link}"
    return Message(
        subject,
        body,
        "" if external else reverse("taf_meeting_detail", args=[case.pk, meeting.pk]),
        meeting_ics(meeting, cancelled=cancelled, description=description),
        "CANCEL" if cancelled else "REQUEST",
    )


# --- Sending ---


class NoticeResult(Delivered):
    pass


def _records(rows: list[Notice]) -> dict[tuple[str, int], object]:
    ids: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        ids[row.record_type].add(row.record_id)
    found: dict[tuple[str, int], object] = {}
    loaders = {
        "cases.teamaroundfamilymember": TeamAroundFamilyMember.objects.select_related(
            "case", "case__lead_professional", "case__lead_professional__agency"
        ),
        "assessments.tafmeeting": TafMeeting.objects.select_related(
            "case", "case__lead_professional", "case__lead_professional__agency"
        ),
        "assessments.planaction": PlanAction.objects.select_related(
            "owner_member",
            "outcome__plan__case",
            "outcome__plan__case__lead_professional",
            "outcome__plan__case__lead_professional__agency",
        ),
    }
    for record_type, pks in ids.items():
        for record in loaders[record_type].filter(pk__in=pks):
            found[(record_type, record.pk)] = record
    return found


def _external_members(rows: list[Notice]) -> set[tuple[int, str]]:
    """(case id, address) of current members without an account, for the batch's cases."""
    case_ids = {r.case_id for r in rows if r.recipient_id is None and r.case_id}
    return {
        (case_id, email.lower())
        for case_id, email in TeamAroundFamilyMember.objects.filter(
            case_id__in=case_ids, user__isnull=True, left_on__isnull=True
        ).values_list("case_id", "contact_email")
    }


def _why_not(notice: Notice, record, visible: set[int], externals=frozenset()) -> str:
    """Why this notice must not go out now (empty: send it)."""
    if record is None:
        return "record_gone"
    user = notice.recipient
    if user is not None and not user.is_active:
        return "left"
    if notice.kind in MEETING_KINDS:
        if str(record.sequence) != notice.stage:
            return "superseded"  # a later change went out instead
        if notice.kind != NoticeKind.MEETING_CANCELLED and record.status != MeetingStatus.SCHEDULED:
            return "no_longer_due"
    if notice.kind == NoticeKind.TAF_REMOVED:
        return ""
    if user is None:
        if (notice.case_id, notice.recipient_email.lower()) not in externals:
            return "not_a_member"  # removed from the team before the message went
        return ""
    if notice.case_id not in visible:
        return "not_visible"
    return ""


def notices_send_pending(
    *, max_seconds: float = 45.0, batch: int = 50, email: bool = True
) -> NoticeResult:
    """Claim pending notices (SKIP LOCKED), check each may still go, then notify in-app and
    owe the email in the outbox under the key f"notice:{pk}", marking the notice sent in the
    same transaction. After the batches have committed, the owed emails are handed to the
    mail server (outbox_send, outside any transaction) in the time left to this run; what
    does not fit is sent by the outbox's own sender. `email=False` leaves them all to it."""
    result = NoticeResult()
    send_claimed(
        Notice.objects.select_related("recipient"),
        lambda rows: _send_batch(rows, result),
        batch=batch,
        max_seconds=max_seconds,
        email=email,
    )
    return result


def _visible_cases(rows: list[Notice]) -> dict[int, set[int]]:
    by_user: dict[int, set[int]] = defaultdict(set)
    users = {}
    for row in rows:
        if row.recipient_id and row.case_id:
            by_user[row.recipient_id].add(row.case_id)
            users[row.recipient_id] = row.recipient
    return {
        user_id: set(
            cases_visible_to(users[user_id]).filter(pk__in=ids).values_list("pk", flat=True)
        )
        for user_id, ids in by_user.items()
    }


def _send_batch(rows: list[Notice], result: NoticeResult) -> None:
    records = _records(rows)
    visible = _visible_cases(rows)
    externals = _external_members(rows)
    deliveries = deliveries_for(
        {r.recipient_id: r.recipient for r in rows if r.recipient_id}.values()
    )
    now = timezone.now()
    for notice in rows:
        record = records.get((notice.record_type, notice.record_id))
        reason = _why_not(notice, record, visible.get(notice.recipient_id, set()), externals)
        if reason:
            cancel_unsent(notice, reason, result)
            continue
        try:
            with transaction.atomic():
                _deliver(notice, record, now, deliveries, result)
        except Exception as exc:  # noqa: BLE001 - one bad address must not stop the rest
            result.failed += 1
            logger.warning(
                "notice not sent, will retry: notice=%s error=%s", notice.pk, type(exc).__name__
            )


def _deliver(notice: Notice, record, now, deliveries, result: NoticeResult) -> None:
    message = message_for(notice, record)
    attachments = ()
    if message.ics is not None:
        mimetype = f"text/calendar; method={message.ics_method}; charset=utf-8"
        attachments = (("meeting.ics", message.ics, mimetype),)
    if notice.recipient_id is None:
        email_enqueue(
            key=f"notice:{notice.pk}",
            kind=OutboxKind.NOTICE,
            to=notice.recipient_email,
            subject=f"{term('Early help')}: {message.subject}",
            body=message.body + "\n\nDo not reply to this email.",
            attachments=attachments,
        )
        result.emailed += 1
    else:
        user = notice.recipient
        delivery = deliveries[(user.pk, NOTICE_MESSAGE_KIND[notice.kind])]
        notification = Notification.objects.create(
            user=user, subject=message.subject[:200], body=message.body, url=message.url
        )
        notice.notification = notification
        notice.by_digest = delivery == Delivery.DIGEST
        if delivery == Delivery.EMAIL and user.email:
            notification_email_enqueue(
                notification,
                key=f"notice:{notice.pk}",
                kind=OutboxKind.NOTICE,
                attachments=attachments,
            )
            result.emailed += 1
    notice.status = OccurrenceStatus.SENT
    notice.sent_at = now
    notice.save(update_fields=["status", "sent_at", "notification", "by_digest"])
    result.sent += 1
