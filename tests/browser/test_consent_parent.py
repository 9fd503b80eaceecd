"""A parent on a phone changes one consent for their child and gets the receipt."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from consent import ledger
from consent.models import ConsentEvent, Purpose
from tests.factories import GuardianFactory, PupilFactory, UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def nl(text: str) -> str:
    """`text` as the Dutch pages show it, taken from the app's own catalogue."""
    with translation.override("nl"):
        return translation.gettext(text)


@pytest.fixture
def purposes(school):
    return [
        ledger.create_purpose(
            stichting=school.stichting,
            name="Website",
            slug="website",
            text="Foto's op de openbare website van de school.",
            by=None,
            channel=Purpose.Channel.PUBLIC,
        ),
        ledger.create_purpose(
            stichting=school.stichting,
            name="Ouderapp",
            slug="ouderapp",
            text="Foto's in de besloten ouderapp.",
            by=None,
        ),
    ]


def test_parent_changes_one_consent_on_a_phone(
    page, live_server, login, school, purposes, mailoutbox
):
    parent = UserFactory(first_name="Fatima")
    child = PupilFactory(school=school, first_name="Noor")
    GuardianFactory(user=parent, pupil=child, has_gezag=True)
    website, parent_app = purposes
    ledger.record_choice(subject=child, purpose=parent_app, choice=True, by=parent)
    mailoutbox.clear()

    page.set_viewport_size(PHONE)
    login(page, live_server, parent)
    children = page.get_by_role("region", name=nl("Your children"), exact=True)
    children.get_by_role("link", name=nl("Consent for %(name)s") % {"name": "Noor"}).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        nl("Consent for %(name)s") % {"name": "Noor"}
    )
    # Nothing is chosen for the unanswered purpose, and nothing scrolls sideways.
    card = page.locator('fieldset[data-purpose="website"]')
    expect(card.get_by_role("radio", checked=True)).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    card.locator("label", has_text=nl("No")).click()
    page.get_by_role("button", name=nl("Save my choices")).click()

    saved = page.get_by_test_id("saved")
    expect(saved).to_contain_text(nl("Your choices have been saved"))
    expect(saved).to_contain_text(f"Website: {nl('no')}")
    expect(saved).not_to_contain_text("Ouderapp")
    assert list(ConsentEvent.objects.filter(pupil=child).values_list("purpose", "choice")) == [
        (parent_app.pk, True),
        (website.pk, False),
    ]
    assert [message.to for message in mailoutbox] == [[parent.email]]
