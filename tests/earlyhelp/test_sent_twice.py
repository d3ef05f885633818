"""A recording form sent twice records once (earlyhelp.pages): the same one-time token a
second time saves nothing and says so; a refused form leaves its token free; a POST with no
token records as before; one user's token does not block another's; two POSTs racing with
one token record once. The page here records an in-app message, a kernel record."""

import datetime
import threading
import time
import uuid

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from earlyhelp import pages
from earlyhelp.errors import DomainError
from earlyhelp.models import Notification, UsedFormToken
from earlyhelp.tasks import used_form_tokens_remove
from tests import factories


class MessageForm(forms.Form):
    subject = forms.CharField()


def post(user, data):
    request = RequestFactory().post("/record/", data)
    request.user = user
    SessionMiddleware(lambda r: None).process_request(request)
    request._messages = FallbackStorage(request)
    return request


def record(request, *, pause: float = 0, started: threading.Event | None = None):
    """The page: records a message to its user, refused for the subject 'refuse'."""

    def save(data):
        if data["subject"] == "refuse":
            raise DomainError("Enter a subject that can be sent")
        Notification.objects.create(user=request.user, subject=data["subject"])
        if started:
            started.set()
        time.sleep(pause)
        return "Message recorded."

    return pages.form_page(
        request, MessageForm(request.POST), save, then="/done/", template="form_page_base.html"
    )


def told(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


@pytest.fixture
def user(db):
    return factories.UserFactory()


def test_the_same_form_sent_twice_records_once_and_says_it_was_already_saved(user):
    token = pages.new_token()
    first = post(user, {"subject": "Call the school", "once": token})
    assert record(first).url == "/done/"
    assert told(first) == ["Message recorded."]
    again = post(user, {"subject": "Call the school", "once": token})
    response = record(again)
    assert response.status_code == 302 and response.url == "/done/"
    assert told(again) == ["That was already saved. It has not been saved again."]
    assert Notification.objects.filter(user=user).count() == 1


def test_a_refused_form_leaves_its_token_free_for_the_corrected_form(user):
    token = pages.new_token()
    refused = record(post(user, {"subject": "refuse", "once": token}))
    assert refused.status_code == 400
    assert b"Enter a subject that can be sent" in refused.content
    invalid = record(post(user, {"subject": "", "once": token}))
    assert invalid.status_code == 400
    assert not UsedFormToken.objects.exists()
    corrected = post(user, {"subject": "Call the school", "once": token})
    assert record(corrected).url == "/done/"
    assert told(corrected) == ["Message recorded."]
    assert Notification.objects.filter(user=user).count() == 1


def test_a_form_sent_without_a_token_records_every_time_as_before(user):
    for data in ({"subject": "Call the school"}, {"subject": "Call the school", "once": "x"}):
        assert record(post(user, data)).url == "/done/"
        assert record(post(user, data)).url == "/done/"
    assert Notification.objects.filter(user=user).count() == 4
    assert not UsedFormToken.objects.exists()


def test_one_users_token_does_not_block_another_user(user):
    other = factories.UserFactory()
    token = pages.new_token()
    record(post(user, {"subject": "Call the school", "once": token}))
    theirs = post(other, {"subject": "Call the school", "once": token})
    assert record(theirs).url == "/done/"
    assert told(theirs) == ["Message recorded."]
    assert Notification.objects.filter(user=other).count() == 1


def test_the_form_carries_a_fresh_token_each_time_it_is_shown():
    from django.template import Context, Template

    template = Template("{% load once %}{% once %}")
    first, second = template.render(Context()), template.render(Context())
    assert first.startswith('<input type="hidden" name="once" value="')
    assert first != second
    uuid.UUID(first.split('value="')[1].split('"')[0])


@pytest.mark.django_db(transaction=True)
def test_two_posts_racing_with_one_token_record_once():
    user = factories.UserFactory()
    token = pages.new_token()
    started = threading.Event()
    answers = []

    def send(**kwargs):
        try:
            request = post(user, {"subject": "Call the school", "once": token})
            answers.append(told(request) if record(request, **kwargs) else None)
        finally:
            connection.close()

    first = threading.Thread(target=send, kwargs={"pause": 0.5, "started": started})
    first.start()
    assert started.wait(10)  # the first is saving, its token claimed but not committed
    second = threading.Thread(target=send)
    second.start()
    first.join(20)
    second.join(20)
    assert Notification.objects.filter(user=user).count() == 1
    assert sorted(answers) == [
        ["Message recorded."],
        ["That was already saved. It has not been saved again."],
    ]


def test_beat_forgets_tokens_older_than_two_days(user):
    old = UsedFormToken.objects.create(user=user, token=uuid.uuid4())
    recent = UsedFormToken.objects.create(user=user, token=uuid.uuid4())
    UsedFormToken.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2, minutes=1)
    )
    UsedFormToken.objects.filter(pk=recent.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1, hours=23)
    )
    assert used_form_tokens_remove() == 1
    assert list(UsedFormToken.objects.all()) == [recent]


@pytest.mark.django_db
def test_beat_runs_the_token_clean_up_from_the_database_schedule():
    from django_celery_beat.models import PeriodicTask

    from config.celery import app as celery_app

    task = PeriodicTask.objects.get(task="earlyhelp.tasks.used_form_tokens_remove")
    assert task.enabled and task.interval is not None
    celery_app.loader.import_default_modules()
    assert task.task in celery_app.tasks
