"""A page about a child is kept by no browser or proxy, and signing out empties the browser's
cache of the site, so that Back on a shared computer asks the server again. (Headless Chromium
asks again even without these headers, so a browser test could not tell them apart.)"""

from django.urls import reverse

from tests import factories
from tests.conftest import signed_in


def test_a_case_page_is_kept_by_no_cache(client, practitioner):
    case = factories.open_case(lead=practitioner)
    response = signed_in(client, practitioner).get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_signing_out_tells_the_browser_to_empty_its_cache_of_the_site(client, practitioner):
    response = signed_in(client, practitioner).post(reverse("logout"))
    assert response["Clear-Site-Data"] == '"cache"'


def test_no_page_may_ask_for_the_camera_microphone_or_location(client, db):
    policy = client.get(reverse("login"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
