"""A director reorders sections with the keyboard and reads a diff that keeps a list a list."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_protocols import nl
from tests.factories import ProtocolFactory, ProtocolVersionFactory, SectionFactory

pytestmark = pytest.mark.browser


def test_director_moves_a_section_with_the_keyboard_and_reads_a_structured_diff(
    page, live_server, login, director, school
):
    protocol = ProtocolFactory(stichting=school.stichting)
    old = ProtocolVersionFactory(protocol=protocol, number=1, status="superseded")
    SectionFactory(version=old, position=1, heading="Inleiding", body="Over foto's.")
    SectionFactory(version=old, position=2, heading="Regels", body="- geen namen\n- geen adressen")
    draft = ProtocolVersionFactory(protocol=protocol, number=2)
    SectionFactory(version=draft, position=1, heading="Inleiding", body="Over foto's.")
    SectionFactory(
        version=draft, position=2, heading="Regels", body="- nooit namen\n- geen adressen"
    )
    login(page, live_server, director)
    page.goto(live_server.url + reverse("protocols:version_edit", args=[draft.pk]))

    # "Move down" on the first section, pressed with the keyboard: the page comes back with
    # the sections swapped and the focus still on the moved section's button.
    move_down = page.get_by_role("button", name=re.compile(re.escape(nl("Move down")))).first
    move_down.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    headings = page.locator("input[name$='-heading']")
    expect(headings.nth(0)).to_have_value("Regels")
    expect(headings.nth(1)).to_have_value("Inleiding")
    moved = page.locator("button[name=move][value='1:down']")
    expect(moved).to_be_focused()
    page.locator(".sticky-actions").get_by_role("button", name=nl("Save draft")).click()
    expect(page.get_by_text(nl("The draft has been saved."))).to_be_visible()
    assert [s.heading for s in draft.sections.all()] == ["Regels", "Inleiding"]

    # The diff shows the list as a list: both items, the changed one marked in place.
    page.goto(live_server.url + reverse("protocols:version_diff", args=[draft.pk, old.pk]))
    items = page.locator(".diff-body ul > li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_have_class(re.compile("diff-block-changed"))
    expect(items.nth(0).locator("ins")).to_contain_text("nooit")
    expect(items.nth(0).locator("del")).to_contain_text("geen")
    expect(items.nth(1)).to_have_text("geen adressen")
