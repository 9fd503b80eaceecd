"""Seed 003's approval chain in a real browser, from submission to "gelezen en begrepen".

Everybody works in a browser of their own (director, GMR member, board member, teacher and an
anonymous visitor), logged in through the real form, so each sees only their own pages. Texts
come from the app's Dutch catalogue (`nl`); dates are typed and shown as dd-mm-jjjj.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect
from pypdf import PdfReader

from protocols import wms, workflow
from protocols.models import ProtocolVersion
from schools.models import Council, Role
from tests.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    MembershipFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SchoolFactory,
    SectionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

TITLE = "Protocol sociale media"
GMR_NAME = "GMR Stichting De Linde"
PHOTOS = "Foto's en video's"
PHOTOS_V1 = "We delen foto's van leerlingen alleen met mondelinge toestemming van de ouders."
PHOTOS_V2 = "We delen foto's van leerlingen alleen met schriftelijke toestemming van de ouders."
SUMMARY = "Toestemming voor foto's voortaan schriftelijk."
QUESTION = "Geldt de schriftelijke toestemming ook voor foto's in de klassenapp?"
ANSWER = "Ja, voor elke foto die de school deelt, ook in de klassenapp."
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
NVT_REASON = "De statuten leggen protocollen niet ter goedkeuring aan de RvT voor."


# --- helpers --------------------------------------------------------------------------------


def nl(text: str) -> str:
    """`text` as the Dutch pages show it, taken from the app's own catalogue."""
    with translation.override("nl"):
        return translation.gettext(text)


def nl_plural(singular: str, plural: str, count: int) -> str:
    with translation.override("nl"):
        return translation.ngettext(singular, plural, count)


def dmy(day) -> str:
    """A date as the portal shows it and a user types it: dd-mm-jjjj."""
    return day.strftime("%d-%m-%Y")


def h1(page):
    return page.get_by_role("heading", level=1)


def field(scope, label: str):
    """The form field labelled `label`; a required field's label ends in an asterisk."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def region(scope, name: str):
    return scope.get_by_role("region", name=name, exact=True)


def status_message(page):
    return page.get_by_role("status")


def tasks(page):
    """The home page's "Wacht op jou" list."""
    return region(page, nl("Waiting for you"))


def procedure(page):
    """The version page's procedure panel."""
    return region(page, nl("Approval procedure"))


def step_row(page, name: str):
    """The row of step `name` in the procedure panel's table."""
    table = procedure(page).get_by_role("table", name=nl("Steps of the approval procedure"))
    header = page.get_by_role("rowheader", name=name, exact=True)
    return table.get_by_role("row").filter(has=header)


def step_cells(page, name: str):
    """Step, body, kind, sent on, due on, outcome, decided on."""
    return step_row(page, name).locator("th, td")


def definition(scope, term: str):
    """The <dd> after the <dt> that reads `term`."""
    return scope.locator("dt", has_text=re.compile(rf"^\s*{re.escape(term)}\s*$")).locator(
        "xpath=following-sibling::dd[1]"
    )


def vote_text(members, present, votes_for, against, abstentions) -> str:
    line = nl(
        "%(present)s of %(members)s present; for %(yes)s, against %(no)s, abstentions %(abstained)s"
    ) % {
        "present": present,
        "members": members,
        "yes": votes_for,
        "no": against,
        "abstained": abstentions,
    }
    return f"{line} – {nl('consent granted')}"


def fill_vote(page, geleding: str, *, members, present, votes_for, against, abstentions):
    name = nl("Vote of the section: %(name)s") % {"name": nl(geleding)}
    group = page.get_by_role("group", name=name, exact=True)
    # The portal fills in the section's size from the council's current members.
    expect(field(group, nl("Members of the section"))).to_have_value(str(members))
    field(group, nl("Members present")).fill(str(present))
    field(group, nl("For")).fill(str(votes_for))
    field(group, nl("Against")).fill(str(against))
    field(group, nl("Abstentions")).fill(str(abstentions))


def pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def squeezed(text: str) -> str:
    """`text` without white space: pypdf splits kerned words ("T er advisering")."""
    return re.sub(r"\s+", "", text)


# --- people and protocol --------------------------------------------------------------------


@dataclass
class Seed:
    school: object
    director: object
    board_member: object
    gmr_member: object
    teacher: object
    gmr: Council
    adopted: ProtocolVersion
    draft: ProtocolVersion


def seed_003() -> Seed:
    """A stichting with one school, its people, a GMR of 3 + 3, and a protocol to change.

    Version 1 was adopted earlier; version 2 is a draft that changes one of its two sections.
    Statuses are set through the ORM here only: everything after this goes through the pages.
    """
    school = SchoolFactory(name="Basisschool De Linde")
    stichting = school.stichting
    director = UserFactory(first_name="Dirk", last_name="Directeur")
    MembershipFactory(user=director, role=Role.DIRECTOR, school=school)
    board_member = UserFactory(first_name="Bea", last_name="Bestuurder")
    MembershipFactory(user=board_member, role=Role.BOARD, school=None, stichting=stichting)
    gmr = CouncilFactory(kind=Council.Kind.GMR, school=None, stichting=stichting, name=GMR_NAME)
    gmr_member = UserFactory(first_name="Gerda", last_name="Ouder")
    CouncilMemberFactory(council=gmr, user=gmr_member, geleding="parents")
    for geleding in ["parents"] * 2 + ["staff"] * 3:
        CouncilMemberFactory(council=gmr, geleding=geleding)
    teacher = UserFactory(first_name="Tom", last_name="Leerkracht")
    MembershipFactory(user=teacher, role=Role.STAFF, school=school)
    StaffFactory(user=teacher, school=school)

    protocol = ProtocolFactory(stichting=stichting, school=None, title=TITLE)
    earlier = timezone.localdate() - timedelta(days=400)
    adopted = ProtocolVersionFactory(
        protocol=protocol,
        number=1,
        adopted_on=earlier,
        effective_date=earlier,
        evaluation_date=wms.add_months(earlier, 24),
    )
    SectionFactory(
        version=adopted,
        position=1,
        heading="Uitgangspunten",
        body="Op [naam school] gaan we respectvol met elkaar om, ook online.",
    )
    SectionFactory(version=adopted, position=2, heading=PHOTOS, body=PHOTOS_V1)
    ProtocolVersion.objects.filter(pk=adopted.pk).update(status=ProtocolVersion.Status.ADOPTED)
    draft = ProtocolVersionFactory(protocol=protocol, number=2, based_on=adopted)
    SectionFactory(
        version=draft,
        position=1,
        heading="Uitgangspunten",
        body="Op [naam school] gaan we respectvol met elkaar om, ook online.",
    )
    SectionFactory(version=draft, position=2, heading=PHOTOS, body=PHOTOS_V2)
    return Seed(school, director, board_member, gmr_member, teacher, gmr, adopted, draft)


@pytest.fixture
def browser_of(request, browser, live_server, login):
    """A browser context of one's own per person, logged in through the real login form.

    Like conftest's `page`: Dutch, Amsterdam time, short timeouts, a screenshot per person
    when the test fails.
    """
    opened = []

    def open_for(user=None, name="visitor"):
        context = browser.new_context(
            base_url=live_server.url,
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
            viewport={"width": 1280, "height": 800},
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        opened.append((name, context, page))
        if user is not None:
            login(page, live_server, user)
        return page

    yield open_for
    report = getattr(request.node, "report_call", None)
    for name, context, page in opened:
        if report is not None and report.failed:
            RESULTS_DIR.mkdir(exist_ok=True)
            node = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
            page.screenshot(path=str(RESULTS_DIR / f"{node}-{name}.png"), full_page=True)
        context.close()


# --- the journey ----------------------------------------------------------------------------


def test_seed_003_chain_from_submission_to_reading_confirmation(
    live_server, browser_of, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed = seed_003()  # 1. Set-up; the numbers follow the steps of the chain.
    today = timezone.localdate()
    evaluation = wms.add_months(today, 24)
    version_url = f"{live_server.url}{seed.draft.get_absolute_url()}"

    # 2. The director opens version 2 from the protocol list and submits it for consent.
    director = browser_of(seed.director, "director")
    expect(region(director, nl("Your schools"))).to_contain_text(nl("Director"))
    nav = director.get_by_role("navigation", name=nl("Main navigation"), exact=True)
    nav.get_by_role("link", name=nl("Protocols"), exact=True).click()
    listed = region(director, TITLE)
    expect(listed).to_contain_text(nl("Board-wide, %(name)s") % {"name": seed.school.stichting})
    expect(listed.get_by_role("row").filter(has_text=f"{nl('version')} 1")).to_contain_text(
        nl("Adopted")
    )
    draft_row = listed.get_by_role("row").filter(has_text=f"{nl('version')} 2")
    expect(draft_row).to_contain_text(nl("Draft"))
    draft_row.get_by_role("link", name=f"{nl('version')} 2", exact=True).click()
    expect(director).to_have_url(version_url)
    expect(h1(director)).to_have_text(TITLE)
    expect(director.locator("main p strong").first).to_have_text(nl("Draft"))

    procedure(director).get_by_role("link", name=nl("Submit for the procedure"), exact=True).click()
    expect(h1(director)).to_have_text(nl("Submit for the procedure"))
    field(director, nl("What has changed")).fill(SUMMARY)
    director.get_by_label(nl("for consent (instemmingsrecht)"), exact=True).check()
    expect(field(director, nl("Legal basis (article)"))).to_have_value(workflow.DEFAULT_ARTICLE)
    director.get_by_role("button", name=nl("Submit"), exact=True).click()

    expect(status_message(director)).to_contain_text(
        nl("The version has been submitted; the first step, %(step)s, is open.")
        % {"step": "Directeuren"}
    )
    expect(director.locator("main p strong").first).to_have_text(nl("In procedure"))
    expect(procedure(director)).to_contain_text(
        f"{nl('Submitted for')}: {nl('for consent (instemmingsrecht)')} · "
        f"{workflow.DEFAULT_ARTICLE}"
    )
    expect(step_cells(director, "Directeuren")).to_have_text(
        [
            "Directeuren",
            nl("directors' meeting") + f" ({nl('internal consultation, not statutory')})",
            nl("advice"),
            dmy(today),
            dmy(today + timedelta(days=14)),
            nl("open"),
            "–",
        ]
    )
    expect(step_row(director, "Directeuren")).to_have_attribute("aria-current", "step")
    expect(step_cells(director, "GMR").nth(5)).to_have_text(nl("waiting"))
    for later in ["RvT", "Vaststelling CvB"]:
        expect(step_cells(director, later).nth(5)).to_have_text(nl("waiting"))

    # The director records the directors' advice: positive, today.
    procedure(director).get_by_role(
        "link", name=nl("Record the decision: %(step)s") % {"step": "Directeuren"}, exact=True
    ).click()
    expect(h1(director)).to_have_text(nl("Record the decision: %(step)s") % {"step": "Directeuren"})
    # The browser's date picker takes and sends jjjj-mm-dd.
    field(director, nl("Decided on")).fill(today.isoformat())
    field(director, nl("Outcome")).select_option(label=nl("positive"))
    director.get_by_role("button", name=nl("Check the decision"), exact=True).click()
    director.get_by_role("button", name=nl("Confirm and record"), exact=True).click()

    expect(status_message(director)).to_contain_text(
        nl("The decision on %(step)s has been recorded: %(outcome)s.")
        % {"step": "Directeuren", "outcome": nl("positive")}
    )
    expect(step_cells(director, "Directeuren").nth(5)).to_have_text(nl("positive"))
    expect(step_cells(director, "Directeuren").nth(6)).to_have_text(dmy(today))
    gmr_cells = step_cells(director, "GMR")
    expect(gmr_cells.nth(1)).to_have_text(GMR_NAME)
    expect(gmr_cells.nth(3)).to_have_text(dmy(today))
    expect(gmr_cells.nth(4)).to_have_text(dmy(today + timedelta(days=seed.gmr.term_days)))
    expect(gmr_cells.nth(5)).to_have_text(nl("open"))
    # The director does not sit on the GMR: the council records its own decision.
    expect(
        procedure(director).get_by_role(
            "link", name=nl("Record the decision: %(step)s") % {"step": "GMR"}
        )
    ).to_have_count(0)

    # 3. The GMR member finds the decision waiting for them on the home page.
    member = browser_of(seed.gmr_member, "gmr-member")
    expect(region(member, nl("Your councils"))).to_contain_text(f"{GMR_NAME} · {nl('Parents')}")
    task = nl("Decision of %(council)s on %(protocol)s version %(number)s") % {
        "council": GMR_NAME,
        "protocol": TITLE,
        "number": 2,
    }
    tasks(member).get_by_role("link", name=task, exact=True).click()
    expect(member).to_have_url(version_url)
    expect(region(member, nl("What has changed"))).to_contain_text(SUMMARY)
    expect(
        procedure(member).get_by_role(
            "link", name=nl("Record the decision: %(step)s") % {"step": "GMR"}, exact=True
        )
    ).to_be_visible()

    # The differences from the last adopted version: the changed words, the rest unchanged.
    questions = region(member, nl("Questions from the council"))
    expect(questions).to_contain_text(nl("No questions have been asked yet."))
    questions.get_by_role(
        "link", name=nl("differences from the last adopted version"), exact=True
    ).click()
    expect(h1(member)).to_have_text(
        nl("Changes from version %(old)s to version %(new)s") % {"old": 1, "new": 2}
    )
    changed = region(member, PHOTOS)
    badge = nl("+%(added)s / −%(removed)s words") % {"added": 1, "removed": 1}
    expect(changed.get_by_role("heading")).to_contain_text(badge)
    expect(changed.locator("ins")).to_have_text(f"[{nl('added')}: schriftelijke]")
    expect(changed.locator("del")).to_have_text(f"[{nl('removed')}: mondelinge]")
    expect(region(member, "Uitgangspunten").get_by_role("heading")).to_contain_text(nl("unchanged"))
    member.go_back()

    # The GMR member asks a question about the changed section.
    questions = region(member, nl("Questions from the council"))
    expect(questions.get_by_role("heading", name=nl("Ask a question"))).to_be_visible()
    field(questions, nl("About")).select_option(label=PHOTOS)
    field(questions, nl("Your question")).fill(QUESTION)
    questions.get_by_role("button", name=nl("Send question"), exact=True).click()
    expect(status_message(member)).to_contain_text(nl("Your question has been sent."))
    asked = questions.get_by_role("listitem").filter(has_text=QUESTION)
    expect(questions.get_by_role("heading", name=PHOTOS, exact=True)).to_be_visible()
    expect(asked).to_contain_text("Gerda Ouder")
    expect(asked).to_contain_text(nl("Not answered yet."))

    # The director sees the open question on their home page and answers it.
    director.goto("/")
    open_question = nl_plural(
        "%(count)d unanswered question about %(protocol)s version %(number)s",
        "%(count)d unanswered questions about %(protocol)s version %(number)s",
        1,
    ) % {"count": 1, "protocol": TITLE, "number": 2}
    tasks(director).get_by_role("link", name=open_question, exact=True).click()
    expect(director).to_have_url(f"{version_url}#questions")
    questions = region(director, nl("Questions from the council"))
    asked = questions.get_by_role("listitem").filter(has_text=QUESTION)
    expect(questions.get_by_role("heading", name=nl("Ask a question"))).to_have_count(0)
    field(asked, nl("Your answer")).fill(ANSWER)
    asked.get_by_role("button", name=nl("Send answer"), exact=True).click()
    expect(status_message(director)).to_contain_text(nl("Your answer has been sent."))
    expect(asked).to_contain_text(ANSWER)
    director.goto("/")
    expect(tasks(director).get_by_role("link", name=open_question)).to_have_count(0)

    # The GMR member sees the answer, with who gave it.
    member.reload()
    asked = region(member, nl("Questions from the council")).get_by_role("listitem")
    asked = asked.filter(has_text=QUESTION)
    expect(asked).to_contain_text(f"{nl('Answer')} · Dirk Directeur")
    expect(asked).to_contain_text(ANSWER)
    expect(asked).not_to_contain_text(nl("Not answered yet."))

    # 4. The GMR member records the council's decision, with the vote of each section.
    procedure(member).get_by_role(
        "link", name=nl("Record the decision: %(step)s") % {"step": "GMR"}, exact=True
    ).click()
    expect(h1(member)).to_have_text(nl("Record the decision: %(step)s") % {"step": "GMR"})
    expect(
        member.get_by_text(nl("The outcome follows from the votes of the sections."))
    ).to_be_visible()
    expect(field(member, nl("Outcome"))).to_have_count(0)
    field(member, nl("Decided on")).fill(today.isoformat())
    fill_vote(member, "Parents", members=3, present=3, votes_for=3, against=0, abstentions=0)
    fill_vote(member, "Staff", members=3, present=3, votes_for=2, against=0, abstentions=1)
    member.get_by_role("button", name=nl("Check the decision"), exact=True).click()
    member.get_by_role("button", name=nl("Confirm and record"), exact=True).click()

    expect(status_message(member)).to_contain_text(
        nl("The decision on %(step)s has been recorded: %(outcome)s.")
        % {"step": "GMR", "outcome": nl("granted")}
    )
    outcome = step_cells(member, "GMR").nth(5)
    expect(outcome).to_contain_text(nl("granted"))
    expect(outcome.get_by_role("listitem")).to_have_text(
        [
            f"{nl('Parents')}: {vote_text(3, 3, 3, 0, 0)}",
            f"{nl('Staff')}: {vote_text(3, 3, 2, 0, 1)}",
        ]
    )
    expect(step_cells(member, "GMR").nth(6)).to_have_text(dmy(today))
    expect(step_cells(member, "RvT").nth(5)).to_have_text(nl("open"))
    # Decided: no more questions from the council.
    questions = region(member, nl("Questions from the council"))
    expect(questions.get_by_role("heading", name=nl("Ask a question"))).to_have_count(0)

    # 5. The director marks the RvT's approval n.v.t., with the reason.
    director.goto(seed.draft.get_absolute_url())
    expect(step_row(director, "RvT")).to_have_attribute("aria-current", "step")
    mark = nl("Mark as not applicable: %(step)s") % {"step": "RvT"}
    procedure(director).get_by_text(mark, exact=True).click()
    field(procedure(director), nl("Why this step does not apply")).fill(NVT_REASON)
    procedure(director).get_by_role("button", name=nl("Mark not applicable"), exact=True).click()

    expect(status_message(director)).to_contain_text(
        nl("%(step)s is marked not applicable.") % {"step": "RvT"}
    )
    rvt = step_cells(director, "RvT")
    expect(rvt.nth(5)).to_contain_text("n.v.t.")
    expect(rvt.nth(5)).to_contain_text(f"{nl('Reason')}: {NVT_REASON}")
    expect(rvt.nth(6)).to_have_text(dmy(today))
    expect(step_cells(director, "Vaststelling CvB").nth(5)).to_have_text(nl("open"))
    # Adoption is the board's: the director gets no form for it.
    expect(director.get_by_role("form", name=nl("Adopt this version"), exact=True)).to_have_count(0)

    # 6. The board member adopts it from their home page.
    board = browser_of(seed.board_member, "board-member")
    expect(region(board, nl("Your schools"))).to_contain_text(nl("Board member (CvB)"))
    adopt_task = nl("Adopt %(protocol)s version %(number)s") % {"protocol": TITLE, "number": 2}
    tasks(board).get_by_role("link", name=adopt_task, exact=True).click()
    expect(board).to_have_url(version_url)
    adopt = board.get_by_role("form", name=nl("Adopt this version"), exact=True)
    field(adopt, nl("Adopted on")).fill(today.isoformat())
    field(adopt, nl("In force from")).fill(today.isoformat())
    expect(field(adopt, nl("Evaluation date"))).to_have_value("")
    adopt.get_by_role("button", name=nl("Adopt"), exact=True).click()
    board.get_by_role("button", name=nl("Confirm and adopt"), exact=True).click()

    expect(status_message(board)).to_contain_text(nl("The version has been adopted."))
    expect(board.locator("main p strong").first).to_have_text(nl("Adopted"))
    panel = procedure(board)
    expect(definition(panel, nl("Adopted on"))).to_have_text(dmy(today))
    expect(definition(panel, nl("In force from"))).to_have_text(dmy(today))
    expect(definition(panel, nl("Evaluation"))).to_have_text(dmy(evaluation))
    expect(step_cells(board, "Vaststelling CvB").nth(5)).to_have_text(nl("adopted"))
    expect(step_cells(board, "Vaststelling CvB").nth(6)).to_have_text(dmy(today))
    expect(board.get_by_role("form", name=nl("Adopt this version"))).to_have_count(0)
    board.goto("/")
    expect(tasks(board).get_by_role("link", name=adopt_task)).to_have_count(0)

    # 7. Anyone downloads the school's PDF; its front table has every date of the chain.
    visitor = browser_of(name="visitor")
    visitor.goto("/protocol/")
    visitor.get_by_role("link", name=seed.school.name, exact=True).click()
    expect(h1(visitor)).to_have_text(TITLE)
    expect(visitor.locator("main article p").first).to_contain_text(
        f"{nl('version')} 2 · {nl('Adopted')}"
    )
    expect(visitor.get_by_text(PHOTOS_V2)).to_be_visible()
    older = region(visitor, nl("Earlier adopted versions"))
    expect(older.get_by_role("link", name=f"{TITLE} – {nl('version')} 1")).to_be_visible()
    with visitor.expect_download() as info:
        visitor.get_by_role("link", name=nl("Download as PDF"), exact=True).click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == f"{TITLE} - {seed.school.name} - versie 2.pdf"
    saved = tmp_path / "protocol.pdf"
    download.save_as(saved)
    text = pdf_text(saved)
    front, _contents, body = text.partition(nl("Contents"))
    # Step, outcome and date of each row, in the order of the chain.
    rows = [
        ["Directeuren", f"{nl('For advice')}: {nl('positive')}", dmy(today)],
        [
            "GMR",
            f"{nl('For consent')}: {nl('consent granted')},",
            f"{nl('Parents').lower()} 3-0, {nl('Staff').lower()} 2-0",
            dmy(today),
        ],
        ["RvT", f"{nl('For approval')}: n.v.t.", dmy(today), NVT_REASON],
        ["Vaststelling CvB", nl("adopted"), dmy(today)],
        [nl("Evaluation"), dmy(evaluation)],
    ]
    table = "".join(squeezed(" ".join(row)) for row in rows)
    assert table in squeezed(front), f"not in the PDF's front table: {front!r}"
    for label, day in [("adopted on", today), ("in force from", today)]:
        assert f"{nl(label).capitalize()} {dmy(day)}" in front
    assert f"{nl('evaluation date').capitalize()} {dmy(evaluation)}" in front
    assert PHOTOS_V2 in body

    # 8. The teacher confirms reading the new version.
    teacher = browser_of(seed.teacher, "teacher")
    expect(region(teacher, nl("Your schools"))).to_contain_text(nl("Staff member / teacher"))
    confirm_task = nl("Confirm you have read %(protocol)s version %(number)s (%(school)s)") % {
        "protocol": TITLE,
        "number": 2,
        "school": seed.school.name,
    }
    tasks(teacher).get_by_role("link", name=confirm_task, exact=True).click()
    expect(h1(teacher)).to_have_text(TITLE)
    expect(teacher.get_by_text(PHOTOS_V2)).to_be_visible()
    teacher.get_by_role("button", name=nl("Read and understood"), exact=True).click()

    expect(status_message(teacher)).to_contain_text(
        nl("Thank you: you have confirmed reading this protocol.")
    )
    expect(
        teacher.get_by_text(
            nl("You confirmed on %(day)s that you have read and understood this version.")
            % {"day": dmy(today)}
        )
    ).to_be_visible()
    expect(teacher.get_by_role("button", name=nl("Read and understood"))).to_have_count(0)
    teacher.goto("/")
    expect(tasks(teacher)).to_contain_text(nl("Nothing is waiting for you."))

    # The director's overview shows the teacher as confirmed.
    director.goto(seed.draft.get_absolute_url())
    reading = region(director, nl("Decisions and reading"))
    # Consent came before the adoption: the record has no WMS warning.
    expect(reading.get_by_role("alert")).to_have_count(0)
    expect(reading).to_contain_text(
        nl_plural(
            "%(confirmed)s of %(total)s staff member has confirmed reading this version.",
            "%(confirmed)s of %(total)s staff members have confirmed reading this version.",
            1,
        )
        % {"confirmed": 1, "total": 1}
    )
    reading.get_by_role("link", name=nl("Who has and has not confirmed"), exact=True).click()
    expect(h1(director)).to_have_text(nl("Who has read the protocol"))
    at_school = region(director, seed.school.name)
    expect(at_school).to_contain_text(
        nl_plural(
            "%(confirmed)s of %(total)s staff member has confirmed.",
            "%(confirmed)s of %(total)s staff members have confirmed.",
            1,
        )
        % {"confirmed": 1, "total": 1}
    )
    confirmed = at_school.get_by_role("heading", name=f"{nl('Confirmed')} (1)", exact=True)
    expect(confirmed).to_be_visible()
    expect(
        confirmed.locator("xpath=following-sibling::ul[1]").get_by_role("listitem")
    ).to_have_text([f"Tom Leerkracht · {dmy(today)}"])
    pending = at_school.get_by_role("heading", name=f"{nl('Not confirmed yet')} (0)", exact=True)
    expect(pending.locator("xpath=following-sibling::ul[1]")).to_have_text(nl("Nobody"))
