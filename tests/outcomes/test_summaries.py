"""The cohort dashboard from the summary tables is the dashboard counted from the records,
after every kind of change the programme meets (hypothesis draws sequences of changes; after
each one the facts are rebuilt and both are compared for each kind of viewer, today and a
year on, when more families' progress is sustained)."""

import dataclasses
import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cases.models import EarlyHelpCase, Family
from earlyhelp.errors import DomainError
from outcomes import services
from outcomes.framework import HEADLINES_2022
from outcomes.models import ClaimStatus, NeedFact, ProgressStatus
from outcomes.selectors import cohort_dashboard
from partners.models import FamilyHub
from reporting.summaries.refresh import summaries_refresh
from tests.conftest import signed_in
from tests.outcomes.conftest import worked_case

CODES = [code for code, *_ in HEADLINES_2022]
TODAY = timezone.localdate()

pick = st.integers(0, 2)
actions = st.one_of(
    st.tuples(st.just("needs"), pick),
    st.tuples(st.just("need"), pick, st.sampled_from(CODES)),
    st.tuples(
        st.just("progress"), pick, st.sampled_from(ProgressStatus.values), st.integers(300, 420)
    ),
    st.tuples(st.just("claim"), pick),
    st.tuples(st.just("decline"), pick),
    st.tuples(st.just("audit"), pick, st.booleans()),
    st.tuples(st.just("withdraw"), pick),
    st.tuples(st.just("network"), pick),
    st.tuples(st.just("hub"), pick),
    st.tuples(st.just("restrict"), pick),
    st.tuples(st.just("move"), pick),
    st.tuples(st.just("no_lead"), pick),
)


class Programme:
    def __init__(self, people, districts):
        self.people = people
        self.districts = districts
        lead, manager = people["lead"], people["manager"]
        self.cases = [worked_case(lead=lead, manager=manager) for _ in range(3)]
        self.hub = FamilyHub.objects.create(district=districts[0], name="Amberford Family Hub")

    def apply(self, action):  # noqa: C901 - one branch per kind of change
        kind, n, *rest = action
        case = EarlyHelpCase.objects.get(pk=self.cases[n].pk)
        lead, officer = self.people["lead"], self.people["officer"]
        episode = getattr(case, "programme", None)
        try:
            if kind == "needs":
                services.needs_from_assessment(case=case, acting_user=lead)
            elif kind == "need":
                services.need_add(
                    case=case,
                    acting_user=lead,
                    headline_code=rest[0],
                    evidence="School says attendance is below 90% this term.",
                    source="practitioner",
                )
            elif kind == "progress" and episode is not None and episode.needs.exists():
                status, days_ago = rest
                services.progress_record(
                    need=episode.needs.first(),
                    acting_user=lead,
                    status=status,
                    evidence="Reviewed at the TAF meeting with the family.",
                    meeting=case.taf_meetings.filter(status="held").last(),
                    significant_since=TODAY - datetime.timedelta(days=days_ago)
                    if status == ProgressStatus.SIGNIFICANT
                    else None,
                )
            elif kind == "claim":
                services.claim_prepare(case=case, acting_user=officer)
            elif kind == "decline":
                services.claim_decline(
                    case=case, acting_user=officer, reason="The family moved out of the area."
                )
            elif kind == "audit":
                sampled, _ = services.claims_sample(
                    period=services.programme_period(TODAY), acting_user=self.people["auditor"]
                )
                for claim in sampled[:1]:
                    services.claim_audit(
                        claim=claim,
                        acting_user=self.people["auditor"],
                        passed=rest[0],
                        notes="Evidence checked against the school's records.",
                    )
            elif kind == "withdraw" and episode is not None:
                for claim in episode.claims.exclude(status=ClaimStatus.WITHDRAWN)[:1]:
                    services.claim_withdraw(
                        claim=claim, acting_user=officer, reason="Prepared in error, sorry."
                    )
            elif kind == "network":
                services.network_meeting_record(
                    case=case,
                    acting_user=lead,
                    kind="family_network",
                    held_on=TODAY,
                    participants="Grandmother, aunt",
                    family_plan="Grandmother takes the children to school on Mondays.",
                    network_commitments="Aunt helps with the rent letters.",
                )
            elif kind == "hub" and case.district_id == self.hub.district_id:
                services.episode_hub_set(case=case, acting_user=lead, family_hub=self.hub)
        except (DomainError, PermissionDenied):
            pass  # refused by the service: nothing changed, which is a change to compare too
        if kind == "restrict":
            Family.objects.filter(pk=case.family_id).update(restricted=True)
        elif kind == "move":
            EarlyHelpCase.objects.filter(pk=case.pk).update(district=self.districts[1])
        elif kind == "no_lead":
            EarlyHelpCase.objects.filter(pk=case.pk).update(
                status="awaiting_allocation", lead_professional=None
            )


def _dashboard(user, *, live, district_id=None, today=TODAY):
    counted = cohort_dashboard(user, district_id=district_id, today=today, live=live)
    return dataclasses.replace(counted, as_at=None)


def assert_dashboards_match(people, districts):
    summaries_refresh()
    views = [
        (people["officer"], None),
        (people["officer"], districts[1].pk),
        (people["strategic"], None),
        (people["manager"], None),
        (people["manager"], districts[0].pk),
        (people["lead"], None),
    ]
    for user, district_id in views:
        for days in (-250, 0, 365):
            today = TODAY + datetime.timedelta(days=days)
            assert _dashboard(user, live=False, district_id=district_id, today=today) == (
                _dashboard(user, live=True, district_id=district_id, today=today)
            )


@pytest.fixture
def people(practitioner, district_manager, programme_officer, auditor, strategic_viewer):
    return {
        "lead": practitioner,
        "manager": district_manager,
        "officer": programme_officer,
        "auditor": auditor,
        "strategic": strategic_viewer,
    }


@pytest.mark.django_db
@settings(
    max_examples=4,
    phases=[Phase.generate],
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=st.lists(actions, min_size=1, max_size=8))
def test_the_dashboard_from_the_summaries_equals_a_count_from_the_records_after_every_change(
    people, district, other_district, changes
):
    with transaction.atomic():
        programme = Programme(people, [district, other_district])
        for change in changes:
            programme.apply(change)
            assert_dashboards_match(people, [district, other_district])
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_busy_programme_has_figures_to_compare(people, district, other_district):
    """The comparison is not vacuous: a programme with families in several states, needs
    sustained and not, claims made and passed, a network meeting and a hub."""
    programme = Programme(people, [district, other_district])
    for n in range(3):
        programme.apply(("needs", n))
        for need in EarlyHelpCase.objects.get(pk=programme.cases[n].pk).programme.needs.all():
            services.progress_record(
                need=need,
                acting_user=people["lead"],
                status=ProgressStatus.SIGNIFICANT if n else ProgressStatus.IMPROVING,
                evidence="Sustained at the review.",
                meeting=programme.cases[n].review,
                significant_since=TODAY - datetime.timedelta(days=350) if n else None,
            )
    for change in [("claim", 1), ("claim", 2), ("audit", 0, True), ("network", 0), ("hub", 0)]:
        programme.apply(change)
    assert_dashboards_match(people, [district, other_district])

    counted = _dashboard(people["officer"], live=False)
    states = {s["key"]: s["value"] for s in counted.states}
    assert states["claimed"] == 2 and states["working"] == 1
    assert counted.totals["claims_made"] == 2 and counted.totals["claims_passed"] >= 1
    assert counted.totals["network"] == 1
    assert {row["name"] for row in counted.by_hub} >= {"Amberford Family Hub"}
    assert NeedFact.objects.filter(sustained_from__lte=TODAY).exists()
    assert cohort_dashboard(people["officer"]).as_at is not None  # as of the rebuild


@pytest.mark.django_db
def test_the_page_counts_as_at_the_rebuild_and_its_list_of_families_stays_live(
    client, ready_case, programme_officer
):
    summaries_refresh()
    services.claim_prepare(case=ready_case, acting_user=programme_officer)
    signed_in(client, programme_officer)

    page = client.get(reverse("outcomes_dashboard")).content.decode()
    assert "Figures as at the last rebuild of the reporting figures" in page
    states = {s["key"]: s["value"] for s in cohort_dashboard(programme_officer).states}
    assert states["ready"] == 1 and states["claimed"] == 0  # until the next rebuild
    claimed = client.get(reverse("programme_families") + "?state=claimed").content.decode()
    assert ready_case.family.name in claimed  # the drill-down is live

    summaries_refresh()
    states = {s["key"]: s["value"] for s in cohort_dashboard(programme_officer).states}
    assert states["ready"] == 0 and states["claimed"] == 1
