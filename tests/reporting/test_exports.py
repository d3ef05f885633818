"""CSV/Excel neutralising, Annex A List 2, export jobs (access, audit, download), the PDF."""

import csv
import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.codes import Ethnicity, Gender
from cases.models import EarlyHelpCase, Person
from earlyhelp.models import AuditAction, AuditEvent
from reporting import annex_a, exports
from reporting.models import ExportJob, ExportKind
from reporting.selectors import Period
from tests.conftest import signed_in
from tests.reporting import factories as build

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 1234", "'+44 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Smith household", "Smith household"),
        (42, 42),
        (None, ""),
    ],
)
def test_cells_that_could_run_as_formulas_are_neutralised(value, expected):
    assert exports.neutralise(value) == expected


def test_csv_and_excel_files_neutralise_every_cell():
    rows = [["=1+1", "-5", "safe"]]
    text = exports.csv_bytes(["a", "b", "c"], rows).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1] == ["'=1+1", "'-5", "safe"]
    data = exports.xlsx_bytes(["a", "b", "c"], rows)
    sheet = load_workbook(io.BytesIO(data)).active
    # Excel: text cells, shown as typed (no visible apostrophe), never formulas
    assert [c.value for c in sheet[2]] == ["=1+1", "-5", "safe"]
    assert [c.data_type for c in sheet[2]] == ["s", "s", "s"]
    assert sheet["A2"].quotePrefix and sheet["B2"].quotePrefix and not sheet["C2"].quotePrefix
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_annex_a_list_2_has_the_published_headers_codes_and_dates(practitioner):
    episode = build.case(lead=practitioner, opened_on=D(2026, 7, 1))
    child = build.child_of(episode)
    Person.objects.filter(pk=child.pk).update(
        gender=Gender.FEMALE, ethnicity=Ethnicity.MWBA, date_of_birth=D(2018, 5, 4)
    )
    build.assessment(episode, started_on=D(2026, 7, 2), signed_off_on=D(2026, 7, 20))
    episode.lead_agency.name = "=Amberford Early Help Team"
    episode.lead_agency.save()
    period = Period(D(2026, 4, 1), D(2026, 9, 30))

    rows = list(annex_a.rows(EarlyHelpCase.objects.all(), period))

    assert annex_a.HEADER == [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Assessment start date",
        "Assessment completion date",
        "Organisation completing assessment",
    ]
    assert rows == [
        [
            str(child.pk),
            "b) Female",
            "g) MWBA",
            "04/05/2018",
            8,
            "02/07/2026",
            "20/07/2026",
            "=Amberford Early Help Team",
        ]
    ]
    workbook = load_workbook(io.BytesIO(exports.xlsx_bytes(annex_a.HEADER, rows, sheet="List 2")))
    assert workbook.sheetnames == ["List 2"]
    sheet = workbook["List 2"]
    assert [c.value for c in sheet[1]] == annex_a.HEADER
    assert sheet["H2"].value == "=Amberford Early Help Team"  # as typed, as text
    assert sheet["H2"].data_type == "s" and sheet["H2"].quotePrefix


def test_annex_a_uses_every_published_code():
    from cases.codes import ANNEX_A_ETHNICITY, ANNEX_A_GENDER

    assert sorted(ANNEX_A_GENDER.values()) == [
        "a) Male",
        "b) Female",
        "c) Not stated/recorded",
        "d) Neither",
    ]
    assert ANNEX_A_ETHNICITY[Ethnicity.WBRI] == "a) WBRI"
    assert ANNEX_A_ETHNICITY[Ethnicity.NOBT] == "t) NOBT"


def test_annex_a_leaves_the_completion_date_blank_while_open_and_excludes_old_closed_work(
    practitioner,
):
    current = build.case(lead=practitioner, opened_on=D(2025, 1, 1))
    build.assessment(current, started_on=D(2025, 1, 2))
    old = build.case(lead=practitioner, opened_on=D(2025, 1, 1))
    build.assessment(old, started_on=D(2025, 1, 2), signed_off_on=D(2025, 1, 20))
    build.close(old, closed_on=D(2025, 3, 1))
    period = Period(D(2026, 4, 1), D(2026, 9, 30))

    rows = list(annex_a.rows(EarlyHelpCase.objects.all(), period))

    assert len(rows) == 1
    assert rows[0][5] == "02/01/2025"
    assert rows[0][6] == ""


def _run(job):
    return exports.export_build(job.pk)


def test_an_annex_a_export_job_builds_a_file_only_its_requester_can_download(
    client, district_manager, practitioner, other_manager, django_capture_on_commit_callbacks
):
    episode = build.case(lead=practitioner, opened_on=D(2026, 7, 1))
    build.assessment(episode, started_on=D(2026, 7, 2))
    job = exports.export_request(
        acting_user=district_manager,
        kind=ExportKind.ANNEX_A_XLSX,
        params={"start": "2026-04-01", "end": "2026-09-30"},
    )
    job = _run(job)

    assert job.status == "ready"
    assert job.progress == 100
    assert job.row_count == 1
    response = signed_in(client, district_manager).get(reverse("export_download", args=[job.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["List 2"]

    client.logout()
    assert (
        signed_in(client, other_manager).get(reverse("export_download", args=[job.pk])).status_code
        == 404
    )
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.EXPORT, user=district_manager, record_type="exportjob"
        ).count()
        == 2
    )  # requested, downloaded


def test_an_export_counts_only_the_requesters_scope(
    district_manager, practitioner, other_practitioner
):
    mine = build.case(lead=practitioner, opened_on=D(2026, 7, 1))
    build.assessment(mine, started_on=D(2026, 7, 2))
    theirs = build.case(lead=other_practitioner, opened_on=D(2026, 7, 1))
    build.assessment(theirs, started_on=D(2026, 7, 2))
    job = exports.export_request(
        acting_user=district_manager,
        kind=ExportKind.ANNEX_A_CSV,
        params={"start": "2026-04-01", "end": "2026-09-30"},
    )
    job = _run(job)

    text = (Path(exports.settings.MEDIA_ROOT) / job.file_path).read_text("utf-8-sig")
    assert str(build.child_of(mine).pk) in text
    assert str(build.child_of(theirs).pk) not in text.split("\n", 1)[1].split(",")[0]
    assert job.row_count == 1


def test_strategic_viewers_cannot_export_lists_of_children(strategic_viewer):
    from earlyhelp.errors import DomainError

    with pytest.raises(DomainError):
        exports.export_request(acting_user=strategic_viewer, kind=ExportKind.ANNEX_A_CSV, params={})
    with pytest.raises(DomainError):
        exports.export_request(acting_user=strategic_viewer, kind=ExportKind.CASES_CSV, params={})


def test_a_job_whose_requester_lost_access_fails_instead_of_building(district_manager):
    job = ExportJob.objects.create(
        requested_by=district_manager, kind=ExportKind.CASES_CSV, params={}
    )
    district_manager.role = "practitioner"
    district_manager.save()

    assert _run(job).status == "failed"
    assert not job.file_path


def test_a_redelivered_task_does_not_build_the_file_twice(district_manager):
    job = ExportJob.objects.create(
        requested_by=district_manager, kind=ExportKind.INDICATORS_CSV, params={}
    )
    first = _run(job)
    finished_at = first.finished_at
    second = _run(job)
    assert second.status == "ready"
    assert second.finished_at == finished_at


def test_the_case_list_export_comes_from_the_drill_down_filters(
    client, district_manager, practitioner
):
    build.case(lead=practitioner, opened_on=D(2026, 7, 1), level_of_need=3)
    build.case(lead=practitioner, opened_on=D(2026, 7, 1), level_of_need=2)
    client = signed_in(client, district_manager)
    response = client.post(
        reverse("export_start"), {"kind": "cases_csv", "figure": "open", "level": "3"}
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("export_status", args=[job.pk])
    job = _run(job)
    assert job.row_count == 1
    page = client.get(reverse("export_status", args=[job.pk]))
    assert "Download" in page.content.decode()


def test_a_nul_in_an_export_filter_queues_the_export_instead_of_failing(client, district_manager):
    """A NUL in a filter used to give 'problem with the service': the job's JSON refused it."""
    response = signed_in(client, district_manager).post(
        reverse("export_start"), {"kind": "cases_csv", "start": "2026-07-01\x00", "x\x00": "1"}
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert job.params == {"start": "2026-07-01", "x": "1"}  # the NULs dropped


def test_the_progress_fragment_polls_until_the_export_is_ready(client, district_manager):
    job = ExportJob.objects.create(
        requested_by=district_manager, kind=ExportKind.INDICATORS_CSV, params={}, progress=40
    )
    client = signed_in(client, district_manager)
    fragment = client.get(reverse("export_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert '<progress class="eh-progress-native" max="100" value="40"' in body
    assert "<html" not in body


def test_indicator_downloads_are_audited_and_neutralised(client, district_manager):
    client = signed_in(client, district_manager)
    response = client.get(reverse("indicators_download", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == exports.INDICATOR_HEADER
    xlsx = client.get(reverse("indicators_download", args=["xlsx"]))
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["Indicators"]
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.EXPORT, user=district_manager, record_type="indicators"
        ).count()
        == 2
    )


def test_the_board_report_pdf_has_the_authority_quarters_and_suppressed_figures(
    settings, strategic_viewer, practitioner
):
    from pypdf import PdfReader

    settings.AUTHORITY_NAME = "Amberford County Council"
    for _ in range(3):
        build.case(lead=practitioner, opened_on=D(2026, 1, 1))
    job = exports.export_request(
        acting_user=strategic_viewer,
        kind=ExportKind.BOARD_REPORT,
        params={"start": "2026-07-01", "end": "2026-09-30"},
    )
    job = _run(job)

    assert job.status == "ready", job.error
    reader = PdfReader(Path(settings.MEDIA_ROOT) / job.file_path)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Amberford County Council" in text
    assert "Early help partnership board report: Q2 2026-27" in text
    for quarter in ("Q2 2025-26", "Q3 2025-26", "Q4 2025-26", "Q1 2026-27"):
        assert quarter in text
    assert "Children worked with" in text
    assert "<5" in text
    assert reader.metadata.title.startswith("Early help partnership board report")
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_the_pdf_fetcher_refuses_anything_but_our_static_files():
    from reporting.board_report import _static_only_fetcher

    fetcher = _static_only_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.com/x.png")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
