"""Browser tests: Playwright (sync API) drives Debian's Chromium against the live server.

Playwright's own browser download does not work here (closed network), so we launch the
system Chromium at /usr/bin/chromium. Without it the tests skip locally, but fail in CI: CI
must never pass by skipping. One browser serves the whole session; every test gets a fresh
context (cookies, storage), in Dutch and Amsterdam time like a real visitor.
"""

import os
import re
from pathlib import Path

import pytest

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in the test thread; the factories' ORM calls
# there are still plain synchronous code, so Django's async-safety guard must stand down.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # The machine's network is closed: keep Chromium from phoning home at every start.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = "Debian's Chromium not found at /usr/bin/chromium: apt-get install chromium"
HERE = Path(__file__).resolve().parent
RESULTS_DIR = HERE.parent.parent / "test-results"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def pytest_collection_modifyitems(config, items):
    # This hook sees the whole session's items: mark only the tests in this folder.
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item so the page fixture can screenshot failures.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if in_ci():
            pytest.fail(f"{MISSING_CHROMIUM} (CI is set: browser tests never skip in CI)")
        pytest.skip(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(request, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        viewport={"width": 1280, "height": 800},
    )
    # Pages here answer in milliseconds: a broken page should fail a test quickly.
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def login():
    """Log `user` in through the real login form; the page ends on the home page."""

    def login(page, live_server, user):
        # Fail at once, with what the page said, rather than time out on a missing field.
        response = page.goto(f"{live_server.url}/accounts/login/")
        assert response is not None and response.ok, (
            f"login page answered {response and response.status}: {page.title()!r}"
        )
        form = page.locator("main form")
        form.locator("[name=username]").fill(user.email)
        form.locator("[name=password]").fill(PASSWORD)
        with page.expect_navigation():
            form.get_by_role("button").click()
        said = " | ".join(page.locator("main").inner_text().split("\n"))
        home = f"{live_server.url}/"
        assert page.url == home, f"login as {user.email} ended on {page.url}: {said}"
        return page

    return login
