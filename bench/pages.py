"""What the benchmark measures, against the county-scale data (bench/county.py)."""

import datetime

from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.measure import measure, selected
from cases.models import EarlyHelpCase
from demo import synthetic as demo
from partners.models import Role, User

HOST = {"HTTP_HOST": "localhost"}


def prepare_accounts() -> None:
    """Benchmark and load-test accounts sign in with the demo TOTP key."""
    users = User.objects.filter(email__endswith="@county.test").exclude(
        pk__in=TOTPDevice.objects.values("user_id")
    )
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=u, name="bench", confirmed=True, key=demo.DEMO_TOTP_KEY_HEX)
        for u in users.only("pk")
    )


def client_for(user) -> Client:
    client = Client(**HOST)
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first()
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _get(client, url):
    def call():
        return client.get(url)  # the status is reported in the table

    return call


def _search(client, url, criteria):
    """A search as the page sends it (earlyhelp/searches.py): the POST, then the results at
    the key it redirects to. Both are what the person waits for."""

    def call():
        return client.post(url, criteria, follow=True)  # the results page's status

    return call


def benchmarks(runs: int, *, live_figures: bool = False):
    prepare_accounts()
    today = datetime.date(2026, 11, 2)
    year = (today - datetime.timedelta(days=365), today)
    busiest = (
        EarlyHelpCase.objects.filter(status="open")
        .annotate(n=Count("chronology"))
        .order_by("-n")
        .values_list("pk", "lead_professional_id")
        .first()
    )
    long_case, lead_id = busiest
    lead = User.objects.get(pk=lead_id)
    draft = (
        EarlyHelpCase.objects.filter(status="open", assessment__status="draft")
        .values_list("pk", "lead_professional_id")
        .first()
    )
    draft_lead = User.objects.get(pk=draft[1])
    district_manager = User.objects.filter(email="manager-1@county.test").first()
    director = User.objects.get(email="director@county.test")
    strategic_user = User.objects.filter(
        role=Role.STRATEGIC, email__endswith="@county.test"
    ).first()
    officer = User.objects.filter(role=Role.FRONT_DOOR).order_by("pk").first()
    district = officer.districts.order_by("pk").first()

    anonymous = Client(**HOST)
    practitioner, manager = client_for(lead), client_for(district_manager)
    front_door, authority = client_for(officer), client_for(director)
    strategic = client_for(strategic_user or director)
    period = f"start={year[0]:%Y-%m-%d}&end={year[1]:%Y-%m-%d}"

    plan = [
        ("sign-in page", _get(anonymous, reverse("login"))),
        ("home", _get(practitioner, reverse("home"))),
        ("my cases (practitioner)", _get(practitioner, reverse("case_list"))),
        ("cases, district manager", _get(manager, reverse("case_list"))),
        (
            "triage queue, one district",
            _get(front_door, f"{reverse('triage_queue')}?district={district.pk}"),
        ),
        (
            "person search, misspelt name",
            _search(front_door, reverse("person_search"), {"name": "Hargreeves"}),
        ),
        (
            "person search, the commonest surname (1.2% of people)",
            _search(front_door, reverse("person_search"), {"name": demo.LAST_NAMES[0]}),
        ),
        (
            f"case page ({EarlyHelpCase.objects.get(pk=long_case).chronology.count()} entries)",
            _get(practitioner, reverse("case_detail", args=[long_case])),
        ),
        (
            "assessment form",
            _get(client_for(draft_lead), reverse("edit_assessment", args=[draft[0]])),
        ),
        ("dashboard, one district", _get(manager, reverse("dashboard"))),
        ("dashboard, whole authority", _get(authority, reverse("dashboard"))),
        (
            "dashboard drill-down, reviews overdue (live)",
            _get(manager, f"{reverse('dashboard_cases')}?figure=reviews_overdue"),
        ),
        ("indicators for a year", _get(authority, f"{reverse('indicators')}?{period}")),
        (
            "indicators for a year (strategic viewer)",
            _get(strategic, f"{reverse('indicators')}?{period}"),
        ),
        (
            "indicators for a year, first view after a rebuild (no cached figures)",
            _uncached(_get(authority, f"{reverse('indicators')}?{period}")),
        ),
        ("API caseload, whole authority", _get(authority, "/api/v1/reporting/caseload/")),
        ("API people list", _get(manager, "/api/v1/people/")),
        ("API families list", _get(manager, "/api/v1/families/")),
        ("API referrals list", _get(front_door, "/api/v1/referrals/")),
        ("API cases list", _get(manager, "/api/v1/cases/")),
        ("API indicators", _get(authority, f"/api/v1/reporting/indicators/?{period}")),
    ]
    plan += _work_tray_plan(district_manager)
    # Figures come from the summary tables (as beat would leave them): rebuild them first.
    from reporting.summaries.refresh import last_refresh, summaries_refresh

    if live_figures:  # as before the summaries: every figure counted from the records
        from reporting.summaries.models import SummaryRefresh

        SummaryRefresh.objects.all().delete()
        results = []
    else:
        name = "summaries rebuild (whole county)"
        if not selected(name) and last_refresh() is None:
            summaries_refresh()  # the pages selected read the summaries: build them once
        results = [measure(name, summaries_refresh, runs=1, warm=0)]
    results += [measure(name, call, runs=runs) for name, call in plan]
    results.append(
        measure(
            "CSV export, a year's requests",
            lambda: _requests_csv(director, year),
            runs=max(3, runs // 4),
        )
    )
    results.append(measure("reminder sweep (whole county)", _sweep, runs=3, warm=1))
    results.extend(__import__("bench.outcomes").outcomes.benchmarks(runs, client_for=client_for))
    results += __import__("bench.hubs").hubs.hub_dashboard_benchmarks(runs)
    return [r for r in results if r is not None]  # None: not selected (--only)


def _uncached(get):
    """Each run empties the cache first (sessions are in the database): the first view of a
    period and scope after each rebuild of the summaries counts every figure."""

    def call():
        from django.core.cache import cache

        cache.clear()
        return get()

    return call


def _requests_csv(user, year):
    from reporting.exports import referrals_csv

    return referrals_csv(user, start=year[0], end=year[1])


def _sweep():
    from django.db import transaction

    from reminders.services import reminders_sweep

    # Measure a full sweep each time: roll back what it wrote.
    with transaction.atomic():
        result = reminders_sweep(today=datetime.date(2026, 11, 2), use_lock=False)
        transaction.set_rollback(True)
    return result


def practitioner_with(cases: int = 40):
    """The practitioner whose open caseload is nearest `cases` (issue 14: "a practitioner
    with 40 cases at county scale")."""
    from django.db.models import F, Func

    row = (
        EarlyHelpCase.objects.filter(status="open", lead_professional__role=Role.PRACTITIONER)
        .values("lead_professional_id")
        .annotate(n=Count("pk"))
        .annotate(distance=Func(F("n") - cases, function="ABS"))
        .order_by("distance", "lead_professional_id")
        .first()
    )
    return User.objects.get(pk=row["lead_professional_id"]), row["n"]


def _work_tray_plan(district_manager):
    """GET /api/v1/my-work/ must answer in under 300 ms at p95 (issue 14)."""
    lead, n = practitioner_with(40)
    practitioner = client_for(lead)
    plan = [
        (f"API my-work (practitioner, {n} cases)", _get(practitioner, "/api/v1/my-work/")),
        (f"work tray page (practitioner, {n} cases)", _get(practitioner, reverse("home"))),
    ]
    if district_manager is not None:
        plan.append(
            (
                "work tray page, district manager",
                _get(client_for(district_manager), reverse("home")),
            )
        )
    return plan
