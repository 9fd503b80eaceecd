"""Journeys through the portal in a real browser, one per kind of user.

Texts are looked up in the app's own Dutch catalogue (`nl`), so these tests check what each
user sees and where they can go; `test_home_speaks_dutch_by_default` pins the Dutch wording.
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from schools.models import Role
from tests.factories import (
    ClassGroupFactory,
    CouncilFactory,
    CouncilMemberFactory,
    GuardianFactory,
    MembershipFactory,
    PupilFactory,
    SchoolFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}


def nl(text: str) -> str:
    """`text` as the Dutch pages show it, taken from the app's own catalogue."""
    with translation.override("nl"):
        return translation.gettext(text)


def en(text: str) -> str:
    with translation.override("en"):
        return translation.gettext(text)


def main_nav(page):
    return page.get_by_role("navigation", name=nl("Main navigation"), exact=True)


def nav_link(page, text: str):
    return main_nav(page).get_by_role("link", name=nl(text), exact=True)


def region(page, heading: str):
    """A <section> labelled by its heading."""
    return page.get_by_role("region", name=nl(heading), exact=True)


def expect_home_of(page, user):
    welcome = nl("Welcome, %(name)s") % {"name": user.first_name}
    expect(page.get_by_role("heading", level=1)).to_have_text(welcome)
    expect(page.get_by_role("heading", name=nl("Waiting for you"), exact=True)).to_be_visible()
    expect(page.get_by_text(nl("Nothing is waiting for you."))).to_be_visible()


@pytest.fixture
def parent(school):
    """A parent of two pupils, one at `school` with a group and one at a second school."""
    user = UserFactory()
    group = ClassGroupFactory(school=school)
    GuardianFactory(user=user, pupil=PupilFactory(school=school, group=group, first_name="Sanne"))
    GuardianFactory(user=user, pupil=PupilFactory(first_name="Daan", last_name="Jansen"))
    return user


# --- home pages and navigation per role ----------------------------------------------------


def test_director_sees_their_school_on_home(page, live_server, login, director, school):
    login(page, live_server, director)

    expect_home_of(page, director)
    schools = region(page, "Your schools")
    expect(schools.get_by_role("link", name=school.name, exact=True)).to_be_visible()
    expect(schools).to_contain_text(nl("Director"))


def test_director_navigation_leads_to_their_school(page, live_server, login, director, school):
    login(page, live_server, director)
    expect(nav_link(page, "My children")).to_have_count(0)
    expect(nav_link(page, "My groups")).to_have_count(0)

    nav_link(page, "My school").click()

    expect(page).to_have_url(f"{live_server.url}{school.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(school.name)
    expect(page.get_by_text(school.brin)).to_be_visible()


def test_teacher_sees_their_group_on_home(page, live_server, login, teacher, school, group):
    login(page, live_server, teacher)

    expect_home_of(page, teacher)
    expect(nav_link(page, "My school")).to_be_visible()
    expect(nav_link(page, "My groups")).to_be_visible()
    expect(nav_link(page, "My children")).to_have_count(0)
    expect(region(page, "Your schools")).to_contain_text(school.name)
    expect(region(page, "Your groups").get_by_role("link", name=group.name)).to_be_visible()


def test_teacher_opens_their_group_and_sees_its_pupils(page, live_server, login, teacher, group):
    pupils = [PupilFactory(school=group.school, group=group) for _ in range(2)]
    login(page, live_server, teacher)

    nav_link(page, "My groups").click()
    region(page, "Your groups").get_by_role("link", name=group.name, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(group.name)
    table = page.get_by_role("table")
    for pupil in pupils:
        expect(table.get_by_role("cell", name=pupil.full_name, exact=True)).to_be_visible()


def test_parent_sees_both_children_and_no_school_navigation(page, live_server, login, parent):
    login(page, live_server, parent)

    expect_home_of(page, parent)
    expect(nav_link(page, "My children")).to_be_visible()
    expect(nav_link(page, "My school")).to_have_count(0)
    expect(nav_link(page, "My schools")).to_have_count(0)
    expect(nav_link(page, "My groups")).to_have_count(0)
    children = region(page, "Your children")
    for guardianship in parent.guardianships.select_related("pupil__school"):
        expect(children).to_contain_text(guardianship.pupil.full_name)
        expect(region(page, "Your schools")).to_contain_text(guardianship.pupil.school.name)


def test_council_member_sees_their_council(page, live_server, login, school):
    seat = CouncilMemberFactory(council=CouncilFactory(school=school, name="MR De Regenboog"))
    login(page, live_server, seat.user)

    expect_home_of(page, seat.user)
    expect(nav_link(page, "My council")).to_be_visible()
    expect(nav_link(page, "My school")).to_have_count(0)
    expect(region(page, "Your councils")).to_contain_text("MR De Regenboog")
    expect(region(page, "Your schools")).to_contain_text(school.name)


def test_home_speaks_dutch_by_default(page, live_server, login, teacher, school):
    # A teacher who is also a parent sees every kind of menu item at once.
    GuardianFactory(user=teacher, pupil=PupilFactory(school=school))
    login(page, live_server, teacher)

    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", name="Wacht op jou", exact=True)).to_be_visible()
    for text in ["Mijn school", "Mijn groepen", "Mijn kinderen"]:
        expect(main_nav(page).get_by_role("link", name=text, exact=True)).to_be_visible()


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["school", "group"])
def test_outsider_gets_not_found_for_another_school(
    page, live_server, login, outsider, school, group, target
):
    PupilFactory(school=school, group=group, first_name="Geheim")
    path = school.get_absolute_url() if target == "school" else group.get_absolute_url()
    login(page, live_server, outsider)

    response = page.goto(path)

    assert response.status == 404
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"not found|niet gevonden|404", re.IGNORECASE))
    expect(page.locator("body")).not_to_contain_text(school.name)
    expect(page.locator("body")).not_to_contain_text("Geheim")


# --- language, phone layout, logout ---------------------------------------------------------


def test_language_switcher_switches_to_english_and_back(page, live_server, login, parent):
    login(page, live_server, parent)
    footer = page.get_by_role("contentinfo")

    # Each language is named in itself, and choosing one switches at once (no button).
    options = footer.locator("#language-select option")
    expect(options).to_have_text(["Nederlands", "English"])
    footer.get_by_label(re.compile(f"^{nl('Language')}")).select_option("en")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name=en("Waiting for you"), exact=True)).to_be_visible()
    english_nav = page.get_by_role("navigation", name=en("Main navigation"), exact=True)
    expect(english_nav.get_by_role("link", name=en("My children"), exact=True)).to_be_visible()

    footer.get_by_label(re.compile(f"^{en('Language')}")).select_option("nl")

    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", name=nl("Waiting for you"), exact=True)).to_be_visible()
    expect(nav_link(page, "My children")).to_be_visible()


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_phone_menu_opens_with_the_keyboard(page, live_server, login, parent, key):
    page.set_viewport_size(PHONE)
    login(page, live_server, parent)
    toggler = main_nav(page).get_by_role("button", name=nl("Show menu"), exact=True)
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(nav_link(page, "My children")).to_be_hidden()

    toggler.focus()
    page.keyboard.press(key)

    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(nav_link(page, "My children")).to_be_visible()
    expect(main_nav(page).get_by_role("button", name=nl("Log out"))).to_be_visible()
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_logout_returns_to_login_and_locks_the_portal(page, live_server, login, director):
    login(page, live_server, director)

    main_nav(page).get_by_role("button", name=nl("Log out"), exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name=nl("Log in"), exact=True)).to_be_visible()
    expect(page.get_by_text(director.email)).to_have_count(0)
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")


def test_director_of_two_schools_gets_my_schools(page, live_server, login, school):
    second = SchoolFactory()
    user = MembershipFactory(role=Role.DIRECTOR, school=school).user
    MembershipFactory(user=user, role=Role.DIRECTOR, school=second)
    login(page, live_server, user)

    schools = region(page, "Your schools")
    for each in [school, second]:
        expect(schools.get_by_role("link", name=each.name, exact=True)).to_be_visible()

    nav_link(page, "My schools").click()

    expect(page).to_have_url(f"{live_server.url}/scholen/")
    for each in [school, second]:
        expect(page.get_by_role("link", name=each.name, exact=True)).to_be_visible()
