"""Statutory and board outputs count and name what was asked for (issue 17, point 14)."""

import csv
import datetime
import io

import pytest
from pypdf import PdfReader

from cases.models import Family
from reporting import exports
from reporting.models import ExportKind, ExportStatus
from reporting.selectors import Period
from tests.reporting import factories as build

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_annex_a_counts_children_in_restricted_families(media, district_manager, practitioner):
    """A restriction limits who sees names, not what the statutory return counts."""
    open_episode = build.case(lead=practitioner, opened_on=D(2026, 7, 1))
    build.assessment(open_episode, started_on=D(2026, 7, 2))
    hidden = build.case(lead=practitioner, opened_on=D(2026, 7, 1))
    build.assessment(hidden, started_on=D(2026, 7, 3))
    Family.objects.filter(pk=hidden.family_id).update(
        restricted=True, restricted_contact="Safeguarding lead, 01234 567890"
    )
    job = exports.export_request(
        acting_user=district_manager,
        kind=ExportKind.ANNEX_A_CSV,
        params={"start": "2026-04-01", "end": "2026-09-30"},
    )
    job = exports.export_build(job.pk)
    assert job.status == ExportStatus.READY
    text = (media / job.file_path).read_text("utf-8-sig")
    ids = [row[0] for row in list(csv.reader(io.StringIO(text)))[1:]]
    assert sorted(ids) == sorted(
        [str(build.child_of(open_episode).pk), str(build.child_of(hidden).pk)]
    )
    assert job.row_count == 2
    assert "Safeguarding lead" not in text


@pytest.mark.parametrize(
    ("start", "end", "title"),
    [
        ("2026-07-01", "2026-09-30", "Q2 2026-27"),
        ("2026-01-01", "2026-06-30", "1 January 2026 to 30 June 2026"),
        ("2026-04-01", "2027-03-31", "1 April 2026 to 31 March 2027"),
    ],
)
def test_the_board_report_title_names_the_period_chosen(
    media, strategic_viewer, practitioner, start, end, title
):
    build.case(lead=practitioner, opened_on=D(2026, 1, 1))
    job = exports.export_request(
        acting_user=strategic_viewer,
        kind=ExportKind.BOARD_REPORT,
        params={"start": start, "end": end},
    )
    job = exports.export_build(job.pk)
    assert job.status == ExportStatus.READY, job.error
    reader = PdfReader(media / job.file_path)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert f"Early help partnership board report: {title}" in text
    assert title in reader.metadata.title
    assert Period(D.fromisoformat(start), D.fromisoformat(end)).report_label == title


@pytest.mark.parametrize("named", [False, True])
def test_the_case_list_export_masks_a_restricted_family_through_the_presenter(
    media, district_manager, practitioner, named
):
    """Issue 17, point 1: the case list export follows the one presenter: a restricted
    household is left out (or masked) for those not named, and named to the people named on
    the restriction, as on every page (today it said 'Restricted record' to them too)."""
    hidden = build.case(lead=practitioner, opened_on=D(2026, 7, 1))
    family = hidden.family
    family.name, family.restricted = "Quillfeather household", True
    family.restricted_contact = "Hollis Grange on 0300 555 0101"
    family.save()
    if named:
        family.named_people.add(district_manager)
    job = exports.export_request(
        acting_user=district_manager, kind=ExportKind.CASES_CSV, params={"figure": "open"}
    )
    text = (media / exports.export_build(job.pk).file_path).read_text("utf-8-sig")
    if named:
        assert hidden.reference in text and "Quillfeather household" in text
    else:
        assert "Quillfeather household" not in text
