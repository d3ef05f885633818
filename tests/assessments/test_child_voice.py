"""The voice of each child (DESIGN.md): an assessment is not submitted for sign-off until
each child in it has their voice recorded, or why it could not be heard. The page names
each child next to their field, linked from the error summary, and keeps what was typed."""

import html

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import services
from assessments.models import AssessmentStatus
from assessments.sections import voice_field
from earlyhelp.errors import FieldErrors
from tests import factories
from tests.assessments.test_signoff_queue import complete
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_children(practitioner, district):
    family = factories.family_with_children(district=district, children=2)
    case = factories.open_case(lead=practitioner, family=family, consent_agencies=[])
    first, second = case.children.order_by("date_of_birth", "pk")
    return case, first, second


def _voiceless(case, lead):
    """An assessment filled in everywhere but the children's voices."""
    draft = complete(services.assessment_start(case=case, acting_user=lead), lead)
    content = {**draft.content, **{voice_field(c.pk): "" for c in case.children.all()}}
    return services.assessment_save(
        assessment=draft, acting_user=lead, lock_version=draft.lock_version, content=content
    )


def _message(child) -> str:
    return f"Record the voice of {child.full_name}, or say why it could not be heard"


def test_submitting_without_a_childs_voice_names_each_child(two_children, practitioner):
    case, first, second = two_children
    draft = _voiceless(case, practitioner)
    with pytest.raises(FieldErrors) as refused:
        services.assessment_submit(
            assessment=draft, acting_user=practitioner, lock_version=draft.lock_version
        )
    errors = refused.value.errors
    assert set(errors) == {voice_field(first.pk), voice_field(second.pk)}
    assert errors[voice_field(first.pk)].startswith(_message(first))
    assert errors[voice_field(second.pk)].startswith(_message(second))
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.DRAFT

    # One heard, one too young to say: the reason in the same field is enough.
    draft = services.assessment_save(
        assessment=draft,
        acting_user=practitioner,
        lock_version=draft.lock_version,
        content={
            **draft.content,
            voice_field(first.pk): "Wants calmer mornings.",
            voice_field(second.pk): "Too young to say (8 months): settled and smiling at Mum.",
        },
    )
    submitted = services.assessment_submit(
        assessment=draft, acting_user=practitioner, lock_version=draft.lock_version
    )
    assert submitted.status == AssessmentStatus.SUBMITTED


def test_the_page_links_each_missing_voice_from_the_error_summary(
    two_children, practitioner, client
):
    case, first, second = two_children
    draft = _voiceless(case, practitioner)
    data = {**draft.content, "lock_version": draft.lock_version, "submit": "Submit"}
    data[voice_field(first.pk)] = "Wants calmer mornings."
    for name, framework in (
        ("needs_sf", "supporting_families"),
        ("needs_vulnerability", "vulnerability"),
    ):
        data[name] = [n.pk for n in draft.needs.all() if n.framework == framework]
    response = signed_in(client, practitioner).post(
        reverse("edit_assessment", args=[case.pk]), data
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    summary = page.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert f'href="#id_{voice_field(second.pk)}"' in summary and _message(second) in summary
    assert _message(first) not in page
    assert "Wants calmer mornings." in page  # what was typed is kept
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.DRAFT


def test_the_api_refuses_the_submission_naming_the_voice_field(two_children, practitioner):
    case, first, second = two_children
    draft = _voiceless(case, practitioner)
    response = signed_in(APIClient(), practitioner).post(
        f"/api/v1/assessments/{draft.pk}/submit/",
        {"lock_version": draft.lock_version},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body[voice_field(first.pk)][0].startswith(_message(first))
    assert body[voice_field(second.pk)][0].startswith(_message(second))
