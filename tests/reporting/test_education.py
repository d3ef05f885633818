"""Education events from the education system: the administrators' CSV import page and the
API, both all or nothing, matched by UPN, named by no one; and the case page that shows
them to the professionals working with the child."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from earlyhelp.models import ApiScope, AuditEvent
from partners import service_accounts
from partners.doors import LOAD_EDUCATION_PERMISSION
from partners.models import Role
from reporting import indicators
from reporting.models import EducationEvent
from reporting.selectors import Period, reporting_scope_for
from tests.conftest import signed_in
from tests.reporting import factories as build

pytestmark = pytest.mark.django_db

# Valid check letters (cases/validators.py), local authority 999: no real pupil's.
UPNS = ("K999200100040", "Y999200100050", "L999200100060", "Z999200100070")
URL = "/reporting/education-events/"
API = "/api/v1/education-events/"


def ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def csv_file(text: str, name: str = "education.csv", encoding: str = "utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def upload(client, text: str, name: str = "education.csv", **kwargs):
    return client.post(URL, {"file": csv_file(text, name, **kwargs)})


def pupil(the_case, upn: str):
    child = build.child_of(the_case)
    child.upn = upn
    child.save(update_fields=["upn"])
    return child


@pytest.fixture
def planned_case(practitioner):
    """A case whose family plan was drawn up 60 days ago, its child a pupil."""
    the_case = build.case(lead=practitioner, opened_on=ago(90))
    build.plan(the_case, created_on=ago(60))
    pupil(the_case, UPNS[0])
    return the_case


@pytest.fixture
def unplanned_case(practitioner):
    the_case = build.case(lead=practitioner, opened_on=ago(20))
    pupil(the_case, UPNS[1])
    return the_case


@pytest.fixture
def admin_client(client, administrator):
    return signed_in(client, administrator)


def figures(viewer, kind: str) -> dict:
    period = Period(ago(80), timezone.localdate())
    return indicators.plan_before_education_event(reporting_scope_for(viewer), period, kind)


# --- the import page ---------------------------------------------------------------------


def test_an_imported_file_moves_the_plan_before_exclusion_indicator(
    admin_client, planned_case, unplanned_case, strategic_viewer
):
    assert figures(strategic_viewer, "exclusion") == {"events": 0, "with_plan": 0}
    text = (
        "upn,kind,occurred_on,source\n"
        f"{UPNS[0]},exclusion,{ago(10):%d/%m/%Y},Amberford\x00 High\n"
        f"{UPNS[1].lower()},Exclusion,{ago(5).isoformat()},\n"
        f"{UPNS[0]},ehc_request,{ago(3).isoformat()},\n"
    )

    response = upload(admin_client, text)

    assert response.status_code == 302
    page = admin_client.get(response.url).content.decode()
    assert "education.csv: 3 events read: 3 recorded, 0 already held." in page
    assert "The indicators count them within 10 minutes." in page
    assert figures(strategic_viewer, "exclusion") == {"events": 2, "with_plan": 1}
    assert figures(strategic_viewer, "ehc_request") == {"events": 1, "with_plan": 1}
    assert set(EducationEvent.objects.values_list("source", flat=True)) == {
        "Amberford High",  # the stray NUL dropped
        "education.csv",
    }
    load = AuditEvent.objects.get(record_type="educationevent")
    assert load.action == "create" and load.changes["recorded"] == [0, 3]


def test_one_bad_row_stores_nothing_and_every_bad_row_is_listed(admin_client, planned_case):
    future = timezone.localdate() + datetime.timedelta(days=2)
    text = (
        "upn,kind,occurred_on\n"
        f"{UPNS[0]},exclusion,{ago(10).isoformat()}\n"  # row 2: good
        "P801200120003,exclusion,01/03/2026\n"  # row 3: wrong check letter
        f"{UPNS[3]},exclusion,01/03/2026\n"  # row 4: nobody's UPN
        f"{UPNS[0]},suspension,31/02/2026\n"  # row 5: two problems
        f"{UPNS[0]},ehc_request,{future:%d/%m/%Y}\n"  # row 6: in the future
        f"{UPNS[0]},ehc_request,01/01/1850\n"  # row 7: before the calendar
        ",exclusion,\n"  # row 8: two blanks
        f"{UPNS[0]},exclusion,{ago(9).isoformat()},extra\n"  # row 9: a cell too many
    )

    response = upload(admin_client, text, name="spring-term.csv")

    assert response.status_code == 400
    assert not EducationEvent.objects.exists()
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "spring-term.csv was not imported: 7 rows have problems, so nothing was stored" in page
    for message in [
        "Row 3, upn: Enter a valid unique pupil number",
        "Row 4, upn: No child in the system has this unique pupil number",
        "Row 5, kind: “suspension” is not a kind of event: use ehc_request",
        "Row 5, occurred_on: “31/02/2026” is not a real date: use dd/mm/yyyy or yyyy-mm-dd",
        "Row 6, occurred_on: The date it happened must be today or in the past",
        "Row 7, occurred_on: The date it happened must be between 1900 and 2099",
        "Row 8, upn: Enter the child&#x27;s unique pupil number (UPN)",
        "Row 8, occurred_on: Enter the date it happened",
        "Row 9, row: It has more cells than there are columns",
    ]:
        assert message in page, message
    assert "Row 2" not in page
    child = build.child_of(planned_case)
    assert child.first_name not in page and child.last_name not in page  # no names


def test_events_sent_again_are_counted_as_already_held_not_stored_twice(admin_client, planned_case):
    row = f"{UPNS[0]},exclusion,{ago(10).isoformat()}\n"
    first = upload(admin_client, "upn,kind,occurred_on\n" + row + row)
    assert (
        "2 events read: 1 recorded, 1 already held" in admin_client.get(first.url).content.decode()
    )

    again = upload(admin_client, f"upn,kind,occurred_on\n{row}{UPNS[0]},exclusion,{ago(11)}\n")

    message = admin_client.get(again.url).content.decode()
    assert "2 events read: 1 recorded, 1 already held" in message
    assert EducationEvent.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "text", "encoding", "message"),
    [
        ("events.xlsx", "upn,kind,occurred_on\n", "utf-8", "events.xlsx is not a CSV file"),
        (
            "events.csv",
            "upn,kind,occurred_on\nP801200120002,exclusion,01/03/2026,Ecole Sainté\n",
            "latin-1",
            "events.csv is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8”",
        ),
        (
            "events.csv",
            "pupil,type,date\nP801200120002,exclusion,01/03/2026\n",
            "utf-8",
            "The first row of events.csv must be the column names "
            "upn,kind,occurred_on[,source]; it is pupil,type,date",
        ),
        ("events.csv", "upn,kind,occurred_on\n\n", "utf-8", "events.csv has no events"),
        ("events.csv", "", "utf-8", "The chosen file is empty"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message(
    admin_client, name, text, encoding, message
):
    response = upload(admin_client, text, name=name, encoding=encoding)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "govuk-error-summary" in page
    assert not EducationEvent.objects.exists()


def test_a_file_too_large_is_refused(admin_client, monkeypatch):
    from reporting import education

    monkeypatch.setattr(education, "MAX_FILE_BYTES", 1_000_000)
    big = "upn,kind,occurred_on\n" + "P801200120002,exclusion,01/03/2026\n" * 40_000

    response = upload(admin_client, big, name="whole-year.csv")

    assert response.status_code == 400
    assert "whole-year.csv is larger than 1 MB" in response.content.decode()


def test_choosing_no_file_asks_for_one(admin_client):
    response = admin_client.post(URL, {})
    assert response.status_code == 400
    assert "Choose a CSV file of education events" in response.content.decode()


@pytest.mark.parametrize(
    "actor", ["practitioner", "district_manager", "consultant", "strategic_viewer"]
)
def test_only_administrators_open_the_import_page(client, request, actor, planned_case):
    signed_in(client, request.getfixturevalue(actor))

    assert client.get(URL).status_code == 403
    row = f"upn,kind,occurred_on\n{UPNS[0]},exclusion,{ago(3)}\n"
    assert upload(client, row).status_code == 403
    assert not EducationEvent.objects.exists()
    assert f'href="{URL}"' not in client.get(reverse("notification_list")).content.decode()


def test_administrators_find_the_page_in_their_navigation(admin_client):
    response = admin_client.get(reverse("indicators"))
    assert f'href="{URL}"' in response.content.decode()
    page = admin_client.get(URL).content.decode()
    assert "Load education events" in page and 'id="education-events-held"' in page


# --- the API -----------------------------------------------------------------------------


def grant_loading(user) -> None:
    """What an administrator ticks in the admin for the education system's account."""
    from django.contrib.auth.models import Permission

    app, codename = LOAD_EDUCATION_PERMISSION.split(".")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app, codename=codename)
    )


def partner_system(administrator, agency, name: str, role: str):
    return service_accounts.service_account_create(
        acting_user=administrator,
        email=f"{name.split()[0].lower()}@systems.example.test",
        system_name=name,
        agency=agency,
        role=role,
        districts=list(agency.districts.all()),
    )


@pytest.fixture
def education_system(eh_team, administrator):
    account = partner_system(administrator, eh_team, "County education system", Role.STRATEGIC)
    grant_loading(account.user)
    return account


def token_client(account, administrator, scope=ApiScope.READ_WRITE) -> APIClient:
    _token, key = service_accounts.api_token_issue(
        account=account, acting_user=administrator, scope=scope, days=30
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_education_system_sends_events_and_sending_again_stores_nothing_twice(
    education_system, administrator, planned_case, strategic_viewer
):
    api = token_client(education_system, administrator)
    event = {"upn": UPNS[0], "kind": "exclusion", "occurred_on": ago(4).isoformat()}

    first = api.post(API, event, format="json")
    again = api.post(API, [event, {**event, "kind": "ehc_request"}], format="json")

    assert first.status_code == 201
    assert first.json() == {"received": 1, "recorded": 1, "already_held": 0}
    assert again.status_code == 201
    assert again.json() == {"received": 2, "recorded": 1, "already_held": 1}
    assert figures(strategic_viewer, "exclusion") == {"events": 1, "with_plan": 1}
    assert EducationEvent.objects.get(kind="exclusion").source == "County education system"
    assert api.post(API, event, format="json").status_code == 200


def test_the_api_refuses_the_whole_list_with_each_events_problems_by_field(
    admin_client, planned_case
):
    api = signed_in(APIClient(), planned_case.lead_professional)  # not allowed at all
    good = {"upn": UPNS[0], "kind": "exclusion", "occurred_on": ago(4).isoformat()}
    assert api.post(API, [good], format="json").status_code == 403

    api = admin_client  # an administrator's session (as on the page)
    response = api.post(
        API,
        [
            good,
            {"upn": UPNS[3], "kind": "exclusion", "occurred_on": "2026-02-31"},
            {"upn": "", "kind": "suspension"},
        ],
        content_type="application/json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["events"][0] == {}
    assert body["events"][2] == {
        "upn": ["Enter the child's unique pupil number (UPN)"],
        "kind": [
            "“suspension” is not a kind of event: use ehc_request (Request for an EHC needs "
            "assessment), exclusion (Exclusion from school)"
        ],
        "occurred_on": ["Enter the date it happened, like 03/03/2026 or 2026-03-03"],
    }
    assert not EducationEvent.objects.exists()

    good_shape = [good, {"upn": UPNS[3], "kind": "exclusion", "occurred_on": "2026-02-31"}]
    response = api.post(API, good_shape, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["events"] == [
        {},
        {
            "upn": ["No child in the system has this unique pupil number"],
            "occurred_on": [
                "“2026-02-31” is not a real date: use dd/mm/yyyy or yyyy-mm-dd, like 03/03/2026"
            ],
        },
    ]
    assert not EducationEvent.objects.exists()


def test_only_the_permitted_service_account_may_send_events(
    education_system, administrator, eh_team, planned_case
):
    event = {"upn": UPNS[0], "kind": "exclusion", "occurred_on": ago(4).isoformat()}
    read_only = token_client(education_system, administrator, scope=ApiScope.READ)
    assert read_only.post(API, event, format="json").status_code == 403
    other_system = partner_system(administrator, eh_team, "School MIS", Role.TEAM_MANAGER)
    assert (
        token_client(other_system, administrator).post(API, event, format="json").status_code == 403
    )
    assert APIClient().post(API, event, format="json").status_code == 401
    assert not EducationEvent.objects.exists()


def test_a_person_holding_the_permission_is_not_let_in(client, practitioner, planned_case):
    grant_loading(practitioner)
    signed_in(client, practitioner)
    assert client.get(URL).status_code == 403


# --- the case page -----------------------------------------------------------------------


def test_the_case_page_lists_the_childrens_events_in_the_same_queries_however_many(
    client, practitioner, administrator, django_assert_max_num_queries
):
    from reporting.education import education_events_record

    the_case = build.case(lead=practitioner, opened_on=ago(200), children=3)
    children = list(the_case.children.order_by("pk"))
    for child, upn in zip(children, UPNS[:3], strict=True):
        child.upn = upn
        child.save(update_fields=["upn"])
    url = reverse("case_detail", args=[the_case.pk])
    signed_in(client, practitioner)
    education_events_record(
        acting_user=administrator,
        rows=[{"upn": UPNS[0], "kind": "exclusion", "occurred_on": "2026-03-03"}],
    )
    with django_assert_max_num_queries(40) as one:
        page = client.get(url).content.decode()
    assert f"{children[0].full_name}: Exclusion from school — 3 March 2026" in page

    education_events_record(
        acting_user=administrator,
        rows=[
            {"upn": upn, "kind": kind, "occurred_on": day}
            for upn in UPNS[:3]
            for kind in ("exclusion", "ehc_request")
            for day in ("2026-01-05", "2026-02-09")
        ],
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert f"{children[2].full_name}: Request for an EHC needs assessment — 9 February 2026" in page


def test_a_restricted_childs_events_are_not_shown_to_someone_not_named(
    client, practitioner, district_manager, administrator
):
    from reporting.education import education_events_record

    the_case = build.case(lead=practitioner, opened_on=ago(200))
    child = pupil(the_case, UPNS[0])
    education_events_record(
        acting_user=administrator,
        rows=[{"upn": UPNS[0], "kind": "exclusion", "occurred_on": "2026-03-03"}],
    )
    child.restricted = True
    child.restricted_contact = "the district manager"
    child.save(update_fields=["restricted", "restricted_contact"])
    child.named_people.add(practitioner)
    url = reverse("case_detail", args=[the_case.pk])

    assert (
        "Exclusion from school — 3 March 2026"
        in signed_in(client, practitioner).get(url).content.decode()
    )
    page = signed_in(client, district_manager).get(url).content.decode()
    assert "Exclusion from school" not in page
