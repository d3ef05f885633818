"""The printed assessment tells the truth about its sign-off."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import services
from tests.assessments.test_signoff_queue import complete
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_a_signed_off_assessment_printed_as_it_stands_says_when_and_by_whom(
    client, case, assessment, district_manager
):
    lead = case.lead_professional
    saved = complete(assessment, lead)
    assessment = services.assessment_submit(
        assessment=saved, acting_user=lead, lock_version=saved.lock_version
    )
    services.assessment_sign_off(assessment=assessment, acting_user=district_manager)
    signed_in(client, lead)

    response = client.get(reverse("assessment_pdf", args=[case.pk]))

    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Version 1, signed off" in text
    assert "Not yet signed off" not in text
    assert f"by {district_manager.full_name}" in " ".join(text.split())


def _fonts(reader) -> set[str]:
    return {
        font.get_object()["/BaseFont"].split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }


def test_the_page_footer_is_in_the_documents_own_font(client, case, assessment):
    signed_in(client, case.lead_professional)

    response = client.get(reverse("assessment_pdf", args=[case.pk]))

    reader = PdfReader(io.BytesIO(response.content))
    assert "page 1 of" in reader.pages[0].extract_text()
    assert _fonts(reader) == {"Liberation-Sans", "Liberation-Sans-Bold"}
