"""The reminder engine's records are read in the admin, never added, changed or deleted there
(earlyhelp.admin.NeverChangedHere), even by a superuser (createsuperuser's administrator)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reminders.models import ReminderDigest, ReminderOccurrence
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(administrator, client):
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    return signed_in(client, administrator)


def _records():
    recipient = factories.UserFactory()
    today = timezone.localdate()
    occurrence = ReminderOccurrence.objects.create(
        kind="assessment",
        record_type="assessment",
        record_id=41,
        case_id=7,
        due_on=today,
        stage="due_today",
        recipient=recipient,
    )
    digest = ReminderDigest.objects.create(recipient=recipient, digest_on=today, reminder_count=3)
    return occurrence, digest


@pytest.mark.parametrize(
    ("name", "which", "change"),
    [
        ("reminderoccurrence", 0, {"stage": "overdue", "status": "cancelled"}),
        ("reminderdigest", 1, {"reminder_count": 9}),
    ],
)
def test_a_superuser_reads_reminders_in_the_admin_but_cannot_add_change_or_delete_them(
    superuser_client, name, which, change
):
    record = _records()[which]
    before = {field: getattr(record, field) for field in change}
    change_url = reverse(f"admin:reminders_{name}_change", args=[record.pk])
    page = superuser_client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert superuser_client.post(change_url, change).status_code == 403

    delete_url = reverse(f"admin:reminders_{name}_delete", args=[record.pk])
    assert superuser_client.get(delete_url).status_code == 403
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = reverse(f"admin:reminders_{name}_changelist")
    superuser_client.post(  # the bulk delete is not offered, and not run when asked for
        changelist,
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    listing = superuser_client.get(changelist).content.decode()
    assert 'value="delete_selected"' not in listing

    add_url = reverse(f"admin:reminders_{name}_add")
    assert superuser_client.get(add_url).status_code == 403
    assert superuser_client.post(add_url, change).status_code == 403
    assert add_url not in listing

    record.refresh_from_db()
    assert {field: getattr(record, field) for field in change} == before
    assert type(record).objects.filter(pk=record.pk).exists()
