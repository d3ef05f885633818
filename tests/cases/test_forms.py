"""The form builders in cases/forms.py that other apps' forms use: a date that cannot be in
the future (date_field(not_future=...)), and a select whose answer is the record chosen
(offer)."""

import datetime

import pytest
from django.utils import timezone

from assessments.forms import MeetingRecordForm
from cases.forms import AllocateForm, ConsentForm, NoteForm, SendToTeamForm
from cases.start_forms import StartEarlyHelpForm
from referrals.forms import PersonSearchForm


@pytest.mark.parametrize(
    ("form_class", "field", "message"),
    [
        (NoteForm, "occurred_on", "The date it happened cannot be in the future"),
        (ConsentForm, "given_on", "The date consent was given cannot be in the future"),
        (
            StartEarlyHelpForm,
            "consent_given_on",
            "The date consent was given cannot be in the future",
        ),
        (MeetingRecordForm, "held_on", "The date the meeting was held cannot be in the future"),
    ],
)
def test_a_date_after_today_is_refused_next_to_its_field(form_class, field, message):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = form_class({field: tomorrow.isoformat()})
    form.is_valid()
    assert form.errors[field] == [message]
    today = form_class({field: timezone.localdate().isoformat()})
    today.is_valid()
    assert field not in today.errors


@pytest.mark.parametrize("typed", ["0001-01-01", "1899-12-31", "2100-01-01", "9999-12-31"])
def test_a_date_outside_the_years_casework_falls_in_is_refused_next_to_its_field(typed):
    """A year-1 note or a plan action due in 9999 was stored as typed (a slip of the keyboard
    that skews every deadline counted from it)."""
    form = NoteForm({"kind": "note", "text": "Seen at home.", "occurred_on": typed})
    assert not form.is_valid()
    assert form.errors["occurred_on"] == ["Date it happened must be between 1900 and 2099"]
    search = PersonSearchForm({"date_of_birth": typed})
    assert not search.is_valid()
    assert search.errors["date_of_birth"] == ["Date of birth must be between 1900 and 2099"]


def test_an_optional_date_left_blank_is_not_checked():
    form = NoteForm({"kind": "note", "text": "Seen at home.", "occurred_on": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["occurred_on"] is None


@pytest.mark.django_db
def test_the_allocation_form_answers_with_the_lead_chosen_from_those_offered(practitioner):
    leads = [practitioner]
    form = AllocateForm({"lead_professional": str(practitioner.pk)}, leads=leads)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["lead_professional"] == practitioner
    assert form.fields["lead_professional"].choices[0] == ("", "Choose a person")


@pytest.mark.django_db
def test_a_team_not_offered_is_refused_as_an_invalid_choice(eh_team, school):
    form = SendToTeamForm({"agency": str(school.pk), "reason": "Closer to home."}, teams=[eh_team])
    assert not form.is_valid()
    assert "agency" in form.errors
    chosen = SendToTeamForm({"agency": str(eh_team.pk), "reason": "Closer."}, teams=[eh_team])
    assert chosen.is_valid(), chosen.errors
    assert chosen.cleaned_data["agency"] == eh_team


def test_consent_cannot_be_withdrawn_on_a_date_after_today(client, practitioner):
    """A withdrawal dated 31 December 9999 was recorded as it was typed: the record said
    consent was still in force (withdrawn 'in the future') while sharing had stopped."""
    from django.urls import reverse

    from tests import factories
    from tests.conftest import signed_in

    case = factories.open_case(lead=practitioner, consent_agencies=[practitioner.agency])
    consent = case.consents.get()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = signed_in(client, practitioner).post(
        reverse("withdraw_consent", args=[case.pk, consent.pk]),
        {"withdrawn_on": tomorrow.isoformat(), "note": "Mum said stop"},
    )
    page = response.content.decode()
    assert "The date consent was withdrawn cannot be in the future" in page
    assert "Mum said stop" in page
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    from cases import services
    from earlyhelp.errors import DomainError

    with pytest.raises(DomainError, match="after today"):  # the service refuses it too
        services.consent_withdraw(
            consent=consent, withdrawn_on=tomorrow, note="Mum said stop", acting_user=practitioner
        )


@pytest.mark.django_db
def test_the_same_consent_sent_twice_is_recorded_once(client, practitioner, school):
    """Two posts of one consent form (a double click, a resend) recorded two consents."""
    from django.urls import reverse

    from tests import factories
    from tests.conftest import signed_in

    case = factories.open_case(lead=practitioner)
    parent = case.family.memberships.exclude(relationship="child").first().person
    form = {
        "given_by": parent.pk,
        "given_on": timezone.localdate().isoformat(),
        "method": "in_person",
        "to_assessment": "on",
        "shared_with": [school.pk],
    }
    url = reverse("record_consent", args=[case.pk])
    signed_in(client, practitioner)
    assert client.post(url, form).status_code == 302
    again = client.post(url, form)
    assert again.status_code == 400
    assert "This consent is already recorded" in again.content.decode()
    assert case.consents.count() == 1
    # The same person consenting to share with other agencies is a new consent.
    assert client.post(url, {**form, "shared_with": []}).status_code == 302
    assert case.consents.count() == 2


def test_length_and_number_limits_are_said_with_the_fields_label():
    """Django's own wording was "Ensure this value has at most 200 characters (it has 201)"
    and "Ensure this value is greater than or equal to 1"."""
    from cases.audit_views import BreakGlassForm
    from outcomes.forms import PlanVersionForm

    headline = type(
        "Headline",
        (),
        {
            "code": "school",
            "label": "Getting a good education",
            "eligibility_descriptors": "",
            "success_measures": "",
            "sustain_days": 90,
        },
    )
    plan = PlanVersionForm(
        {"title": "x" * 201, "min_needs": "0", "school__days": "0"}, headlines=[headline]
    )
    plan.is_valid()
    assert plan.errors["school__days"] == [
        "Getting a good education: days progress must be sustained must be 1 or more"
    ]
    assert plan.errors["title"] == [
        "Title of this version must be 200 characters or fewer; you entered 201"
    ]
    assert plan.errors["min_needs"] == ["Needs a family must have to count must be 1 or more"]
    glass = BreakGlassForm({"family": "0", "reason": "Subject access request"})
    glass.is_valid()
    assert glass.errors["family"] == ["Family record number must be 1 or more"]
