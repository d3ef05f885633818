"""Cases, assessments, family plans and reviews (TAF meetings) through the API: the access
rules as a matrix (role x endpoint -> status), optimistic locking (409), a constant number of
queries for the case list, and the audit rows every read and write leaves."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from assessments import services as assessment_services
from assessments.models import Assessment, MeetingStatus
from cases import services as case_services
from cases.models import MAX_TEXT, ChronologyEntry, Need
from earlyhelp.models import AuditAction, AuditEvent
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
OPENED = TODAY - datetime.timedelta(days=30)


@pytest.fixture
def worked_case(practitioner, school):
    """An open case with an assessment in draft, a plan with one outcome, a TAF member from
    the school and the first TAF meeting scheduled."""
    case = factories.open_case(lead=practitioner, opened_on=OPENED, consent_agencies=[school])
    teacher = factories.UserFactory(
        full_name="Sam Okoro", agency=school, districts=[practitioner.districts.first()]
    )
    case.teacher = case_services.taf_member_add(
        case=case, user=teacher, agency=school, acting_user=practitioner
    )
    case.assessment = assessment_services.assessment_start(
        case=case, acting_user=practitioner, started_on=OPENED
    )
    case.plan = assessment_services.plan_create(case=case, acting_user=practitioner)
    case.outcome = assessment_services.outcome_add(
        plan=case.plan, acting_user=practitioner, text="Calmer mornings", baseline_scaling=3
    )
    case.meeting = assessment_services.meeting_schedule(
        case=case, acting_user=practitioner, scheduled_for=TODAY
    )
    return case


@pytest.fixture
def outsider(eh_team, district):
    """A practitioner in the same team and district who is not working with this family."""
    return factories.UserFactory(full_name="Olu Out", agency=eh_team, districts=[district])


@pytest.fixture
def actors(practitioner, outsider, consultant, strategic_viewer, district_manager):
    return {
        "lead": practitioner,
        "outsider": outsider,
        "consultant": consultant,
        "strategic": strategic_viewer,
        "manager": district_manager,
    }


def api_as(user) -> APIClient:
    return signed_in(APIClient(), user)


def detail_urls(case) -> dict[str, str]:
    return {
        "case": f"/api/v1/cases/{case.pk}/",
        "assessment": f"/api/v1/assessments/{case.assessment.pk}/",
        "plan": f"/api/v1/plans/{case.plan.pk}/",
        "review": f"/api/v1/reviews/{case.meeting.pk}/",
    }


def write_requests(case) -> dict[str, tuple[str, dict]]:
    return {
        "note": (f"/api/v1/cases/{case.pk}/notes/", {"kind": "phone_call", "text": "Rang mum."}),
        "draft": (
            f"/api/v1/assessments/{case.assessment.pk}/draft/",
            {"lock_version": 1, "content": {"analysis": "Routines first."}},
        ),
        "record": (
            f"/api/v1/reviews/{case.meeting.pk}/record/",
            {
                "held_on": TODAY.isoformat(),
                "decision": "continue",
                "attendance": [{"member_id": case.teacher.pk, "attendance": "present"}],
                "progress": [{"outcome_id": case.outcome.pk, "scaling": 5}],
            },
        ),
    }


READS = {"lead": 200, "manager": 200, "consultant": 200, "outsider": 404, "strategic": 403}
WRITES = {"lead": (200, 201), "manager": (200, 201), "consultant": (403,), "outsider": (404,)}
WRITES["strategic"] = (403,)


@pytest.mark.parametrize("endpoint", ["case", "assessment", "plan", "review"])
@pytest.mark.parametrize("actor, expected", READS.items())
def test_reading_a_record_follows_the_access_rules(actors, worked_case, actor, expected, endpoint):
    response = api_as(actors[actor]).get(detail_urls(worked_case)[endpoint])
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("endpoint", ["cases", "assessments", "plans", "reviews"])
@pytest.mark.parametrize("actor, expected", READS.items())
def test_lists_hold_only_the_callers_records(actors, worked_case, actor, expected, endpoint):
    response = api_as(actors[actor]).get(f"/api/v1/{endpoint}/")
    if expected == 403:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert (len(ids) == 1) == (expected == 200), ids


@pytest.mark.parametrize("write", ["note", "draft", "record"])
@pytest.mark.parametrize("actor, expected", WRITES.items())
def test_writing_follows_the_access_rules(actors, worked_case, actor, expected, write):
    url, body = write_requests(worked_case)[write]
    response = api_as(actors[actor]).post(url, body, format="json")
    assert response.status_code in expected, response.content


def test_unauthenticated_callers_are_refused(worked_case):
    for url in detail_urls(worked_case).values():
        assert APIClient().get(url).status_code in (401, 403)


def test_a_restricted_family_is_refused_with_whom_to_contact(practitioner, worked_case):
    family = worked_case.family
    family.restricted = True
    family.restricted_contact = "the Amberford team manager"
    family.save()
    api = api_as(practitioner)
    for url in detail_urls(worked_case).values():
        response = api.get(url)
        assert response.status_code == 403
        assert "the Amberford team manager" in response.json()["detail"]
    assert api.get("/api/v1/cases/").json()["results"] == []


def test_a_stale_lock_version_is_a_conflict_and_nothing_is_overwritten(
    practitioner, worked_case, eh_team, district
):
    api = api_as(practitioner)
    url = f"/api/v1/assessments/{worked_case.assessment.pk}/draft/"
    first = api.post(url, {"lock_version": 1, "content": {"analysis": "Mine"}}, format="json")
    assert first.status_code == 200, first.content
    assert first.json()["lock_version"] == 2
    assert first.json()["content"]["analysis"] == "Mine"

    stale = api.post(url, {"lock_version": 1, "content": {"analysis": "Theirs"}}, format="json")
    assert stale.status_code == 409
    assert "since you opened it" in stale.json()["detail"]
    assert Assessment.objects.get().content["analysis"] == "Mine"

    fresh = api.post(
        url,
        {"lock_version": 2, "content": {"analysis": "Both"}, "need_ids": [Need.objects.first().pk]},
        format="json",
    )
    assert fresh.status_code == 200
    assert fresh.json()["needs"] == [Need.objects.first().code]


def test_a_submitted_assessment_cannot_be_saved_as_a_draft(practitioner, worked_case):
    Assessment.objects.filter(pk=worked_case.assessment.pk).update(status="submitted")
    response = api_as(practitioner).post(
        f"/api/v1/assessments/{worked_case.assessment.pk}/draft/",
        {"lock_version": 1, "content": {"analysis": "Late change"}},
        format="json",
    )
    assert response.status_code == 400
    assert "locked" in response.json()["detail"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "note", "text": ""}, "text"),
        ({"kind": "note", "text": "x" * (MAX_TEXT + 1)}, "text"),
        ({"kind": "consent", "text": "Not a note kind"}, "kind"),
    ],
)
def test_bad_notes_are_a_400_naming_the_field(practitioner, worked_case, body, field):
    response = api_as(practitioner).post(
        f"/api/v1/cases/{worked_case.pk}/notes/", body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()


def test_a_note_on_a_closed_case_is_refused(practitioner):
    case = factories.closed_case(lead=practitioner)
    response = api_as(practitioner).post(
        f"/api/v1/cases/{case.pk}/notes/", {"text": "Too late"}, format="json"
    )
    assert response.status_code == 403


def test_recording_the_first_taf_meeting_agrees_the_plan(practitioner, worked_case):
    url, body = write_requests(worked_case)["record"]
    response = api_as(practitioner).post(url, body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "held"
    assert data["attendance"] == [{"name": "Sam Okoro", "attendance": "present"}]
    assert data["progress"][0]["distance_travelled"] == 2
    worked_case.plan.refresh_from_db()
    assert worked_case.plan.agreed_on == TODAY
    assert worked_case.taf_meetings.filter(status=MeetingStatus.SCHEDULED).count() == 1


def test_recording_a_meeting_with_someone_not_on_the_team_is_a_400(practitioner, worked_case):
    url, body = write_requests(worked_case)["record"]
    body["attendance"] = [{"member_id": 999999, "attendance": "present"}]
    response = api_as(practitioner).post(url, body, format="json")
    assert response.status_code == 400
    assert "member_id" in str(response.json())
    worked_case.meeting.refresh_from_db()
    assert worked_case.meeting.status == MeetingStatus.SCHEDULED


def test_recording_a_meeting_twice_is_refused(practitioner, worked_case):
    url, body = write_requests(worked_case)["record"]
    api = api_as(practitioner)
    assert api.post(url, body, format="json").status_code == 200
    again = api.post(url, body, format="json")
    assert again.status_code == 400
    assert "already been recorded" in again.json()["detail"]


def test_every_retrieve_and_write_is_audited(practitioner, worked_case):
    api = api_as(practitioner)
    before = AuditEvent.objects.count()
    for url in detail_urls(worked_case).values():
        assert api.get(url).status_code == 200
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, user=practitioner)
    assert sorted(views.values_list("record_type", flat=True)) == [
        "assessment",
        "earlyhelpcase",
        "familyplan",
        "tafmeeting",
    ]
    assert set(views.values_list("family_id", flat=True)) == {worked_case.family_id}
    assert views.filter(path=f"/api/v1/cases/{worked_case.pk}/").exists()

    for url, body in write_requests(worked_case).values():
        assert api.post(url, body, format="json").status_code in (200, 201)
    written = AuditEvent.objects.filter(pk__gt=before).exclude(action=AuditAction.VIEW)
    assert {(e.action, e.record_type) for e in written} >= {
        (AuditAction.CREATE, "chronologyentry"),
        (AuditAction.CHANGE, "assessment"),
        (AuditAction.CHANGE, "tafmeeting"),
    }
    note = ChronologyEntry.objects.get(kind="phone_call")
    assert written.filter(record_type="chronologyentry", record_id=note.pk).exists()


def test_a_list_is_audited_once_not_per_row(practitioner, worked_case):
    """Issue 17, point 3: one audit row per list read, not one per record."""
    _cases_led_by(practitioner, 2)
    api = api_as(practitioner)
    before = AuditEvent.objects.count()
    assert api.get("/api/v1/cases/").status_code == 200
    assert AuditEvent.objects.count() == before + 1


def _cases_led_by(lead, count):
    for _ in range(count):
        factories.open_case(lead=lead, opened_on=OPENED)


def test_the_case_list_costs_the_same_queries_for_5_or_50_cases(
    practitioner, django_assert_max_num_queries
):
    api = api_as(practitioner)
    _cases_led_by(practitioner, 5)
    with CaptureQueriesContext(connection) as five:
        assert len(api.get("/api/v1/cases/").json()["results"]) == 5
    _cases_led_by(practitioner, 45)
    with django_assert_max_num_queries(len(five)):
        assert len(api.get("/api/v1/cases/").json()["results"]) == 50


def test_the_api_schema_describes_the_casework_endpoints(practitioner):
    response = api_as(practitioner).get("/api/schema/")
    assert response.status_code == 200
    schema = response.content.decode()
    for path in [
        "/api/v1/cases/",
        "/api/v1/cases/{id}/notes/",
        "/api/v1/assessments/{id}/",
        "/api/v1/assessments/{id}/draft/",
        "/api/v1/plans/{id}/",
        "/api/v1/reviews/",
        "/api/v1/reviews/{id}/record/",
    ]:
        assert path in schema, path


@override_settings(LEVEL_OF_NEED_LABELS={2: "Getting help", 3: "Getting more help"})
def test_the_schema_names_levels_of_need_in_the_authoritys_words_as_the_api_does(practitioner):
    """The codes are the contract; their labels are the authority's (as level_label gives
    them), in the schema's enum, its query parameter and the triage decision's input."""
    api = api_as(practitioner)
    targeted = factories.open_case(lead=practitioner, level_of_need=3, opened_on=OPENED)
    factories.open_case(lead=practitioner, level_of_need=2, opened_on=OPENED)
    listed = api.get("/api/v1/cases/?level_of_need=3").json()["results"]
    assert [(row["id"], row["level_of_need"], row["level_label"]) for row in listed] == [
        (targeted.pk, 3, "Getting more help")
    ]
    assert api.get("/api/v1/cases/?level_of_need=9").status_code == 400

    schema = api.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    levels = components["LevelOfNeedEnum"]
    assert levels["enum"] == [1, 2, 3, 4]
    assert "* `2` - Getting help\n* `3` - Getting more help" in levels["description"]
    assert "Targeted" not in levels["description"]
    reference = {"$ref": "#/components/schemas/LevelOfNeedEnum"}
    assert components["CaseOutput"]["properties"]["level_of_need"] == reference
    assert components["DecideInput"]["properties"]["level_of_need"] == reference
    parameters = [
        parameter
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict)
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "level_of_need"
    ]
    assert parameters
    for parameter in parameters:
        assert parameter["schema"]["enum"] == [1, 2, 3, 4]
        assert "Getting more help" in parameter["description"]
        assert "Targeted" not in parameter["description"]


def test_the_casework_endpoints_generate_the_schema_without_warnings(tmp_path, capsys):
    from django.core.management import call_command
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()  # warnings are emitted once per process
    call_command("spectacular", "--file", str(tmp_path / "schema.yml"))
    err = capsys.readouterr().err
    assert "cases/api.py" not in err and "assessments/api.py" not in err, err


def test_the_family_list_output_is_drf_s_own_field_for_field(practitioner, district):
    """cases/serializers.py reads plain columns straight off the records (earlyhelp.api.
    PlainColumnsOutput); what it writes is what DRF's ModelSerializer writes, key for key."""
    from rest_framework import serializers
    from rest_framework.test import APIRequestFactory

    from cases.serializers import FamilyOutput, MembershipOutput, PersonOutput

    family = factories.family_with_children(district=district, children=2, postcode="AB1 2CD")
    child, other = [m.person for m in family.memberships.filter(relationship="child")]
    child.disabilities, child.interpreter_needed, child.upn = ["MOB", "HAND"], True, None
    child.nhs_number, child.gender, child.care_leaver = "9434765919", "2", True
    child.save()
    other.date_of_birth, other.expected_date = None, OPENED + datetime.timedelta(days=90)
    other.restricted, other.restricted_contact = True, "Jo Bloggs"
    other.save()
    factories.open_case(lead=practitioner, family=family)
    request = APIRequestFactory().get("/api/v1/families/")
    request.user = practitioner
    context = {"request": request}
    for output, record in (
        (FamilyOutput, family),
        (MembershipOutput, family.memberships.first()),
        (PersonOutput, child),
        (PersonOutput, other),
    ):
        serializer = output(context=context)
        drf = serializers.ModelSerializer.to_representation(serializer, record)
        plain = super(output, serializer).to_representation(record)  # PlainColumnsOutput
        assert plain == drf and list(plain) == list(drf)
    assert FamilyOutput(family, context=context).data["members"]


def test_the_case_list_output_is_drf_s_own_field_for_field(practitioner):
    """The case list reads plain columns straight off the case (earlyhelp.api.PlainColumns):
    what it writes is what DRF's ModelSerializer writes, key for key."""
    from rest_framework import serializers

    from cases.api import CaseViewSet

    opened = factories.open_case(lead=practitioner, opened_on=OPENED)
    closed = factories.open_case(lead=practitioner, opened_on=OPENED)
    closed.status, closed.closed_on, closed.closure_reason = "closed", OPENED, "needs_met"
    closed.save()
    listed = {
        row["id"]: row for row in api_as(practitioner).get("/api/v1/cases/").json()["results"]
    }
    for case in (opened, closed):
        serializer = CaseViewSet.CaseOutput()
        drf = serializers.ModelSerializer.to_representation(serializer, case)
        plain = serializer.to_representation(case)
        assert plain == drf and list(plain) == list(drf)
        assert listed[case.pk] == drf
    assert listed[closed.pk]["closed_on"] == OPENED.isoformat()
