"""The subject access PDF as a PDF checker meets it: tagged, titled, in English, its text
extractable and every page, footer included, in the document's own fonts."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases.codes import Disability, Ethnicity, Gender
from cases.models import ChronologyEntry, EarlyHelpCase, Person
from cases.services import note_add
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_subject_access_pdf_is_accessible_and_in_one_typeface(client, district_manager, child):
    signed_in(client, district_manager)

    response = client.get(reverse("subject_access_download", args=[child.pk, "pdf"]))

    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-{child.pk}.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.content))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/Lang"] == "en-GB"
    assert catalog["/MarkInfo"]["/Marked"] and catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title.startswith(f"Information held about {child.full_name}")
    assert child.full_name in reader.pages[0].extract_text()
    fonts = {
        font.get_object()["/BaseFont"].split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert not {f for f in fonts if "Serif" in f}, fonts


def test_the_subject_access_pdf_says_the_persons_details_in_words_not_codes(
    client, district_manager, child
):
    Person.objects.filter(pk=child.pk).update(
        gender=Gender.FEMALE,
        ethnicity=Ethnicity.MWBA,
        date_of_birth=datetime.date(2018, 5, 4),
        disabilities=[Disability.HEAR],
        interpreter_needed=False,
    )
    signed_in(client, district_manager)

    response = client.get(reverse("subject_access_download", args=[child.pk, "pdf"]))

    page = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    for shown in (
        "Gender Female",
        "Ethnicity White and Black African",
        "Date of birth 4 May 2018",
        "Disabilities Hearing",
        "SEN status No special educational needs",
        "NHS number",
        "First language Information not obtained",
        "Interpreter needed No",
    ):
        assert shown in page
    assert "MWBA" not in page and "2018-05-04" not in page
    json_export = client.get(reverse("subject_access_download", args=[child.pk, "json"])).json()
    assert json_export["person"]["ethnicity"] == "MWBA"  # the JSON keeps the DfE code


def test_the_subject_access_pdf_dates_its_lists_in_words_on_the_local_day(
    client, district_manager, case, child
):
    EarlyHelpCase.objects.filter(pk=case.pk).update(opened_on=datetime.date(2026, 6, 30))
    # 23:30 UTC on 30 June is 00:30 on 1 July in the UK.
    note_add(case=case, acting_user=case.lead_professional, kind="note", text="Home visit")
    ChronologyEntry.objects.filter(case=case).update(
        occurred_at=datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    )
    signed_in(client, district_manager)

    response = client.get(reverse("subject_access_download", args=[child.pk, "pdf"]))

    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert f"{case.reference} Open 30 June 2026" in text
    assert "Chronology When What Record 1 July 2026" in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
