"""Filtering the programme families by state: the cheap column tests that go first must
never change which families are in a state."""

import datetime
import itertools

import pytest
from django.utils import timezone

from outcomes.models import ClaimStatus, ProgrammeEpisode
from outcomes.selectors import ProgrammeState, in_state, with_state

pytestmark = pytest.mark.django_db


def test_each_state_holds_the_same_families_with_and_without_the_narrowing(working_case):
    today = timezone.localdate()
    episode = ProgrammeEpisode.objects.get(case=working_case)
    day = datetime.timedelta(days=1)
    claim_statuses = ["", ClaimStatus.PREPARED, ClaimStatus.AUDIT_FAILED, ClaimStatus.DECLINED]
    seen = set()
    for claim_status, ready_on, needs_count in itertools.product(
        claim_statuses, [None, today - day, today, today + day], [0, 3]
    ):
        ProgrammeEpisode.objects.filter(pk=episode.pk).update(
            claim_status=claim_status, ready_on=ready_on, needs_count=needs_count
        )
        episodes = with_state(ProgrammeEpisode.objects.filter(pk=episode.pk), today)
        state = episodes.get().state
        seen.add(state)
        for each in ProgrammeState.ORDER:
            narrowed = in_state(episodes, each, today).exists()
            assert narrowed == (each == state), (claim_status, ready_on, needs_count, each)
    assert seen == set(ProgrammeState.ORDER)  # every state was met
