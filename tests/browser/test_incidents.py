"""An incident from report to figures, in a real browser: the teacher reports on a phone, the
anti-bullying coordinator handles it, the director closes it, the board sees it counted."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from incidents import workflow
from incidents.models import Incident
from schools.models import Role
from tests.factories import MembershipFactory, PupilFactory, StaffFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def nl(text: str) -> str:
    with translation.override("nl"):
        return translation.gettext(text)


@pytest.fixture
def people(school, group, teacher, director, board_member):
    workflow.ensure_default_categories(school.stichting)
    coordinator = MembershipFactory(school=school, role=Role.ANTI_BULLYING).user
    StaffFactory(user=coordinator, school=school, function="intern begeleider")
    victim = PupilFactory(school=school, group=group, first_name="Fenna", last_name="Blom")
    suspect = PupilFactory(school=school, group=group, first_name="Teun", last_name="van Dijk")
    return coordinator, victim, suspect


def test_incident_from_report_to_board_figures(
    page, live_server, login, school, teacher, director, board_member, people
):
    coordinator, victim, suspect = people
    # A teacher reports on a phone: two pupils in different roles.
    page.set_viewport_size(PHONE)
    login(page, live_server, teacher)
    page.goto(f"{live_server.url}/scholen/{school.slug}/melden/")
    page.locator("[name=place]").select_option("online")
    page.locator("[name=platform]").select_option("whatsapp")
    page.get_by_label("Cyberpesten", exact=True).check()
    page.locator("[name=description]").fill("In de klassenapp wordt Fenna steeds uitgelachen.")
    page.locator("[name=people-0-role]").select_option("victim")
    page.locator("[name=people-0-kind]").select_option("pupil")
    page.locator("[name=people-0-pupil]").select_option(str(victim.pk))
    page.locator("[name=people-1-role]").select_option("suspect")
    page.locator("[name=people-1-kind]").select_option("pupil")
    page.locator("[name=people-1-pupil]").select_option(str(suspect.pk))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name=nl("Send report")).click()
    expect(page.get_by_text(nl("Thank you. Your report has been sent."))).to_be_visible()
    incident = Incident.objects.get()
    expect(page.get_by_test_id("involvements")).to_contain_text(victim.full_name)
    expect(page.get_by_test_id("involvements")).to_contain_text(suspect.full_name)
    page.context.clear_cookies()

    # The anti-bullying coordinator records a conversation and a measure.
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, live_server, coordinator)
    page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    chronology = page.locator("#chronology")
    chronology.locator("[name=kind]").select_option("pupil")
    chronology.locator("[name=text]").fill("Gesprek met Teun over de berichten.")
    chronology.get_by_role("button", name=nl("Add to the chronology")).click()
    expect(page.get_by_text(nl("Added to the chronology."))).to_be_visible()
    measures = page.locator("#measures")
    measures.get_by_text(nl("New measure"), exact=True).click()
    measures.locator("[name=kind]").select_option("talk")
    measures.locator("[name=pupil]").select_option(str(suspect.pk))
    measures.get_by_role("button", name=nl("Record measure")).click()
    expect(page.locator("#measures .list-group")).to_contain_text(nl("Conversation (gesprek)"))
    page.context.clear_cookies()

    # The director completes the checklist and closes the incident.
    login(page, live_server, director)
    page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    page.locator("#close").get_by_role("button", name=nl("Close the incident")).click()
    expect(page.get_by_test_id("closing-problems")).to_be_visible()
    duty = page.get_by_test_id("duty-parents_informed")
    duty.locator("summary").click()
    duty.locator("select").select_option("done")
    duty.get_by_role("button", name=nl("Save")).click()
    expect(page.get_by_text(nl("Checklist updated."))).to_be_visible()
    page.locator("[name=evaluation]").fill("Excuses gemaakt; de app is opgeschoond.")
    page.locator("#close").get_by_role("button", name=nl("Close the incident")).click()
    expect(page.get_by_text(nl("The incident has been closed."))).to_be_visible()
    page.context.clear_cookies()

    # The board sees it counted, without names.
    login(page, live_server, board_member)
    page.goto(f"{live_server.url}/bestuur/{school.stichting.slug}/incidenten/cijfers/")
    expect(page.get_by_test_id("total")).to_contain_text("1")
    main = page.locator("main").inner_text()
    assert (victim.last_name in main, suspect.last_name in main, "Cyberpesten" in main) == (
        False,
        False,
        True,
    )
