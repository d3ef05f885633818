"""The dashboard, indicators page and API count from the summaries and say when they were
rebuilt; the lists behind a figure stay live."""

import datetime
import re

import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from reporting.summaries import tasks
from reporting.summaries.models import SummaryRefresh
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def open_cases_tile(html: str) -> int:
    match = re.search(r'eh-figure__number">(\d+)</span> Open cases<', html)
    assert match, "the open cases tile"
    return int(match.group(1))


def test_figures_are_counted_live_until_the_first_rebuild(client, district_manager, practitioner):
    factories.open_case(lead=practitioner)
    html = signed_in(client, district_manager).get(reverse("dashboard")).content.decode()
    assert "Figures counted live from the records." in html


def test_dashboard_shows_the_rebuild_time_and_its_drill_down_stays_live(
    client, district_manager, practitioner
):
    factories.open_case(lead=practitioner)
    assert tasks.refresh.apply().get()["refreshed"] is True
    late = factories.open_case(lead=practitioner)
    client = signed_in(client, district_manager)

    html = client.get(reverse("dashboard")).content.decode()
    assert "Figures as at" in html and "brought up to date every 10 minutes" in html
    assert open_cases_tile(html) == 1  # as at the rebuild

    listed = client.get(reverse("dashboard_cases") + "?figure=open").content.decode()
    assert late.reference in listed  # the list behind the figure is live

    tasks.refresh.apply()
    html = client.get(reverse("dashboard")).content.decode()
    assert open_cases_tile(html) == 2


def test_indicators_page_and_api_say_when_the_figures_were_built(client, strategic_viewer):
    tasks.refresh.apply()
    built = SummaryRefresh.objects.get()
    client = signed_in(client, strategic_viewer)
    assert "Figures as at" in client.get(reverse("indicators")).content.decode()
    body = client.get(reverse("api_indicators")).json()
    assert body["figures_as_at"].startswith(built.refreshed_at.isoformat()[:16])


def test_beat_rebuilds_the_summaries_every_10_minutes(db):
    task = PeriodicTask.objects.get(task="summaries.refresh")
    assert (task.interval.every, task.interval.period) == (10, "minutes")
    assert task.enabled


YEAR = {"start": "2025-11-03", "end": "2026-11-02"}


def shown(html: str, key: str) -> str:
    match = re.search(rf'data-indicator="{key}">([^<]*)<', html)
    assert match, key
    return match.group(1)


def episodes_started(client) -> str:
    return shown(client.get(reverse("indicators"), YEAR).content.decode(), "episodes_started")


def test_indicators_from_the_summaries_are_kept_until_the_next_rebuild_in_constant_queries(
    client, district_manager, practitioner, eh_team, other_district
):
    """The summary figures are counted once per rebuild, scope and period (issue 16): a view
    after a rebuild costs the same queries whatever the records, a second view fewer; a
    rebuild, or a change to what the manager may see, is never answered from the cache."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    factories.open_case(lead=practitioner)
    tasks.refresh.apply()
    client = signed_in(client, district_manager)
    with CaptureQueriesContext(connection) as first:
        html = client.get(reverse("indicators"), YEAR).content.decode()
    assert shown(html, "episodes_started") == "1"
    with CaptureQueriesContext(connection) as again:
        assert episodes_started(client) == "1"
    assert len(again) < len(first)

    for _ in range(3):
        factories.open_case(lead=practitioner)
    assert episodes_started(client) == "1"
    tasks.refresh.apply()  # a new rebuild: new figures, counted in as many queries as before
    with CaptureQueriesContext(connection) as rebuilt:
        html = client.get(reverse("indicators"), YEAR).content.decode()
    assert shown(html, "episodes_started") == "4"
    assert len(rebuilt) == len(first)

    elsewhere = factories.UserFactory(agency=eh_team, districts=[other_district])
    factories.open_case(lead=elsewhere)
    tasks.refresh.apply()
    assert episodes_started(client) == "4"
    district_manager.districts.add(other_district)  # the manager's scope grows: a new key
    assert episodes_started(client) == "5"


def test_the_dashboard_figures_are_kept_until_the_next_rebuild_or_day(
    client, district_manager, practitioner, eh_team, other_district
):
    """The caseload figures are counted once per rebuild, scope and day: a second view makes
    fewer queries; a rebuild, a new day or a change to the manager's scope counts again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.selectors import reporting_scope_for
    from reporting.summaries import figures

    factories.open_case(lead=practitioner)
    tasks.refresh.apply()
    client = signed_in(client, district_manager)
    with CaptureQueriesContext(connection) as first:
        assert open_cases_tile(client.get(reverse("dashboard")).content.decode()) == 1
    with CaptureQueriesContext(connection) as again:
        assert open_cases_tile(client.get(reverse("dashboard")).content.decode()) == 1
    assert len(again) < len(first)

    factories.open_case(lead=practitioner)
    assert open_cases_tile(client.get(reverse("dashboard")).content.decode()) == 1
    tasks.refresh.apply()
    assert open_cases_tile(client.get(reverse("dashboard")).content.decode()) == 2

    factories.open_case(lead=factories.UserFactory(agency=eh_team, districts=[other_district]))
    tasks.refresh.apply()
    assert open_cases_tile(client.get(reverse("dashboard")).content.decode()) == 2
    district_manager.districts.add(other_district)  # the manager's scope grows: a new key
    assert open_cases_tile(client.get(reverse("dashboard")).content.decode()) == 3

    scope = reporting_scope_for(district_manager)
    today = datetime.date.today()
    counted = figures.caseload(scope, today, 10)
    next_week = figures.caseload(scope, today + datetime.timedelta(days=7), 10)
    assert counted["due_soon_until"] < next_week["due_soon_until"]  # another day: a new count


def open_cases_charts(html: str) -> str:
    charts = html.split('<h2 class="govuk-heading-l">Open cases</h2>')[1]
    return charts.split("See the strategy indicators")[0]


def test_the_dashboard_charts_change_when_the_managers_districts_do(
    client, district_manager, practitioner, eh_team, other_district
):
    """The drawn charts are kept under their figures' key: a manager moved to another
    district sees that district's charts on the next view, with no rebuild in between."""
    elsewhere = factories.UserFactory(
        full_name="Wren Elsewhere", agency=eh_team, districts=[other_district]
    )
    factories.open_case(lead=practitioner)
    factories.open_case(lead=elsewhere)
    tasks.refresh.apply()
    client = signed_in(client, district_manager)
    for _ in range(2):  # drawn, then kept
        charts = open_cases_charts(client.get(reverse("dashboard")).content.decode())
        assert "Priya Shah" in charts and "Amberford" in charts
        assert "Wren Elsewhere" not in charts and "Brackenmoor" not in charts

    district_manager.districts.set([other_district])
    charts = open_cases_charts(client.get(reverse("dashboard")).content.decode())
    assert "Wren Elsewhere" in charts and "Brackenmoor" in charts
    assert "Priya Shah" not in charts
