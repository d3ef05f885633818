"""Reads for the reminders pages. Always scoped by the person asking."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from cases.access import cases_visible_to
from cases.models import EarlyHelpCase
from earlyhelp.working_days import working_days_between
from partners.models import User
from referrals.access import is_council_manager, referrals_visible_to
from referrals.models import Referral
from reminders.deadlines import Deadline, overdue_deadlines
from reminders.models import DeadlineKind, ReminderOccurrence
from reminders.services import reminder_url


@dataclass
class OverdueItem:
    deadline: Deadline
    lead_name: str

    @property
    def kind_label(self) -> str:
        return DeadlineKind(self.deadline.kind).label

    @property
    def reference(self) -> str:
        d = self.deadline
        if d.kind == DeadlineKind.TRIAGE:
            return Referral.reference_for(d.record_id)
        return EarlyHelpCase.reference_for(d.case_id)

    @property
    def url(self) -> str:
        d = self.deadline
        return reminder_url(
            ReminderOccurrence(kind=d.kind, record_id=d.record_id, case_id=d.case_id)
        )

    def working_days_overdue(self, today: datetime.date) -> int:
        return max(0, working_days_between(self.deadline.due_on, today))


def _triage_scope(user) -> QuerySet | None:
    """Triage decisions belong to the council's front door: its managers see them."""
    if is_council_manager(user):
        return referrals_visible_to(user).values("pk")
    return None


def overdue_for(user, *, today: datetime.date, kind: str = "") -> list[OverdueItem]:
    """Every overdue deadline in the user's scope, most overdue first: one query per kind
    plus one for the lead professionals' names, whatever the number of rows. The same
    deadline code as the reminders (reminders/deadlines.py)."""
    kinds = [kind] if kind in DeadlineKind.values else list(DeadlineKind.values)
    triage_scope = _triage_scope(user)
    if triage_scope is None and DeadlineKind.TRIAGE in kinds:
        kinds.remove(DeadlineKind.TRIAGE)
    deadlines = list(
        overdue_deadlines(
            today,
            kinds=kinds,
            case_ids=cases_visible_to(user).values("pk"),
            referral_ids=triage_scope,
        )
    )
    lead_ids = {d.responsible_id for d in deadlines if d.responsible_id}
    names = dict(User.objects.filter(pk__in=lead_ids).values_list("pk", "full_name"))
    deadlines.sort(key=lambda d: (d.due_on, d.kind, d.record_id))
    return [OverdueItem(d, names.get(d.responsible_id, "Not picked up")) for d in deadlines]


def overdue_counts(items: list[OverdueItem]) -> list[tuple[str, str, int]]:
    counts = {k: 0 for k in DeadlineKind.values if k != DeadlineKind.SERVICE_REVIEW}
    for item in items:
        counts[item.deadline.kind] += 1
    return [(k, DeadlineKind(k).label, n) for k, n in counts.items()]
