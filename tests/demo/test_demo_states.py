"""The demo county holds every state a user can meet: outside testers try the demo as each
role, and a state no demo record is in is a page, a badge or a button nobody has tried.

Every choice of every field named status, state, decision, outcome or kind in the project's
apps must be in the demo, as loaded or once beat and the worker have done their first
minutes' work on it (reminders swept and sent, notices sent, the morning digest): what
someone signing in to `make run` meets. A choice added later fails this test until the demo
has a record in it, or it is named below with why no demo record can stay in it."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command

STATE_FIELDS = {"status", "state", "decision", "outcome", "kind"}
BASE_DIR = Path(settings.BASE_DIR).resolve()
_SENDER = "a sender holds a message in it only while handing it to the mail server"
_EXPORT = (
    "an export is made by the person who asks for it and shown to them alone, and its file "
    "is deleted within hours: the tester makes their own"
)
NEVER_KEPT = {
    "outbox.OutboxMessage.status=claimed": _SENDER,
    "outbox.OutboxMessage.status=sending": _SENDER,
    "reminders.ReminderOccurrence.status=cancelled": "only a reminder that stops being due "
    "between the sweep and the sender (minutes apart) is cancelled",
    "reporting.ExportJob.kind": _EXPORT,
    "reporting.ExportJob.status": _EXPORT,
}


def _ours(model) -> bool:
    """A model of the project's own apps (a new app included), not Django's or a library's."""
    path = Path(model._meta.app_config.path).resolve()
    return path.is_relative_to(BASE_DIR) and "site-packages" not in path.parts


def _state_fields():
    for model in apps.get_models():
        if _ours(model):
            for field in model._meta.get_fields():
                if field.name in STATE_FIELDS and getattr(field, "choices", None):
                    yield model, field


def _present() -> set[str]:
    return {
        f"{model._meta.label}.{field.name}={value}"
        for model, field in _state_fields()
        for value in model.objects.values_list(field.name, flat=True).distinct()
    }


def _first_minutes_of_beat_and_the_worker():
    """Each job beat and the worker run once `make run` is up, in turn."""
    from reminders.notices import notices_send_pending
    from reminders.services import reminders_send_digests, reminders_send_pending, reminders_sweep

    yield reminders_sweep
    yield lambda: reminders_send_pending(email=False)
    yield lambda: notices_send_pending(email=False)
    yield reminders_send_digests


def test_demo_county_holds_every_state_a_user_can_meet(db):
    call_command("load_demo_county", families=40, verbosity=0)
    seen = _present()
    for job in _first_minutes_of_beat_and_the_worker():
        job()
        seen |= _present()
    choices = {
        f"{model._meta.label}.{field.name}": [value for value, _label in field.flatchoices]
        for model, field in _state_fields()
    }
    excused = seen | NEVER_KEPT.keys()
    missing = [
        f"{name}={value}"
        for name, values in choices.items()
        for value in values
        if f"{name}={value}" not in excused and name not in NEVER_KEPT
    ]
    assert not missing, "No demo record in:\n" + "\n".join(missing)
    named = set(choices) | {
        f"{name}={value}" for name, values in choices.items() for value in values
    }
    assert NEVER_KEPT.keys() <= named, "Not a state any more: remove it from NEVER_KEPT"
