"""The Django admin says what is wrong as the product's pages do: the field named, in the
GOV.UK style ("Enter the agency's name"), never Django's "This field is required.",
"Enter a valid email address." or "Ensure this value has at most ..."."""

import html

import pytest
from django.urls import reverse

from partners.models import Agency, User
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

DJANGOS_WORDS = ("This field is required", "Enter a valid", "Ensure this value")


def _errors(client, url_name, data) -> str:
    page = client.post(reverse(url_name), data)
    assert page.status_code == 200  # drawn again, nothing saved
    text = html.unescape(page.content.decode())
    assert not [words for words in DJANGOS_WORDS if words in text]
    return text


def test_an_empty_agency_add_form_names_each_missing_answer(client, administrator):
    signed_in(client, administrator)

    page = _errors(client, "admin:partners_agency_add", {})

    assert "Enter the agency's name" in page
    assert "Choose the agency's kind" in page
    assert not Agency.objects.exists()


def test_an_agency_with_a_bad_email_and_a_long_name_is_told_so_in_words(client, administrator):
    signed_in(client, administrator)

    page = _errors(
        client,
        "admin:partners_agency_add",
        {"name": "A" * 201, "kind": "school", "email": "office.amberford", "active": "on"},
    )

    assert "Name must be 200 characters or fewer; you entered 201" in page
    assert "Enter the agency's email in the correct format, like name@example.com" in page


def test_a_taken_agency_name_says_so(client, administrator, eh_team):
    signed_in(client, administrator)

    page = _errors(client, "admin:partners_agency_add", {"name": eh_team.name, "kind": "school"})

    assert "Another agency already has this name" in page


def test_a_user_add_form_with_only_a_long_email_uses_the_products_words(client, administrator):
    signed_in(client, administrator)
    before = User.objects.count()

    page = _errors(client, "admin:partners_user_add", {"email": "x" * 250 + "@example.com"})

    assert "Email must be 254 characters or fewer; you entered 262" in page
    assert "Choose the user's role" in page
    assert "Enter the user's full name" in page
    assert User.objects.count() == before


def test_a_service_account_and_a_job_schedule_say_it_in_words_too(client, administrator):
    signed_in(client, administrator)

    page = _errors(client, "admin:earlyhelp_serviceaccount_add", {})
    assert "Enter the service account's email" in page
    assert "Enter the service account's system name" in page

    _errors(client, "admin:django_celery_beat_periodictask_add", {})
