"""Take the README's screenshots from a running demo (`make run`), in Debian's Chromium.

Usage: .venv/bin/python docs/take_screenshots.py [http://127.0.0.1:8000]

The last shots walk Klasse's version 2 through the rest of its procedure (README "The
procedure in the demo"), so run it against a freshly loaded demo (`make clean run` or a new
database).
"""

import re
import sys
from datetime import date
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def login(page, email):
    page.goto(f"{BASE}/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{BASE}/")


def shoot(browser, name, email, path, viewport=(1280, 800)):
    context = browser.new_context(
        locale="nl-NL", viewport={"width": viewport[0], "height": viewport[1]}
    )
    page = context.new_page()
    if email:
        login(page, email)
    page.goto(f"{BASE}{path}")
    page.screenshot(path=OUT / f"{name}.png", full_page=False)
    context.close()


def follow(browser, name, email, links, viewport=(1280, 800)):
    """Log in, click through `links` (by their Dutch names) and take the page reached."""
    context = browser.new_context(
        locale="nl-NL", viewport={"width": viewport[0], "height": viewport[1]}
    )
    page = context.new_page()
    login(page, email)
    for link in links:
        if page.get_by_role("button", name="Menu tonen").is_visible():
            page.get_by_role("button", name="Menu tonen").click()
        page.get_by_role("link", name=link).first.click()
        page.wait_for_load_state()
    page.screenshot(path=OUT / f"{name}.png", full_page=False)
    context.close()


def _person(browser, email, viewport=(390, 844)):
    context = browser.new_context(
        locale="nl-NL", viewport={"width": viewport[0], "height": viewport[1]}
    )
    page = context.new_page()
    login(page, email)
    return context, page


def _field(scope, label):
    """The field labelled `label`; a required field's label ends in an asterisk."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def procedure_walk(browser):
    """The council's vote, the board's adoption and a teacher's reading, as in the README."""
    today = date.today().isoformat()
    context, page = _person(browser, "gmr@klasse.demo")
    page.get_by_role("link", name=re.compile("^Besluit van GMR")).click()
    page.get_by_role("link", name="Besluit vastleggen: GMR").click()
    _field(page, "Besloten op").fill(today)
    for geleding, present, votes_for, against in [("Ouders", 3, 3, 0), ("Personeel", 3, 2, 1)]:
        group = page.get_by_role("group", name=f"Stemming van de geleding: {geleding}")
        _field(group, "Aanwezige leden").fill(str(present))
        _field(group, "Voor").fill(str(votes_for))
        _field(group, "Tegen").fill(str(against))
    page.get_by_role("button", name="Besluit controleren").click()
    page.screenshot(path=OUT / "procedure-gmr-check-phone.png")
    page.get_by_role("button", name="Bevestigen en vastleggen").click()
    context.close()

    context, page = _person(browser, "bestuurder@klasse.demo", viewport=(1280, 900))
    page.get_by_role("link", name=re.compile("raad van toezicht")).click()
    page.get_by_text("Als n.v.t. markeren: RvT").click()
    _field(page, "Waarom deze stap niet van toepassing is").fill(
        "Goedkeuring RvT niet vereist volgens de statuten."
    )
    page.get_by_role("button", name="Als n.v.t. markeren", exact=True).click()
    page.goto(f"{BASE}/")
    page.get_by_role("link", name=re.compile("^Vaststellen: ")).click()
    form = page.get_by_role("form", name="Deze versie vaststellen")
    form.get_by_label("Vastgesteld op").fill(today)
    form.get_by_label("In werking vanaf").fill(today)
    form.get_by_role("button", name="Vaststellen", exact=True).click()
    page.screenshot(path=OUT / "adoption-confirm.png")
    page.get_by_role("button", name="Bevestigen en vaststellen").click()
    context.close()

    context, page = _person(browser, "leerkracht@klasse.demo")
    page.get_by_role("link", name=re.compile("hebt gelezen")).first.click()
    page.screenshot(path=OUT / "reading-confirmation-phone.png")
    context.close()

    context, page = _person(browser, "directeur@klasse.demo")
    page.get_by_role("button", name="Menu tonen").click()
    page.get_by_role("link", name="Protocollen").first.click()
    page.get_by_role("link", name="versie 2").first.click()
    page.get_by_role("link", name=re.compile("Besluitenlijst")).first.click()
    page.screenshot(path=OUT / "decision-log-phone.png")
    context.close()


def main():
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        shoot(browser, "login", None, "/accounts/login/")
        shoot(browser, "home-director", "directeur@klasse.demo", "/")
        shoot(browser, "home-parent-phone", "ouder@amstelveen.demo", "/", viewport=(390, 844))
        shoot(browser, "group-teacher", "leerkracht@lankforst.demo", "/")
        page_context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 800})
        page = page_context.new_page()
        login(page, "leerkracht@lankforst.demo")
        page.get_by_role("link", name="Mijn groepen").click()
        page.locator("#my-groups a").first.click()
        page.screenshot(path=OUT / "group-teacher.png")
        page_context.close()
        shoot(browser, "protocol-public", None, "/protocol/amstelveen/")
        # The demo's Klasse version 2 waits for the GMR: follow the task on the home page.
        context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 1100})
        page = context.new_page()
        login(page, "gmr@klasse.demo")
        page.locator("#tasks-heading + ul a").first.click()
        page.screenshot(path=OUT / "procedure-gmr.png")
        context.close()
        shoot(browser, "protocol-list", "directeur@klasse.demo", "/protocollen/")
        follow(
            browser,
            "consent-parent-phone",
            "ouder@klasse.demo",
            ["Toestemming voor Thijs"],
            viewport=(390, 844),
        )
        follow(
            browser,
            "consent-group-teacher-phone",
            "leerkracht@klasse.demo",
            ["Wie in beeld mag"],
            viewport=(390, 844),
        )
        follow(
            browser,
            "consent-coverage",
            "directeur@klasse.demo",
            ["Mijn school", "Dekking toestemming"],
            viewport=(1280, 1000),
        )
        follow(
            browser,
            "incident-report-phone",
            "leerkracht@klasse.demo",
            ["Incidenten", "Incident melden"],
            viewport=(390, 844),
        )
        follow(
            browser,
            "incident-figures-board",
            "bestuurder@klasse.demo",
            ["Incidenten", "alle scholen van Stichting Klasse"],
            viewport=(1280, 1000),
        )
        procedure_walk(browser)
        browser.close()


if __name__ == "__main__":
    main()
