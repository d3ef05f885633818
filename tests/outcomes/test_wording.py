"""Issue 15, point 5: with the authority's choice set to "lead practitioner" and "Family Help",
a notification email, a PDF, an export header and a page all use those words."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from earlyhelp.outbox.models import OutboxMessage
from outcomes import services
from outcomes.models import FamilyHub
from outcomes.returns import quarter_choices
from tests.conftest import signed_in
from tests.outcomes.conftest import worked_case

pytestmark = pytest.mark.django_db

OLD = ("lead professional", "early help")


def _free_of_old_words(text: str) -> bool:
    return not any(word in text.lower() for word in OLD)


def test_families_first_words_reach_emails_pdfs_exports_and_pages(
    client, settings, practitioner, district_manager, programme_officer
):
    settings.LEAD_TITLE, settings.HELP_NAME = "lead practitioner", "Family Help"
    case = worked_case(lead=practitioner, manager=district_manager)

    # The sign-off request emailed to the manager when the assessment was submitted.
    email = OutboxMessage.objects.get(recipient=district_manager, subject__contains="sign-off")
    assert email.subject == (
        f"Family Help: A Family Help assessment for {case.reference} is waiting for your sign-off"
    )

    signed_in(client, practitioner)
    pdf = client.get(reverse("assessment_pdf", args=[case.pk]))
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert reader.metadata.title.startswith("Family Help assessment")
    assert "Family Help" in text and _free_of_old_words(text)

    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Lead practitioner" in page and "Family Help" in page
    assert "lead professional" not in page.lower()  # (agency names are the council's data)

    # Handing over to someone outside the TAF: the refusal names the authority's role.
    handover = client.post(
        reverse("handover_lead_professional", args=[case.pk]),
        {"to_user": district_manager.pk, "note": "Moving teams", "handed_over_on": ""},
    ).content.decode()
    assert "Hand over the lead practitioner role" in handover

    services.needs_from_assessment(case=case, acting_user=practitioner)
    hub = FamilyHub.objects.create(district=case.district, name="Amberford Family Hub")
    services.episode_hub_set(case=case, acting_user=programme_officer, family_hub=hub)
    signed_in(client, programme_officer)
    quarter = quarter_choices(timezone.localdate())[0][0]
    export = client.get(reverse("outcomes_return"), {"quarter": quarter, "download": "1"})
    header = next(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert "Lead practitioner" in header and _free_of_old_words(",".join(header))
