"""The sweep's set-based access check says exactly what cases/access.py and
referrals/access.py say, for every role and situation, and its cost does not grow with the
number of staff."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services as case_services
from cases.access import cases_visible_to
from cases.models import BreakGlass, Family
from partners.models import Role
from referrals.models import ReferralStatus
from reminders import services
from reminders.access import triage_reminder_pairs, visible_case_pairs
from reminders.models import ReminderOccurrence
from tests import factories

from .conftest import assessment_due, referral_due


@pytest.fixture
def world(district, other_district, eh_team, school, practitioner, district_manager):
    """People of every role, and cases and requests in every situation the rules tell
    apart: led, on the TAF with and without consent, same or other agency, district or not,
    restricted with and without the person named, break glass current and expired."""
    other_team = factories.EarlyHelpTeamFactory(name="Other team")
    other_team.districts.add(other_district)
    teacher = factories.UserFactory(agency=school, districts=[district])
    nurse = factories.UserFactory(
        agency=factories.AgencyFactory(name="Health"), districts=[district]
    )
    colleague = factories.UserFactory(agency=eh_team, districts=[district])
    away_worker = factories.UserFactory(agency=other_team, districts=[other_district])
    people = {
        "lead": practitioner,
        "teacher": teacher,
        "nurse": nurse,
        "colleague": colleague,
        "away_worker": away_worker,
        "council_manager": district_manager,
        "away_manager": factories.UserFactory(
            role=Role.TEAM_MANAGER, agency=other_team, districts=[other_district]
        ),
        "school_manager": factories.UserFactory(
            role=Role.TEAM_MANAGER, agency=school, districts=[district]
        ),
        "consultant": factories.UserFactory(
            role=Role.CONSULTANT, agency=eh_team, districts=[district]
        ),
        "front_door": factories.UserFactory(
            role=Role.FRONT_DOOR, agency=eh_team, districts=[district]
        ),
        "strategic": factories.UserFactory(
            role=Role.STRATEGIC, agency=eh_team, districts=[district]
        ),
        "admin_glass": factories.UserFactory(role=Role.ADMINISTRATOR, agency=None),
        "admin_expired": factories.UserFactory(role=Role.ADMINISTRATOR, agency=None),
        "inactive": factories.UserFactory(agency=eh_team, districts=[district], is_active=False),
    }
    plain = factories.open_case(lead=practitioner, consent_agencies=[school])
    taf_case = factories.open_case(lead=practitioner, consent_agencies=[school])
    for user, agency in ((teacher, school), (colleague, eh_team), (people["front_door"], eh_team)):
        case_services.taf_member_add(
            case=taf_case, user=user, agency=agency, acting_user=practitioner
        )
    # The nurse was added while consent covered health; then consent was withdrawn.
    health_consent = factories.open_case(lead=practitioner, consent_agencies=[nurse.agency])
    case_services.taf_member_add(
        case=health_consent, user=nurse, agency=nurse.agency, acting_user=practitioner
    )
    case_services.consent_withdraw(
        consent=health_consent.consents.get(),
        withdrawn_on=timezone.localdate(),
        note="Family asked",
        acting_user=practitioner,
    )
    school_led = factories.open_case(lead=teacher)
    away = factories.open_case(lead=away_worker)
    restricted = factories.open_case(lead=practitioner)
    Family.objects.filter(pk=restricted.family_id).update(restricted=True)
    restricted.family.named_people.add(people["council_manager"], people["admin_glass"])
    BreakGlass.objects.create(
        user=people["admin_glass"],
        family=restricted.family,
        reason="Subject access request",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    BreakGlass.objects.create(
        user=people["admin_glass"],
        family=plain.family,
        reason="Subject access request",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    BreakGlass.objects.create(
        user=people["admin_expired"],
        family=plain.family,
        reason="Subject access request",
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    cases = [plain, taf_case, health_consent, school_led, away, restricted]
    due = timezone.localdate()
    referrals = [
        referral_due(district=district, created_by=practitioner, due_on=due),
        referral_due(district=other_district, created_by=teacher, due_on=due),
        referral_due(district=other_district, created_by=away_worker, due_on=due),
    ]
    draft = referral_due(district=district, created_by=teacher, due_on=due)
    draft.status = ReferralStatus.DRAFT
    draft.save(update_fields=["status"])
    referrals.append(draft)
    return people, cases, referrals


@pytest.mark.django_db
def test_case_pairs_match_cases_visible_to_for_every_role_and_situation(world):
    people, cases, _ = world
    pairs = {(u.pk, c.pk) for u in people.values() for c in cases}
    expected = {
        (u.pk, c_pk)
        for u in people.values()
        for c_pk in cases_visible_to(u)
        .filter(pk__in=[c.pk for c in cases])
        .values_list("pk", flat=True)
    }
    assert visible_case_pairs(pairs) == expected
    # The world tells the situations apart: not everyone sees everything, nor nothing.
    seen_by = {name: {c for u, c in expected if u == p.pk} for name, p in people.items()}
    assert seen_by["teacher"] and seen_by["teacher"] != seen_by["lead"]
    assert seen_by["nurse"] == set()
    assert seen_by["admin_glass"] == {cases[0].pk, cases[5].pk}
    assert seen_by["admin_expired"] == seen_by["strategic"] == seen_by["inactive"] == set()


@pytest.mark.django_db
def test_triage_pairs_match_the_per_person_check_for_every_role(world):
    people, _, referrals = world
    ids = [r.pk for r in referrals]
    pairs = {(u.pk, r) for u in people.values() for r in ids}
    expected = {
        (u.pk, r) for u in people.values() for r in services.visible_ids(u, triage=True, ids=ids)
    }
    assert triage_reminder_pairs(pairs) == expected
    assert expected and len(expected) < len(pairs)


def _staff_with_overdue_work(district, team, count: int):
    today = timezone.localdate()
    for _ in range(count):
        worker = factories.UserFactory(agency=team, districts=[district])
        case = factories.open_case(lead=worker)
        assessment_due(case, today - datetime.timedelta(days=30))
        factories.UserFactory(role=Role.TEAM_MANAGER, agency=team, districts=[district])
        referral_due(district=district, created_by=worker, due_on=today)
        factories.UserFactory(role=Role.FRONT_DOOR, agency=team, districts=[district])


def _sweep_queries() -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        result = services.reminders_sweep(today=timezone.localdate())
    return len(queries), result.written


@pytest.mark.django_db
def test_the_sweep_makes_the_same_number_of_queries_for_3_or_12_staff(district, eh_team):
    _staff_with_overdue_work(district, eh_team, 3)
    few_queries, few_written = _sweep_queries()
    ReminderOccurrence.objects.all().delete()
    _staff_with_overdue_work(district, eh_team, 9)
    many_queries, many_written = _sweep_queries()
    assert many_written > 3 * few_written  # managers and front door see every new record
    assert many_queries == few_queries
    # A few queries per deadline kind (eight kinds) and a fixed set for the access check.
    assert few_queries <= 25
