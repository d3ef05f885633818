from django.core.management import call_command
from django.utils import timezone

from outcomes.models import ClaimStatus, ProgrammeEpisode
from outcomes.selectors import ProgrammeState, with_state
from partners.models import User


def test_demo_county_holds_families_in_every_programme_state(db):
    call_command("load_demo_county", families=12, verbosity=0)
    officer = User.objects.get(email="outcomes@demo.test")
    assert officer.has_perm("outcomes.run_programme")
    assert User.objects.get(email="audit@demo.test").has_perm("outcomes.audit_claims")
    states = set(
        with_state(ProgrammeEpisode.objects.all(), timezone.localdate()).values_list(
            "state", flat=True
        )
    )
    assert states == set(ProgrammeState.ORDER)
    claims = set(
        ProgrammeEpisode.objects.values_list("claims__status", flat=True).exclude(
            claims__status=None
        )
    )
    assert {
        ClaimStatus.PREPARED,
        ClaimStatus.IN_SAMPLE,
        ClaimStatus.AUDIT_FAILED,
        ClaimStatus.BATCHED,
        ClaimStatus.DECLINED,
    } <= claims
