"""A director enrols in two-factor login on first sign-in, and signs in with a code after.

The code is made in the test from the key the setup page shows, as the app on a phone would.
Two-factor login is off in config/test_settings.py; this test switches it on.
"""

import re
import time
from base64 import b32decode

import pytest
from django.utils import translation
from django_otp.oath import TOTP
from playwright.sync_api import expect

from schools.models import Role
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.browser


def nl(text: str) -> str:
    with translation.override("nl"):
        return translation.gettext(text)


def code(secret: str, steps_ahead: int = 0) -> str:
    totp = TOTP(b32decode(secret))
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form")
    form.locator("[name=username]").fill(user.email)
    form.locator("[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        form.get_by_role("button").click()


def test_director_enrols_in_two_factor_login_and_signs_in_with_a_code(page, live_server, settings):
    settings.MFA_REQUIRED = True
    director = MembershipFactory(role=Role.DIRECTOR).user

    sign_in(page, live_server, director)
    expect(page).to_have_url(re.compile(r"/accounts/tweestaps/instellen/"))
    heading = nl("Set up two-step verification")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    # Any other page leads back to enrolment until it is done.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/tweestaps/instellen/"))

    page.get_by_role("button", name=nl("Next")).click()
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    expect(page.get_by_role("img", name=nl("QR code for your authenticator app"))).to_be_visible()
    page.get_by_label(nl("Code from your authenticator app")).fill(code(secret))
    page.get_by_role("button", name=nl("Next")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Two-step verification is on"))
    page.get_by_role("button", name=nl("Make recovery codes")).click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name=nl("Continue to the portal")).click()
    expect(page).to_have_url(f"{live_server.url}/")

    page.get_by_role("button", name=nl("Log out")).click()
    sign_in(page, live_server, director)
    expect(page).to_have_url(re.compile(r"/accounts/tweestaps/controle/"))
    # The code of the next period: the one used at enrolment cannot be used twice.
    page.get_by_label(nl("Code from your authenticator app")).fill(code(secret, steps_ahead=1))
    page.get_by_role("button", name=nl("Verify")).click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_test_id("current-user")).to_have_text(str(director))
