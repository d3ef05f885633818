"""Issue 17, point 1, continued: the restriction holds on the casework surfaces too.

The matrix of tests/security/test_restriction.py extended to the assessment (view, form,
signed-off version, comparison, PDF), the family plan and review PDFs, the review meeting
pages (attendance, the attendance register to record) and the merge page's suggestions:
surfaces x (restricted household, restricted person, named on both, not restricted).
On today's code a child restricted on their own (their household not) was named on every
one of them to a lead professional who is not named on the restriction.
"""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import services as eha
from cases import services as case_services
from tests import factories
from tests.assessments.test_signoff_queue import complete
from tests.conftest import signed_in
from tests.security.test_restriction import (
    CHILD_DOB,
    HOUSEHOLD_CONTACT,
    PERSON_CONTACT,
    SITUATIONS,
    _situate,
    record,  # noqa: F401  (fixture)
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def worked(record, practitioner, district_manager, school):  # noqa: F811
    """The record's case with a signed-off assessment (version 1) and a new draft, a plan and
    a review held with the child and the parent, and a second review scheduled."""
    case, lead = record["case"], practitioner
    case_services.consent_record(
        case=case,
        acting_user=lead,
        given_by=record["parent"],
        given_on=case.opened_on,
        method="in_person",
        shared_with=[school],
    )
    a = eha.assessment_start(case=case, acting_user=lead, started_on=case.opened_on)
    a = complete(a, lead)
    a = eha.assessment_save(
        assessment=a,
        acting_user=lead,
        lock_version=a.lock_version,
        content={**a.content, f"voice__{record['child'].pk}": "Likes drawing"},
    )
    a = eha.assessment_submit(assessment=a, acting_user=lead, lock_version=a.lock_version)
    eha.assessment_sign_off(assessment=a, acting_user=district_manager)
    eha.assessment_revise(assessment=a, acting_user=lead)
    plan = eha.plan_create(case=case, acting_user=lead, created_on=case.opened_on)
    eha.outcome_add(plan=plan, acting_user=lead, text="Calmer mornings")
    held = eha.meeting_schedule(case=case, acting_user=lead, scheduled_for=case.opened_on)
    eha.meeting_record(
        meeting=held,
        acting_user=lead,
        held_on=case.opened_on,
        decision="continue",
        attendance=[
            {"person": p, "name": p.full_name, "attendance": "present"}
            for p in (record["child"], record["parent"])
        ],
    )
    scheduled = case.taf_meetings.filter(status="scheduled").first() or eha.meeting_schedule(
        case=case, acting_user=lead, scheduled_for=case.opened_on + datetime.timedelta(days=40)
    )
    return {**record, "held": held, "scheduled": scheduled}


CASEWORK_SURFACES = {
    "assessment_page": lambda w: reverse("assessment_detail", args=[w["case"].pk]),
    "assessment_form": lambda w: reverse("edit_assessment", args=[w["case"].pk]),
    "assessment_version": lambda w: reverse("assessment_version", args=[w["case"].pk, 1]),
    "assessment_compare": lambda w: (
        reverse("compare_assessment_versions", args=[w["case"].pk]) + "?a=1&b=current"
    ),
    "assessment_pdf": lambda w: reverse("assessment_pdf", args=[w["case"].pk]),
    "assessment_version_pdf": lambda w: (
        reverse("assessment_pdf", args=[w["case"].pk]) + "?version=1"
    ),
    "family_plan_pdf": lambda w: reverse("family_plan_pdf", args=[w["case"].pk]),
    "review_pdf": lambda w: reverse("review_pdf", args=[w["case"].pk, w["held"].pk]),
    "meeting_page": lambda w: reverse("taf_meeting_detail", args=[w["case"].pk, w["held"].pk]),
    "meeting_record_form": lambda w: reverse(
        "record_taf_meeting", args=[w["case"].pk, w["scheduled"].pk]
    ),
    "reviews_api_detail": lambda w: f"/api/v1/reviews/{w['held'].pk}/",
    "reviews_api_list": lambda w: "/api/v1/reviews/",
}


NAMES_NO_ONE = {"family_plan_pdf"}  # outcomes and actions only; held to the same rule


def _text(response) -> str:
    if response.get("Content-Type") == "application/pdf":
        reader = PdfReader(io.BytesIO(response.content))
        return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    return response.content.decode()


@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize("surface", list(CASEWORK_SURFACES))
def test_restriction_holds_on_casework_surfaces(
    surface, situation, worked, client, practitioner, front_door_officer
):
    _situate(situation, worked, [practitioner])
    response = signed_in(client, practitioner).get(CASEWORK_SURFACES[surface](worked))
    assert response.status_code in (200, 403, 404), response.status_code
    text = _text(response)
    if situation in ("named", "not_restricted"):
        assert response.status_code == 200
        assert "Zebedee" in text or surface in NAMES_NO_ONE
        return
    assert "Zebedee" not in text
    assert "3 Feb 2016" not in text and "3 February 2016" not in text
    if situation == "restricted_household" and surface.startswith("reviews_api"):
        assert "Ottoline" not in text and "Quillfeather household" not in text
        return
    if situation == "restricted_household":
        # The whole case is out of reach: the page says whom to ask, and nothing else.
        assert response.status_code == 403
        assert "Ottoline" not in text and "Quillfeather household" not in text
        assert HOUSEHOLD_CONTACT in text
        return
    # The household is not restricted: the parent and the household stay named.
    assert response.status_code == 200
    if surface not in NAMES_NO_ONE:
        assert "Restricted record" in text and PERSON_CONTACT in text
    if surface in ("meeting_page", "review_pdf", "meeting_record_form") or "api" in surface:
        assert "Ottoline" in text


def test_merge_suggestions_do_not_name_a_restricted_person(
    record,  # noqa: F811
    client,
    district_manager,
):
    """A manager merging a duplicate is offered likely matches: a restricted person is not
    among them, and cannot be opened side by side, unless the manager is named."""
    _situate("restricted_person", record, [])
    duplicate = factories.PersonFactory(
        first_name="Zebedy", last_name="Quillfeather", date_of_birth=CHILD_DOB
    )
    from cases.models import FamilyMembership

    FamilyMembership.objects.create(family=record["family"], person=duplicate, relationship="child")
    signed_in(client, district_manager)
    page = client.get(reverse("person_merge", args=[duplicate.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Zebedee" not in text
    side = client.get(reverse("person_merge", args=[duplicate.pk]), {"other": record["child"].pk})
    assert "Zebedee" not in side.content.decode()
    # Named on the restriction, the manager sees whom they merge.
    record["child"].named_people.add(district_manager)
    assert "Zebedee" in client.get(reverse("person_merge", args=[duplicate.pk])).content.decode()


@pytest.mark.parametrize("situation", ["restricted_household", "restricted_person"])
def test_the_work_tray_outcomes_pages_and_notifications_never_name_a_restricted_record(
    situation, worked, client, practitioner, district_manager
):
    """The lead's work tray and notifications, the case's outcomes page, and every
    notification and email the casework above sent (sign-off, meetings): no name of a record
    restricted from the reader. (These held on today's code: items name cases and families
    only, from the cases the reader may read, and messages name references.)"""
    from earlyhelp.models import Notification
    from earlyhelp.outbox.models import OutboxMessage

    _situate(situation, worked, [])
    signed_in(client, practitioner)
    pages = [
        client.get(reverse("home")),
        client.get(reverse("notification_list")),
        client.get(reverse("case_outcomes", args=[worked["case"].pk])),
    ]
    messages = [f"{n.subject} {n.body}" for n in Notification.objects.all()]
    messages += [f"{m.subject} {m.body}" for m in OutboxMessage.objects.all()]
    assert messages
    for text in [p.content.decode() for p in pages] + messages:
        assert "Zebedee" not in text
        if situation == "restricted_household":
            assert "Quillfeather household" not in text and "Ottoline" not in text
