"""The summary tables give the same figures as counting the records from scratch, after
every kind of change (hypothesis draws sequences of changes; after each one the summaries
are rebuilt and every figure is compared, for every kind of scope)."""

import datetime

import pytest
from django.db import transaction
from guardian.shortcuts import assign_perm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import EarlyHelpCase, Family
from partners.models import Role
from reporting import indicators
from reporting.models import EducationEvent
from reporting.selectors import Period, reporting_scope_for
from reporting.summaries.refresh import summaries_refresh
from tests import factories
from tests.reporting import factories as build

D = datetime.date
START = D(2025, 6, 1)
TODAY = D(2026, 9, 15)
PERIODS = [Period(D(2026, 7, 1), D(2026, 9, 30)), Period(D(2025, 9, 16), TODAY)]

days = st.integers(min_value=0, max_value=(TODAY - START).days)
pick = st.integers(min_value=0, max_value=50)

actions = st.one_of(
    st.tuples(
        st.just("open"),
        pick,
        days,
        st.sampled_from([2, 3]),
        st.integers(1, 3),
        st.sampled_from(["front_door", "partner"]),
    ),
    st.tuples(
        st.just("close"),
        pick,
        days,
        st.sampled_from(["needs_met", "consent_withdrawn", "moved_away"]),
        st.sampled_from(["improved", "not_improved", "not_asked"]),
    ),
    st.tuples(st.just("assessment"), pick, days, st.booleans(), st.integers(0, 40)),
    st.tuples(st.just("plan"), pick, days, st.booleans()),
    st.tuples(
        st.just("meeting"), pick, days, st.sampled_from(["review", "first_taf"]), st.booleans()
    ),
    st.tuples(
        st.just("referral"),
        pick,
        days,
        st.sampled_from(["submitted", "in_triage", "closed", "draft"]),
        st.booleans(),
    ),
    st.tuples(
        st.just("decide"),
        pick,
        st.integers(0, 10),
        st.sampled_from(["nfa", "signposting", "universal_plus", "step_up"]),
    ),
    st.tuples(st.just("restrict"), pick),
    st.tuples(st.just("move"), pick),
    st.tuples(st.just("taf"), pick),
    st.tuples(st.just("education"), pick, days, st.sampled_from(["ehc_request", "exclusion"])),
    st.tuples(st.just("child"), pick),
)


class World:
    def __init__(self, people, districts):
        self.people = people
        self.districts = districts
        self.cases: list[EarlyHelpCase] = []
        self.referrals = []

    def case(self, n):
        return self.cases[n % len(self.cases)] if self.cases else None

    def apply(self, action):  # noqa: C901 - one branch per kind of change
        kind, n, *rest = action
        leads = [self.people["lead"], self.people["away_lead"], self.people["teacher"]]
        the_case = self.case(n)
        if kind == "open":
            day, level, children, origin = rest
            opened = build.case(
                lead=leads[n % 3],
                opened_on=START + datetime.timedelta(days=day),
                level_of_need=level,
                children=children,
            )
            EarlyHelpCase.objects.filter(pk=opened.pk).update(origin=origin)
            self.cases.append(opened)
        elif kind == "referral":
            day, status, known = rest
            self.referrals.append(
                build.referral(
                    by=leads[n % 3],
                    received_on=START + datetime.timedelta(days=day),
                    status=status,
                    family=the_case.family if known and the_case else None,
                )
            )
        elif kind == "decide" and self.referrals:
            referral = self.referrals[n % len(self.referrals)]
            allocating = rest[1] == "universal_plus"
            if allocating and the_case is None:
                return
            if not hasattr(referral, "decision") and referral.status != "draft":
                build.decide(
                    referral,
                    outcome=rest[1],
                    decided_on=referral.received_at.date() + datetime.timedelta(days=rest[0]),
                    by=self.people["front_door"],
                    agency=self.people["teacher"].agency if allocating else None,
                    the_case=the_case if allocating else None,
                )
        elif the_case is None:
            return
        elif kind == "close" and the_case.status == "open":
            day, reason, view = rest
            closed_on = max(the_case.opened_on, START + datetime.timedelta(days=day))
            build.close(the_case, closed_on=closed_on, reason=reason, family_view=view)
        elif kind == "assessment" and not hasattr(the_case, "assessment"):
            day, signed, after = rest
            started = max(the_case.opened_on, START + datetime.timedelta(days=day))
            build.assessment(
                the_case,
                started_on=started,
                signed_off_on=started + datetime.timedelta(days=after) if signed else None,
            )
        elif kind == "plan" and not hasattr(the_case, "family_plan"):
            day, agreed = rest
            created = max(the_case.opened_on, START + datetime.timedelta(days=day))
            build.plan(
                the_case,
                created_on=created,
                agreed_on=created + datetime.timedelta(days=5) if agreed else None,
            )
        elif kind == "meeting":
            day, meeting_kind, with_next = rest
            held = START + datetime.timedelta(days=day)
            build.meeting(
                the_case,
                held_on=held,
                kind=meeting_kind,
                next_review_on=held + datetime.timedelta(weeks=5) if with_next else None,
            )
        elif kind == "restrict":
            Family.objects.filter(pk=the_case.family_id).update(restricted=True)
        elif kind == "move":
            other = [d for d in self.districts if d.pk != the_case.district_id][0]
            EarlyHelpCase.objects.filter(pk=the_case.pk).update(district=other)
        elif kind == "taf":
            assign_perm("work_on_case", self.people["partner_manager"], the_case)
        elif kind == "education":
            day, event_kind = rest
            EducationEvent.objects.create(
                person=build.child_of(the_case),
                kind=event_kind,
                occurred_on=START + datetime.timedelta(days=day),
            )
        elif kind == "child":
            the_case.children.add(factories.PersonFactory())
        for record in self.cases:
            record.refresh_from_db()


def _figures(scope, period, *, live):
    return [
        (f.key, f.value, f.denominator)
        for s in indicators.indicators_for(scope, period, live=live)
        for f in s.figures
    ]


def _breakdowns(scope, period, *, live):
    return [(b.key, b.rows) for b in indicators.breakdowns_for(scope, period, live=live)]


def _caseload(scope, *, live):
    load = indicators.caseload_for(scope, TODAY, live=live)
    for key in ("by_worker", "by_agency", "by_district"):
        load[key] = sorted(tuple(sorted(row.items())) for row in load[key])
    return load


def assert_summaries_match(people, districts, *, scopes=None, periods=PERIODS):
    summaries_refresh()
    scopes = scopes or [
        reporting_scope_for(people["strategic"]),
        reporting_scope_for(people["strategic"], district=districts[0]),
        reporting_scope_for(people["manager"]),
        reporting_scope_for(people["manager"], district=districts[0]),
        reporting_scope_for(people["partner_manager"]),
        reporting_scope_for(people["consultant"]),
    ]
    for scope in scopes:
        for period in periods:
            assert _figures(scope, period, live=False) == _figures(scope, period, live=True)
            assert _breakdowns(scope, period, live=False) == _breakdowns(scope, period, live=True)
            assert indicators.decision_timeliness_for(
                scope, period
            ) == indicators.decision_timeliness_for(scope, period, live=True)
        assert _caseload(scope, live=False) == _caseload(scope, live=True)


@pytest.fixture
def people(district, other_district, eh_team, school, practitioner, district_manager, consultant):
    away_team = factories.EarlyHelpTeamFactory(name="Away team")
    return {
        "lead": practitioner,
        "away_lead": factories.UserFactory(agency=away_team, districts=[other_district]),
        "teacher": factories.UserFactory(agency=school, districts=[district]),
        "manager": district_manager,
        "partner_manager": factories.UserFactory(
            role=Role.TEAM_MANAGER, agency=school, districts=[district]
        ),
        "consultant": consultant,
        "strategic": factories.UserFactory(role=Role.STRATEGIC, agency=eh_team),
        "front_door": factories.UserFactory(
            role=Role.FRONT_DOOR, agency=eh_team, districts=[district]
        ),
    }


@pytest.mark.django_db
@settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=st.lists(actions, min_size=1, max_size=8))
def test_summaries_equal_a_from_scratch_count_after_every_change(
    people, district, other_district, changes
):
    with transaction.atomic():
        world = World(people, [district, other_district])
        # After each change: the authority and a council manager, over the year; at the
        # end: six kinds of scope and two periods.
        scopes = [reporting_scope_for(people["strategic"]), reporting_scope_for(people["manager"])]
        for change in changes:
            world.apply(change)
            assert_summaries_match(
                people, [district, other_district], scopes=scopes, periods=PERIODS[1:]
            )
        assert_summaries_match(people, [district, other_district])
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_busy_world_has_figures_to_compare(people, district, other_district):
    """The comparison is not vacuous: the same checks, on a world where every figure the
    summaries hold is non-zero somewhere."""
    world = World(people, [district, other_district])
    for i in range(6):
        world.apply(("open", i, 300 + i * 20, 2 + i % 2, 2, ["front_door", "partner"][i % 2]))
        world.apply(("assessment", i, 310 + i * 20, True, 15 + i))
        world.apply(("plan", i, 320 + i * 20, i % 2 == 0))
        world.apply(("meeting", i, 330 + i * 20, "review", True))
        world.apply(("meeting", i, 370 + i * 20, "review", True))
        world.apply(("referral", i, 380 + i * 15, "submitted", True))
        world.apply(("decide", i, 2, "signposting"))
        world.apply(("education", i, 400 + i * 10, "exclusion"))
    world.apply(("close", 1, 430, "needs_met", "improved"))
    world.apply(("referral", 1, 440, "submitted", True))
    world.apply(("taf", 0))
    world.apply(("restrict", 2))
    assert_summaries_match(people, [district, other_district])
    figures = dict(
        (key, value)
        for key, value, _ in _figures(
            reporting_scope_for(people["strategic"]), PERIODS[1], live=False
        )
    )
    for key in (
        "requests_received",
        "children_worked_with",
        "assessments_completed",
        "reviews_held",
        "cases_closed",
        "re_referrals",
        "plan_before_exclusion",
        "episodes_front_door",
        "episodes_partner",
    ):
        assert figures[key] > 0, key
