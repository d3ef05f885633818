"""The quarterly return and a claim batch as files an outside validator reads: RFC 4180
CSV (CRLF, one width), UTF-8 with a BOM like every other CSV the product gives, and no
cell that a spreadsheet would run as a formula."""

import csv
import io

from django.urls import reverse
from django.utils import timezone

from outcomes import services
from outcomes.models import OutcomesPlanVersion
from outcomes.returns import quarter_choices
from partners.models import FamilyHub
from tests.conftest import signed_in

UNSAFE_FIRST = ("=", "+", "-", "@", "\t", "\r")


def _rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, as the other CSV files"
    text = body.decode("utf-8-sig")
    assert text.count("\r\n") == text.count("\n"), "CRLF line ends throughout"
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    assert len({len(row) for row in rows}) == 1
    return rows


def _unsafe(rows):
    return [cell for row in rows[1:] for cell in row if cell.startswith(UNSAFE_FIRST)]


def test_the_quarterly_return_neutralises_a_hub_name_typed_with_a_tab_and_keeps_accents(
    client, ready_case, programme_officer, practitioner
):
    hub = FamilyHub.objects.create(district=ready_case.district, name="\tŁódź Family Hub")
    services.episode_hub_set(case=ready_case, acting_user=programme_officer, family_hub=hub)
    signed_in(client, programme_officer)
    quarter = quarter_choices(timezone.localdate())[0][0]

    response = client.get(reverse("outcomes_return"), {"quarter": quarter, "download": "1"})

    rows = _rows(response.content)
    assert _unsafe(rows) == []
    assert "'\tŁódź Family Hub" in rows[1]
    assert response["Content-Disposition"].endswith('.csv"')


def test_a_claim_batch_csv_is_the_same_kind_of_file(client, ready_case, programme_officer, auditor):
    claim = services.claim_prepare(case=ready_case, acting_user=programme_officer)
    OutcomesPlanVersion.objects.update(audit_sample_percent=100)
    services.claims_sample(period=claim.period, acting_user=auditor)
    services.claim_audit(claim=claim, acting_user=auditor, passed=True, notes="Checked.")
    batch = services.claim_batch_create(period=claim.period, acting_user=programme_officer)
    signed_in(client, programme_officer)

    response = client.get(reverse("claim_batch", args=[batch.pk]), {"format": "csv"})

    rows = _rows(response.content)
    assert rows[0][0] == "Claim" and rows[1][0] == claim.reference
    assert _unsafe(rows) == []


def test_the_quarterly_return_names_each_need_by_the_guidances_headline_outcome(
    client, ready_case, programme_officer
):
    """STANDARDS.md gives the ten headline outcomes by name and defines no codes for them: the
    validator reads the guidance's words, not the product's internal codes."""
    hub = FamilyHub.objects.create(district=ready_case.district, name="Amberford Family Hub")
    services.episode_hub_set(case=ready_case, acting_user=programme_officer, family_hub=hub)
    signed_in(client, programme_officer)
    quarter = quarter_choices(timezone.localdate())[0][0]

    response = client.get(reverse("outcomes_return"), {"quarter": quarter, "download": "1"})

    header, row = _rows(response.content)[:2]
    needs = row[header.index("Headline outcomes with a need")]
    assert needs == "Getting a good education; Secure housing; Financial stability"
