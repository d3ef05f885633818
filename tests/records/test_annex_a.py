"""The Annex A List 2 export shows the ethnicity and gender recorded through the person
page (issue 13: until now every child read "NOBT")."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import EarlyHelpCase
from reporting import annex_a, exports
from reporting.models import ExportKind
from reporting.selectors import Period
from tests.conftest import signed_in
from tests.reporting import factories as build

pytestmark = pytest.mark.django_db


def test_ethnicity_and_gender_recorded_on_the_page_reach_the_annex_a_workbook(
    client, practitioner, district_manager, case, child
):
    build.assessment(case, started_on=case.opened_on)
    signed_in(client, practitioner)
    url = reverse("person_edit", args=[child.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "disabilities"}
    data.update(
        ethnicity="BCRB",
        gender="2",
        first_name="Zoë",
        date_of_birth=child.date_of_birth.isoformat(),
    )
    assert client.post(url, data).status_code == 302

    # The manager's Annex A List 2 workbook, built as the export worker builds it.
    start, end = (case.opened_on + datetime.timedelta(days=d) for d in (-30, 30))
    job = exports.export_request(
        acting_user=district_manager,
        kind=ExportKind.ANNEX_A_XLSX,
        params={"start": start.isoformat(), "end": end.isoformat()},
    )
    assert exports.export_build(job.pk).status == "ready"
    signed_in(client, district_manager)
    response = client.get(reverse("export_download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["List 2"]
    [row] = [r for r in sheet.iter_rows(values_only=True) if r[0] == str(child.pk)]
    assert row[1] == "b) Female"
    assert row[2] == "n) BCRB"


def test_ethnicity_and_gender_patched_through_the_api_reach_annex_a(practitioner, case, child):
    from rest_framework.test import APIClient

    build.assessment(case, started_on=case.opened_on)
    api = APIClient()
    signed_in(api, practitioner)
    response = api.patch(
        f"/api/v1/people/{child.pk}/",
        {"lock_version": child.lock_version, "ethnicity": "WROM", "gender": "1"},
        format="json",
    )
    assert response.status_code == 200
    period = Period(
        case.opened_on - datetime.timedelta(days=30), case.opened_on + datetime.timedelta(days=30)
    )
    [row] = [r for r in annex_a.rows(EarlyHelpCase.objects.all(), period) if r[0] == str(child.pk)]
    assert (row[1], row[2]) == ("a) Male", "e) WROM")
