import logging

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from demo import synthetic as demo

CHROMIUM = "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LANDMARK_RULES = ["region", "landmark-unique"]
logger = logging.getLogger(__name__)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        print(f"\nBrowser: Chromium {browser.version}")
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page) -> None:
    """Zero WCAG 2.2 A/AA violations reported by axe-core on the settled page, nor any of
    LANDMARK_RULES (best practice, outside the WCAG tags: page content outside every
    landmark, two landmarks named alike)."""
    page.wait_for_load_state("networkidle")
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "rules": {rule: {"enabled": True} for rule in LANDMARK_RULES},
        },
    )
    violations = results.response["violations"]
    assert not violations, results.generate_report()


def assert_errors_summarised(page) -> None:
    """GOV.UK's error pattern, which axe cannot see: the title starts "Error:", the error
    summary comes before the heading and has focus, and each of its links leads to something
    on the page."""
    page.wait_for_load_state("networkidle")
    assert page.title().startswith("Error: "), page.title()
    summary = page.locator(".govuk-error-summary")
    assert summary.evaluate(
        "s => (s.compareDocumentPosition(document.querySelector('h1')) & 4) !== 0"
    ), "the error summary comes after the heading"
    assert summary.evaluate("s => s.contains(document.activeElement)"), "not focused"
    for href in summary.locator("a").evaluate_all("l => l.map(a => a.getAttribute('href'))"):
        assert page.locator(href).count() == 1, href


def sign_in(page, email: str, password: str) -> None:
    """Through the real sign-in page and the two-factor page (demo TOTP key)."""
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code from your authenticator app").fill(demo.current_code())
    page.get_by_role("button", name="Continue").click()
