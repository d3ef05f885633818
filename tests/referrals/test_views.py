import datetime
import re

import pytest
from django.urls import reverse

from cases.models import Need
from referrals.models import Referral, ReferralStatus
from tests import factories
from tests.conftest import searched, signed_in
from tests.referrals.factories import matched, submitted

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><b onmouseover=alert(1)>hi</b>'


def form_data(district, agency=None, **overrides):
    data = {
        "is_self_referral": "no",
        "referrer_name": "Tom Barnes",
        "referrer_role": "DSL",
        "referrer_agency": agency.pk if agency else "",
        "referrer_email": "tom@example.test",
        "referrer_phone": "01234 567890",
        "source": "2A",
        "district": district.pk,
        "address_line_1": "4 Mill Lane",
        "town": "Amberford",
        "postcode": "zz1 4ab",
        "worries": "Lily is often late and hungry.",
        "working_well": "Mum wants help.",
        "family_consent": "consented",
        "urgency": "routine",
        "significant_harm": "no",
        "people-TOTAL_FORMS": "3",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "30",
        "people-0-first_name": "Lily",
        "people-0-last_name": "Marsh",
        "people-0-relationship": "child",
        "people-0-date_of_birth": "01/06/2017",
        "people-0-gender": "2",
        "people-1-first_name": "Dawn",
        "people-1-last_name": "Marsh",
        "people-1-relationship": "parent",
        "people-1-date_of_birth": "03/02/1990",
        "people-1-gender": "2",
        "people-2-gender": "0",
        "action": "submit",
    }
    data.update(overrides)
    return data


def test_practitioner_sends_a_request_through_the_web_form(client, referrer, district):
    need = Need.objects.first()
    response = signed_in(client, referrer).post(
        reverse("referral_start"), form_data(district, referrer.agency, needs=[need.pk])
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("referral_sent", args=[referral.pk])
    assert referral.status == ReferralStatus.SUBMITTED
    assert referral.postcode == "ZZ1 4AB"
    assert referral.people.count() == 2
    assert list(referral.needs.all()) == [need]
    page = client.get(response.url)
    assert referral.reference in page.content.decode()


def test_the_form_prefills_the_professional_as_referrer(client, referrer):
    page = signed_in(client, referrer).get(reverse("referral_start")).content.decode()
    assert 'value="Tom Barnes"' in page
    assert "call the safeguarding line now" in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"people-0-date_of_birth": "01/01/2090"}, "Date of birth must be today or in the past"),
        ({"people-0-date_of_birth": "01/01/1990"}, "must be 25 or under"),
        ({"people-0-date_of_birth": "31/02/2019"}, "must be a real date"),
        ({"people-0-nhs_number": "123 456 7890"}, "Enter a valid NHS number"),
        (
            {"people-0-date_of_birth": "", "people-0-expected_date": "01/01/2099"},
            "within the next 43 weeks",
        ),
        ({"worries": "x" * 102_400}, "must be 20,000 characters or fewer"),
        ({"postcode": "NOT A CODE"}, "Enter a real UK postcode"),
        ({"family_consent": "not_aware"}, "Explain why the family has not agreed"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(
    client, referrer, district, overrides, message
):
    data = form_data(district, referrer.agency, **overrides)
    response = signed_in(client, referrer).post(reverse("referral_start"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert 'value="Lily"' in page and "Lily is often late" in page or "x" * 100 in page
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.DRAFT
    assert referral.draft_data["people-0-first_name"] == "Lily"


def test_a_request_names_its_rules_between_fields_with_the_wrong_fields_in_one_round(
    client, referrer, district
):
    """No child and no consent reason are said beside a wrong NHS number and a missing
    worry, not after they are put right."""
    data = form_data(
        district,
        referrer.agency,
        worries="",
        family_consent="not_aware",
        **{"people-0-relationship": "parent", "people-0-nhs_number": "123 456 7890"},
    )
    response = signed_in(client, referrer).post(reverse("referral_start"), data)
    page = response.content.decode()
    for message in [
        "Enter what you are worried about",
        "Enter a valid NHS number",
        "Add at least one child or unborn baby",
        "Explain why the family has not agreed",
    ]:
        assert message in page
    assert 'value="Lily"' in page and 'value="123 456 7890"' in page
    assert Referral.objects.get().status == ReferralStatus.DRAFT


def test_a_rule_between_fields_is_not_said_over_a_fields_own_error(client, referrer, district):
    """A referrer's name that is too long is not also 'missing'; a family's email that is
    wrong is not also 'no way to contact them'."""
    data = form_data(district, referrer.agency, referrer_name="T" * 151)
    page = signed_in(client, referrer).post(reverse("referral_start"), data).content.decode()
    assert "must be 150 characters or fewer" in page
    assert "Enter the referrer&#x27;s full name" not in page
    data = form_data(
        district, is_self_referral="yes", referrer_phone="", referrer_email="not an email"
    )
    page = client.post(reverse("referral_start"), data).content.decode()
    assert "Enter an email address in the correct format" in page
    assert "Enter a phone number or email address to contact the family" not in page


def test_an_empty_request_says_what_is_missing(client, referrer):
    response = signed_in(client, referrer).post(
        reverse("referral_start"),
        {
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-0-gender": "0",
            "action": "submit",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    for message in [
        "Enter what you are worried about",
        "Select the district the family lives in",
        "Add at least one child or unborn baby",
        "Select whether the family knows about",
    ]:
        assert message in page


def test_a_draft_keeps_everything_and_comes_back(client, referrer, district):
    data = form_data(
        district, referrer.agency, action="save_draft", **{"people-0-nhs_number": "bad"}
    )
    response = signed_in(client, referrer).post(reverse("referral_start"), data)
    referral = Referral.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("referral_edit", args=[referral.pk])).content.decode()
    assert 'value="bad"' in page and "Lily is often late" in page
    assert "There is a problem" not in page
    response = client.post(
        reverse("referral_edit", args=[referral.pk]),
        form_data(district, referrer.agency, action="add_person"),
    )
    page = client.get(reverse("referral_edit", args=[referral.pk])).content.decode()
    assert "Person 4" in page
    client.post(reverse("referral_edit", args=[referral.pk]), form_data(district, referrer.agency))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED


def test_html_in_every_field_is_stored_and_shown_escaped(
    client, referrer, district, front_door_officer
):
    fields = {
        k: XSS
        for k in ["referrer_role", "worries", "working_well", "support_requested", "address_line_1"]
    }
    fields.update({"people-0-first_name": XSS, "people-0-last_name": XSS})
    signed_in(client, referrer).post(
        reverse("referral_start"), form_data(district, referrer.agency, **fields)
    )
    referral = Referral.objects.get(status=ReferralStatus.SUBMITTED)
    assert referral.worries == XSS
    for user in (referrer, front_door_officer):
        page = signed_in(client, user).get(reverse("referral_detail", args=[referral.pk]))
        html = page.content.decode()
        assert "<script>alert" not in html and "<b onmouseover" not in html
        assert "&lt;script&gt;" in html
    queue = signed_in(client, front_door_officer).get(reverse("triage_queue")).content.decode()
    assert "<script>alert" not in queue


def test_front_door_officer_records_a_phone_request_for_a_self_referral(
    client, front_door_officer, district
):
    data = form_data(
        district,
        None,
        channel="phone",
        is_self_referral="yes",
        referrer_name="Dawn Marsh",
        referrer_role="Mum",
    )
    response = signed_in(client, front_door_officer).post(reverse("referral_start"), data)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.channel == "phone" and referral.is_self_referral
    assert referral.source == "2A"  # kept as chosen
    assert referral.referrer_user is None


def test_front_door_must_say_how_the_request_arrived(client, front_door_officer, district):
    response = signed_in(client, front_door_officer).post(
        reverse("referral_start"), form_data(district, None, referrer_organisation="GP surgery")
    )
    assert "Select how the request reached the front door" in response.content.decode()


def test_social_care_steps_a_family_down(client, social_worker, district):
    data = form_data(district, social_worker.agency, step_down_summary="s47 closed, RC9.")
    response = signed_in(client, social_worker).post(reverse("step_down_start"), data)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.is_step_down and referral.step_down_summary == "s47 closed, RC9."


def test_triage_queue_is_ordered_by_harm_urgency_then_age(
    client, referrer, district, front_door_officer
):
    old = submitted(by=referrer, district=district)
    urgent = submitted(by=referrer, district=district, urgency="urgent")
    harm = submitted(by=referrer, district=district, significant_harm=True)
    page = signed_in(client, front_door_officer).get(reverse("triage_queue")).content.decode()
    positions = [page.index(r.reference) for r in (harm, urgent, old)]
    assert positions == sorted(positions)
    filtered = client.get(reverse("triage_queue"), {"urgency": "routine"}).content.decode()
    assert old.reference in filtered and urgent.reference not in filtered


def _many(referrer, district, n):
    for i in range(n):
        submitted(by=referrer, district=district, urgency="urgent" if i % 3 else "routine")


def test_triage_queue_renders_in_a_constant_number_of_queries(
    client,
    referrer,
    district,
    front_door_officer,
    other_front_door_officer,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed_in(client, front_door_officer)
    _many(referrer, district, 5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(reverse("triage_queue")).status_code == 200
    _many(referrer, district, 45)
    for r in Referral.objects.all()[:10]:
        from referrals import services

        services.referral_pick_up(referral=r, acting_user=other_front_door_officer)
    with django_assert_max_num_queries(len(five.captured_queries)):
        response = client.get(reverse("triage_queue"))
    assert response.content.decode().count("RFS-") >= 50
    assert len(five.captured_queries) <= 15


def test_front_door_matches_and_decides_through_the_pages(
    client, referrer, district, front_door_officer, eh_team, practitioner
):
    referral = submitted(by=referrer, district=district)
    c = signed_in(client, front_door_officer)
    assert c.post(reverse("referral_pick_up", args=[referral.pk])).status_code == 302
    page = c.get(reverse("referral_match", args=[referral.pk]))
    assert page.status_code == 200
    people = list(referral.people.all())
    data = {f"person_{p.pk}": "new" for p in people}
    data["family"] = "new"
    response = c.post(reverse("referral_match", args=[referral.pk]), data)
    assert response.status_code == 302
    referral.refresh_from_db()
    page = c.get(reverse("referral_decide", args=[referral.pk]))
    assert page.status_code == 200
    response = c.post(
        reverse("referral_decide", args=[referral.pk]),
        {
            "version": referral.version,
            "level_of_need": "3",
            "outcome": "targeted",
            "team": eh_team.pk,
            "lead_professional": practitioner.pk,
            "rationale": "Several needs; family agrees.",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECIDED
    assert referral.case.lead_professional == practitioner


def test_decision_with_missing_allocation_explains_what_to_fix(
    client, referrer, district, front_door_officer
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    response = signed_in(client, front_door_officer).post(
        reverse("referral_decide", args=[referral.pk]),
        {"version": referral.version, "level_of_need": "3", "outcome": "targeted", "rationale": ""},
    )
    page = response.content.decode()
    assert "Select the district team to allocate to" in page
    assert "Enter the rationale for the decision" in page


def test_a_stale_decision_shows_the_conflict_page(client, referrer, district, front_door_officer):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    stale = referral.version
    from referrals import services

    services.referral_release(referral=referral, acting_user=front_door_officer)
    services.referral_pick_up(
        referral=Referral.objects.get(pk=referral.pk), acting_user=front_door_officer
    )
    response = signed_in(client, front_door_officer).post(
        reverse("referral_decide", args=[referral.pk]),
        {"version": stale, "level_of_need": "1", "outcome": "nfa", "rationale": "No needs."},
    )
    assert response.status_code == 409
    assert "Someone else changed this request" in response.content.decode()


def test_referrer_withdraws_their_request(client, referrer, district):
    referral = submitted(by=referrer, district=district)
    c = signed_in(client, referrer)
    response = c.post(
        reverse("referral_close", args=[referral.pk]),
        {"reason": "withdrawn", "note": "Family moved away."},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED and referral.closed_reason == "withdrawn"


def test_person_search_finds_by_name_and_hides_restricted_people(
    client, front_door_officer, district
):
    family = factories.FamilyFactory(
        district=district, restricted=True, restricted_contact="Jo Bloggs"
    )
    from cases.models import FamilyMembership

    hidden = factories.PersonFactory(
        first_name="Kai", last_name="Ormerod", restricted=True, restricted_contact="Jo Bloggs"
    )
    FamilyMembership.objects.create(family=family, person=hidden, relationship="child")
    known = factories.PersonFactory(
        first_name="Kian", last_name="Ormerod", date_of_birth=datetime.date(2015, 1, 1)
    )
    FamilyMembership.objects.create(
        family=factories.FamilyFactory(district=district), person=known, relationship="child"
    )
    page = searched(
        signed_in(client, front_door_officer), reverse("person_search"), {"name": "Kian Ormerrod"}
    )
    html = page.content.decode()
    assert "Kian Ormerod" in html
    assert "Restricted record: contact Jo Bloggs" in html and "Kai Ormerod" not in html


def test_autosave_creates_one_draft_and_keeps_saving_into_it(client, referrer, district):
    signed_in(client, referrer)
    first = client.post(
        reverse("referral_start"),
        form_data(district, referrer.agency, action="autosave", worries="Half a sentence"),
        HTTP_X_AUTOSAVE="1",
    )
    assert first.status_code == 200
    referral = Referral.objects.get()
    assert first.json()["action_url"] == reverse("referral_edit", args=[referral.pk])
    client.post(
        first.json()["action_url"],
        form_data(district, referrer.agency, action="autosave", worries="Half a sentence more"),
        HTTP_X_AUTOSAVE="1",
    )
    assert Referral.objects.count() == 1
    page = client.get(reverse("referral_edit", args=[referral.pk])).content.decode()
    assert "Half a sentence more" in page
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT


def test_a_long_paste_reaches_the_server_whole_and_is_refused_with_its_length(
    client, referrer, district
):
    """No maxlength on the request's text boxes: a browser would cut a 100 KB paste to
    20,000 characters without a word. The server refuses it, says how long it is, and keeps
    every character typed."""
    signed_in(client, referrer)
    page = client.get(reverse("referral_start")).content.decode()
    textareas = re.findall(r"<textarea[^>]*>", page)
    assert textareas and not [t for t in textareas if "maxlength" in t]
    pasted = "Lily said " + "x" * 102_390
    response = client.post(
        reverse("referral_start"), form_data(district, referrer.agency, worries=pasted)
    )
    page = response.content.decode()
    assert "must be 20,000 characters or fewer; you entered 102400" in page
    assert pasted in page
    assert Referral.objects.get().draft_data["worries"] == pasted


@pytest.mark.parametrize("action", ["submit", "autosave", "save_draft"])
def test_a_nul_character_in_the_request_form_is_dropped_not_a_server_error(
    client, referrer, district, action
):
    """A NUL pasted into the form used to end in 'problem with the service' (the draft is
    kept as JSON, which PostgreSQL refuses with a NUL in it) and lost what was typed. The
    NUL is dropped before the page reads the form (earlyhelp.middleware), so the request
    is saved or sent with the text as typed around it."""
    response = signed_in(client, referrer).post(
        reverse("referral_start"),
        form_data(district, referrer.agency, action=action, worries="Late\x00 and hungry"),
    )
    assert response.status_code in (200, 302)
    referral = Referral.objects.get()
    if action == "submit":
        assert (referral.status, referral.worries) == (ReferralStatus.SUBMITTED, "Late and hungry")
    else:
        assert referral.status == ReferralStatus.DRAFT
        assert referral.draft_data["worries"] == "Late and hungry"
