"""What someone meets when a request goes wrong: a page in the service's words (or JSON on the
paths other systems call), never a blank page, a 500 or Django's HTML on the API."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from earlyhelp.views import server_error
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

POST_ONLY = "/notifications/1/open/"  # a button's address (require_POST)


def test_a_very_long_email_at_sign_in_is_refused_in_words_not_with_an_error(client):
    typed = "b" * 250 + "@x.com"

    response = client.post(reverse("login"), {"username": typed, "password": "anything"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Email address must be 254 characters or fewer; you entered 256" in page
    assert typed in page  # what was typed is kept


def test_a_buttons_address_opened_by_a_link_says_so_instead_of_a_blank_page(client, practitioner):
    response = signed_in(client, practitioner).get(POST_ONLY)

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "This page cannot be opened from a link" in page
    assert "Nothing has been changed" in page
    assert "no-store" in response["Cache-Control"]  # a signed-in page, as every other


def test_signing_in_again_to_a_buttons_address_lands_on_that_page_not_a_blank_one(
    client, practitioner
):
    first = client.get(POST_ONLY)
    assert first.status_code == 302 and "next=" in first["Location"]

    landed = signed_in(client, practitioner).get(POST_ONLY, follow=True)

    assert "This page cannot be opened from a link" in landed.content.decode()


def test_the_api_answers_an_address_no_route_takes_in_json(client, practitioner):
    signed_in(client, practitioner)
    for path in ("/api/v1/cases/abc/", "/api/v1/no-such-list/", "/openreferral/services/abc"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not found."}, path


def test_the_problem_page_always_gives_the_safeguarding_line(settings):
    settings.SAFEGUARDING_PHONE = "0300 999 0000"

    page = server_error(RequestFactory().get("/cases/1/")).content.decode()
    answer = server_error(RequestFactory().get("/api/v1/cases/1/"))

    assert "call the safeguarding line now: <strong>0300 999 0000</strong>" in page
    assert answer.status_code == 500
    assert answer["Content-Type"] == "application/json"
