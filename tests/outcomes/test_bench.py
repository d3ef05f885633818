"""The county-scale outcomes layer and its benchmarks run (on a small county here; the
figures come from `make county` and `make bench`)."""

from bench.county import CountyGenerator, Size
from bench.outcomes import benchmarks, generate
from bench.pages import client_for, prepare_accounts
from outcomes.models import Claim, ProgrammeEpisode
from outcomes.selectors import with_state


def test_the_outcomes_layer_loads_over_the_county_and_its_pages_are_measured(db):
    CountyGenerator(Size().scaled(0.003), log=lambda *_: None).run()
    counts = generate(log=lambda *_: None)
    assert counts["episodes"] == ProgrammeEpisode.objects.count() > 50
    assert Claim.objects.count() == counts["claims"] > 0
    import datetime

    states = set(
        with_state(ProgrammeEpisode.objects.all(), datetime.date(2026, 11, 2)).values_list(
            "state", flat=True
        )
    )
    assert {"not_eligible", "working", "claimed"} <= states
    prepare_accounts()
    results = benchmarks(1, client_for=client_for)
    assert [r.status for r in results] == [200] * 6 + ["ok"]
