"""The Excel exports as a spreadsheet reader meets them: every kind builds, with the
authority's words in its headers, and dates shown dd/mm/yyyy as in the CSV files."""

import datetime
import io
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from reporting import exports
from reporting.models import ExportKind
from tests.conftest import signed_in
from tests.reporting import factories as build

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _sheet(client, user, kind, params):
    job = exports.export_request(acting_user=user, kind=kind, params=params)
    job = exports.export_build(job.pk)
    assert job.status == "ready", job.error
    response = signed_in(client, user).get(reverse("export_download", args=[job.pk]))
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


@override_settings(LEAD_TITLE="lead practitioner")
def test_the_case_list_in_excel_builds_with_the_authoritys_words_and_uk_dates(
    client, district_manager, practitioner
):
    build.case(lead=practitioner, opened_on=D(2026, 7, 1))

    sheet = _sheet(client, district_manager, ExportKind.CASES_XLSX, {"figure": "open"})

    assert [c.value for c in sheet[1]][3:5] == ["Lead agency", "Lead practitioner"]
    opened = sheet.cell(row=2, column=8)
    assert opened.value.date() == D(2026, 7, 1)
    assert opened.number_format == "dd/mm/yyyy"


def test_requests_in_excel_show_received_and_decided_dates_as_dd_mm_yyyy(
    client, district_manager, practitioner
):
    referral = build.referral(by=practitioner, received_on=D(2026, 7, 6))
    build.decide(referral, outcome="signposting", decided_on=D(2026, 7, 8), by=district_manager)

    sheet = _sheet(
        client,
        district_manager,
        ExportKind.REQUESTS_XLSX,
        {"start": "2026-07-01", "end": "2026-09-30"},
    )

    received, decided = sheet.cell(row=2, column=2), sheet.cell(row=2, column=10)
    assert (received.value.date(), decided.value.date()) == (D(2026, 7, 6), D(2026, 7, 8))
    assert {received.number_format, decided.number_format} == {"dd/mm/yyyy"}


def test_the_board_reports_page_numbers_are_not_in_a_fallback_serif_font(
    strategic_viewer, practitioner, settings
):
    from pypdf import PdfReader

    build.case(lead=practitioner, opened_on=D(2026, 1, 1))
    job = exports.export_request(
        acting_user=strategic_viewer,
        kind=ExportKind.BOARD_REPORT,
        params={"start": "2026-07-01", "end": "2026-09-30"},
    )
    job = exports.export_build(job.pk)

    reader = PdfReader(Path(settings.MEDIA_ROOT) / job.file_path)
    assert "Page 1 of" in reader.pages[0].extract_text()
    fonts = {
        font.get_object()["/BaseFont"].split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert not {f for f in fonts if "Serif" in f}, fonts


def test_a_csv_export_job_is_downloaded_as_utf_8_as_the_quick_downloads_are(
    client, district_manager, practitioner
):
    build.case(lead=practitioner, opened_on=D(2026, 7, 1))
    job = exports.export_request(
        acting_user=district_manager, kind=ExportKind.CASES_CSV, params={"figure": "open"}
    )
    job = exports.export_build(job.pk)

    response = signed_in(client, district_manager).get(reverse("export_download", args=[job.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{job.file_name}"'
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")


AUTHORITY = "Amberford County Council"


def _assert_presentable(workbook, *, title: str):
    """What a validator or a reader's spreadsheet shows of the file itself: its title and
    author in the authority's name (not "openpyxl"), when it was made, a bold header row that
    stays in view, and columns wide enough for their headers."""
    properties = workbook.properties
    assert properties.title == title
    assert properties.creator == AUTHORITY
    assert properties.created is not None
    assert abs(properties.created - datetime.datetime.now(datetime.UTC).replace(tzinfo=None)) < (
        datetime.timedelta(minutes=5)
    )
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    for cell in sheet[1]:
        width = sheet.column_dimensions[cell.column_letter].width
        assert width >= len(str(cell.value)), (cell.value, width)


@override_settings(AUTHORITY_NAME=AUTHORITY)
def test_an_excel_export_job_names_itself_the_authority_and_its_place(
    client, district_manager, practitioner, district
):
    build.case(lead=practitioner, opened_on=D(2026, 7, 1))

    sheet = _sheet(
        client,
        district_manager,
        ExportKind.CASES_XLSX,
        {"figure": "open", "district": district.pk},
    )

    _assert_presentable(sheet.parent, title="Cases — Amberford")
    # The family name column is as wide as the longest name in it.
    family = sheet.cell(row=2, column=2).value
    assert sheet.column_dimensions["B"].width >= len(family)


@override_settings(AUTHORITY_NAME=AUTHORITY)
def test_a_quick_excel_download_is_called_what_it_shows_for_the_whole_authority(
    client, strategic_viewer
):
    response = signed_in(client, strategic_viewer).get(
        reverse("indicators_download", args=["xlsx"]),
        {"start": "01/07/2026", "end": "30/09/2026"},
    )

    workbook = load_workbook(io.BytesIO(response.content))
    _assert_presentable(workbook, title=f"Indicators — {AUTHORITY}, Q2 2026-27")
