"""Role x request x situation -> what each role may see and do at the front door."""

import pytest
from django.urls import reverse

from partners.models import Role
from referrals.access import get_referral_for, referrals_visible_to
from tests import factories
from tests.conftest import signed_in
from tests.referrals.factories import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors(
    referrer,
    practitioner,
    front_door_officer,
    far_front_door_officer,
    district_manager,
    school_manager,
    consultant,
    strategic_viewer,
    administrator,
):
    other_school = factories.AgencyFactory(name="Other School")
    return {
        "referrer": referrer,
        "other_practitioner": practitioner,
        "front_door": front_door_officer,
        "front_door_elsewhere": far_front_door_officer,
        "eh_district_manager": district_manager,
        "referrers_agency_manager": school_manager,
        "other_agency_manager": factories.UserFactory(role=Role.TEAM_MANAGER, agency=other_school),
        "consultant": consultant,
        "strategic": strategic_viewer,
        "administrator": administrator,
    }


SEES_SUBMITTED = {
    "referrer": True,
    "other_practitioner": False,
    "front_door": True,
    "front_door_elsewhere": False,
    "eh_district_manager": True,
    "referrers_agency_manager": True,
    "other_agency_manager": False,
    "consultant": True,
    "strategic": False,
    "administrator": False,
}


@pytest.mark.parametrize("actor, expected", SEES_SUBMITTED.items())
def test_who_sees_a_submitted_request(actors, district, actor, expected, client):
    referral = submitted(by=actors["referrer"], district=district)
    user = actors[actor]
    assert referrals_visible_to(user).filter(pk=referral.pk).exists() is expected
    response = signed_in(client, user).get(reverse("referral_detail", args=[referral.pk]))
    if user.role in (Role.STRATEGIC, Role.ADMINISTRATOR):
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if expected else 404)


@pytest.mark.parametrize("actor", SEES_SUBMITTED.keys())
def test_only_the_author_sees_a_draft(actors, actor):
    from referrals import services

    draft = services.referral_draft_save(acting_user=actors["referrer"], data={"worries": "x"})
    visible = referrals_visible_to(actors[actor]).filter(pk=draft.pk).exists()
    assert visible is (actor == "referrer")


QUEUE = {
    "referrer": 403,
    "front_door": 200,
    "eh_district_manager": 403,
    "consultant": 403,
    "strategic": 403,
    "administrator": 403,
}


@pytest.mark.parametrize("actor, expected", QUEUE.items())
def test_only_front_door_opens_the_triage_queue(actors, actor, expected, client):
    response = signed_in(client, actors[actor]).get(reverse("triage_queue"))
    assert response.status_code == expected


FORM = {
    "referrer": 200,
    "front_door": 200,
    "eh_district_manager": 200,
    "consultant": 200,
    "strategic": 403,
    "administrator": 403,
}


@pytest.mark.parametrize("actor, expected", FORM.items())
def test_who_may_request_support(actors, actor, expected, client):
    response = signed_in(client, actors[actor]).get(reverse("referral_start"))
    assert response.status_code == expected


@pytest.mark.parametrize(
    "actor, expected",
    [
        ("front_door", 302),
        ("front_door_elsewhere", 404),
        ("referrer", 403),
        ("eh_district_manager", 403),
    ],
)
def test_who_may_pick_up(actors, district, actor, expected, client):
    referral = submitted(by=actors["referrer"], district=district)
    response = signed_in(client, actors[actor]).post(
        reverse("referral_pick_up", args=[referral.pk])
    )
    assert response.status_code == expected


def test_step_down_is_for_social_care_only(actors, social_worker, client):
    assert signed_in(client, social_worker).get(reverse("step_down_start")).status_code == 200
    assert signed_in(client, actors["referrer"]).get(reverse("step_down_start")).status_code == 403


@pytest.mark.parametrize(
    "actor, expected",
    [("front_door", 200), ("eh_district_manager", 200), ("referrer", 403), ("strategic", 403)],
)
def test_who_may_search_people(actors, actor, expected, client):
    response = signed_in(client, actors[actor]).get(reverse("person_search"))
    assert response.status_code == expected


def test_allocated_agency_manager_sees_the_request(actors, district, front_door_officer, client):
    from referrals import services
    from tests.referrals.factories import matched

    other_school = actors["other_agency_manager"].agency
    other_school.districts.add(district)
    referral = matched(by=actors["referrer"], officer=front_door_officer, district=district)
    services.referral_decide(
        referral=referral,
        acting_user=front_door_officer,
        expected_version=referral.version,
        level_of_need=2,
        outcome="universal_plus",
        allocated_agency=other_school,
        rationale="Their school knows the family best.",
    )
    assert get_referral_for(actors["other_agency_manager"], referral.pk) == referral


def test_guessing_an_id_out_of_scope_reveals_nothing(actors, district, client):
    referral = submitted(by=actors["referrer"], district=district)
    c = signed_in(client, actors["other_practitioner"])
    for name in ("referral_detail", "referral_close", "referral_edit"):
        assert c.get(reverse(name, args=[referral.pk])).status_code == 404
