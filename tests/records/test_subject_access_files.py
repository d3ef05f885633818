"""The subject access PDF as a PDF checker meets it: tagged, titled, in English, its text
extractable and every page, footer included, in the document's own fonts."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

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
