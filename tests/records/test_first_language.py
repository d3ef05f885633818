"""First language with the DfE codes (issue 13, point 1): the full list is loaded as data and
the person page and the API take any of its codes."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import FirstLanguage, Person
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
migration = importlib.import_module("cases.migrations.0013_first_languages")


def test_the_full_dfe_first_language_list_is_loaded():
    codes = FirstLanguage.codes()
    assert len(codes) > 300
    assert {"ENG", "NOT", "REF", "OTB", "KURS", "PRSD", "TGR", "CYM", "BNGS", "ZUL"} <= codes
    assert FirstLanguage.label_for("KURS") == "Kurdish (Sorani)"


def test_the_person_page_records_a_regional_language_code_and_shows_its_name(
    client, practitioner, child
):
    signed_in(client, practitioner)
    url = reverse("person_edit", args=[child.pk])
    form = client.get(url).context["form"]
    assert ("PRSD", "Dari Persian") in list(form.fields["first_language"].choices)
    data = {k: v for k, v in form.initial.items() if v is not None and k != "disabilities"}
    data.update(first_language="PRSD", date_of_birth=child.date_of_birth.isoformat())
    assert client.post(url, data).status_code == 302
    child.refresh_from_db()
    assert child.first_language == "PRSD"
    detail = client.get(reverse("person_detail", args=[child.pk])).content.decode()
    assert "Dari Persian" in detail
    assert child.changes.get().changes["First language"] == [
        "Information not obtained",
        "Dari Persian",
    ]


def test_the_api_takes_a_dfe_code_and_refuses_one_not_on_the_list(practitioner, child):
    api = APIClient()
    signed_in(api, practitioner)
    url = f"/api/v1/people/{child.pk}/"
    response = api.patch(url, {"lock_version": 1, "first_language": "KURS"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["first_language"] == "KURS"
    response = api.patch(url, {"lock_version": 2, "first_language": "XXXX"}, format="json")
    assert response.status_code == 400
    assert "first language" in response.json()["first_language"][0]
    child.refresh_from_db()
    assert child.first_language == "KURS"


def test_codes_the_old_short_list_spelt_differently_become_the_dfe_codes(child):
    Person.objects.filter(pk=child.pk).update(first_language="TIG")
    migration.load(apps, None)
    child.refresh_from_db()
    assert child.first_language == "TGR"
