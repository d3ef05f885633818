"""Progress on a family's need sent twice (a resend, back and resubmit, two tabs) is
recorded once, and the second answer says it was already saved."""

from django.urls import reverse

from outcomes.models import NeedProgress
from tests.conftest import signed_in
from tests.sent_twice import send_twice, told_already_saved


def test_progress_on_a_need_sent_twice_is_recorded_once(client, working_case, practitioner):
    need = working_case.programme.needs.get(headline__code="housing")
    before = NeedProgress.objects.filter(need=need).count()
    signed_in(client, practitioner)
    data = {
        "at": f"meeting:{working_case.review.pk}",
        "status": "significant",
        "significant_since": "",
        "evidence": "Tenancy secure; arrears cleared.",
    }
    url = reverse("record_progress", args=[working_case.pk, need.pk])
    first, second = send_twice(client, url, data)
    assert told_already_saved(first, second)
    assert NeedProgress.objects.filter(need=need).count() == before + 1
