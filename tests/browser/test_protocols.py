"""Protocols in a real browser: import a Word file, edit, redraft, compare, read and download.

Texts are looked up in the app's own Dutch catalogue (`nl`), so the tests follow what a
director or a parent sees on the Dutch pages.
"""

import re
from datetime import date
from pathlib import Path

import docx
import pytest
from django.utils import translation
from playwright.sync_api import expect
from pypdf import PdfReader

from protocols.models import ProtocolVersion, StoredPdf
from tests.factories import ProtocolFactory, ProtocolVersionFactory, SectionFactory

pytestmark = pytest.mark.browser

INTRO = "Sociale media horen bij school."
CLOSING = "Dit protocol wordt elk jaar besproken."


def nl(text: str) -> str:
    """`text` as the Dutch pages show it, taken from the app's own catalogue."""
    with translation.override("nl"):
        return translation.gettext(text)


def nl_plural(singular: str, plural: str, count: int) -> str:
    with translation.override("nl"):
        return translation.ngettext(singular, plural, count) % {"counter": count}


def h1(page):
    return page.get_by_role("heading", level=1)


def field(scope, label: str):
    """The form field labelled `label`; a required field's label ends in an asterisk."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def section_form(page, legend: str):
    """One section of the formset: a <fieldset> named by its legend (the heading it had)."""
    return page.get_by_role("group", name=legend, exact=True)


def focused(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, limit: int = 30) -> int:
    """Press Tab until `locator` has the focus; the number of presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if focused(locator):
            return presses
    raise AssertionError(f"{locator} not reached with {limit} presses of Tab")


def protocol_docx(path):
    """A small protocol as a school writes it in Word: title, headings, a numbered list."""
    document = docx.Document()
    document.add_heading("Protocol sociale media", level=0)
    document.add_heading("Inleiding", level=1)
    document.add_paragraph(INTRO)
    document.add_heading("Foto's", level=1)
    document.add_paragraph("Vraag eerst toestemming.", style="List Number")
    document.add_paragraph("Zet geen namen bij foto's.", style="List Number")
    document.add_heading("Slot", level=1)
    document.add_paragraph(CLOSING)
    document.save(path)
    return path


# --- import, edit, new draft, diff ----------------------------------------------------------


def test_director_imports_a_docx_corrects_edits_redrafts_and_sees_the_diff(
    page, live_server, login, director, school, tmp_path
):
    source = protocol_docx(tmp_path / "protocol-sociale-media.docx")
    login(page, live_server, director)

    # Protocols → import: the school as target, the Word file, read it.
    nav = page.get_by_role("navigation", name=nl("Main navigation"), exact=True)
    nav.get_by_role("link", name=nl("Protocols"), exact=True).click()
    expect(h1(page)).to_have_text(nl("Protocols"))
    page.get_by_role("link", name=nl("Import a protocol"), exact=True).click()
    expect(h1(page)).to_have_text(nl("Import a protocol"))
    field(page, nl("Protocol of")).select_option(label=school.name)
    field(page, nl("Protocol file")).set_input_files(source)
    page.get_by_role("button", name=nl("Read the file"), exact=True).click()

    # Check the import: the file's text beside the sections found in it.
    expect(h1(page)).to_have_text(nl("Check the import"))
    expect(field(page, nl("Title"))).to_have_value("Protocol sociale media")
    source_panel = page.get_by_role("region", name=nl("Source"), exact=True)
    expect(source_panel.get_by_role("textbox")).to_have_value(re.compile(re.escape(INTRO)))
    found = page.get_by_role("region", name=nl("Sections found"), exact=True)
    for heading in ["Inleiding", "Foto's", "Slot"]:
        expect(field(section_form(found, heading), nl("Heading"))).to_have_value(heading)
    expect(field(section_form(found, "Inleiding"), nl("Text"))).to_have_value(INTRO)
    expect(section_form(found, "Foto's").locator(".section-preview li")).to_have_text(
        ["Vraag eerst toestemming.", "Zet geen namen bij foto's."]
    )

    # Correct one heading, save as a draft.
    field(section_form(found, "Slot"), nl("Heading")).fill("Tot slot")
    page.get_by_role("button", name=nl("Save as draft"), exact=True).click()

    expect(page.get_by_role("status")).to_contain_text(
        nl("The protocol has been saved as a draft.")
    )
    expect(h1(page)).to_have_text("Protocol sociale media")
    expect(page.get_by_text(nl("Draft"), exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Tot slot", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Slot", exact=True)).to_have_count(0)
    expect(page.get_by_text(CLOSING)).to_be_visible()
    version = ProtocolVersion.objects.get(protocol__school=school)
    expect(page).to_have_url(f"{live_server.url}{version.get_absolute_url()}")

    # Edit the draft: the live preview follows the typing.
    page.get_by_role("link", name=nl("Edit draft"), exact=True).click()
    intro = section_form(page, "Inleiding")
    preview = intro.locator(".section-preview")
    expect(preview).to_have_text(INTRO)
    body = field(intro, nl("Text"))
    body.fill("")
    body.press_sequentially("Sociale media horen **ook** bij school.")
    expect(preview).to_have_text("Sociale media horen ook bij school.")
    expect(preview.locator("strong")).to_have_text("ook")
    page.get_by_role("button", name=nl("Save draft"), exact=True).click()

    expect(page.get_by_role("status")).to_contain_text(nl("The draft has been saved."))
    expect(page.get_by_text("Sociale media horen ook bij school.")).to_be_visible()
    expect(page.locator("main strong", has_text="ook")).to_be_visible()

    # Adopted (the workflow will get its own buttons): a new draft starts from it.
    ProtocolVersion.objects.filter(pk=version.pk).update(status=ProtocolVersion.Status.ADOPTED)
    page.reload()
    expect(page.get_by_text(nl("Adopted"), exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=nl("Edit draft"), exact=True)).to_have_count(0)
    page.get_by_role("link", name=nl("Make a new draft from this version"), exact=True).click()
    # It asks first: a click too many must not leave a stray draft.
    expect(h1(page)).to_have_text(nl("Make a new draft from version %(number)s?") % {"number": 1})
    page.get_by_role("button", name=nl("Make the new draft"), exact=True).click()

    expect(page.get_by_role("status")).to_contain_text(
        nl("A new draft has been made; edit it here.")
    )
    expect(h1(page)).to_contain_text(f"{nl('version')} 2")
    closing = field(section_form(page, "Tot slot"), nl("Text"))
    expect(closing).to_have_value(CLOSING)
    closing.fill("Dit protocol wordt elk schooljaar met de MR besproken.")
    page.get_by_role("button", name=nl("Save draft"), exact=True).click()

    expect(page.get_by_role("status")).to_contain_text(nl("The draft has been saved."))
    expect(page.get_by_text(nl("Draft"), exact=True)).to_be_visible()
    expect(
        page.get_by_text("Dit protocol wordt elk schooljaar met de MR besproken.")
    ).to_be_visible()

    # What changed since version 1.
    since = nl("changes since version %(number)s") % {"number": 1}
    page.get_by_role("link", name=since, exact=True).click()

    expect(h1(page)).to_have_text(
        nl("Changes from version %(old)s to version %(new)s") % {"old": 1, "new": 2}
    )
    added = nl_plural("%(counter)s word added", "%(counter)s words added", 4)
    removed = nl_plural("%(counter)s word removed", "%(counter)s words removed", 1)
    expect(page.locator("main p", has_text=added)).to_contain_text(f"{added}, {removed}.")
    changed = page.get_by_role("region", name="Tot slot", exact=True)
    badge = nl("+%(added)s / −%(removed)s words") % {"added": 4, "removed": 1}
    expect(changed.get_by_role("heading")).to_contain_text(badge)
    # Sighted users see underlined and struck-through words; screen readers hear which is which.
    expect(changed.locator("ins")).to_have_count(1)
    expect(changed.locator("ins")).to_be_visible()
    expect(changed.locator("ins")).to_have_text(f"[{nl('added')}: schooljaar met de MR]")
    expect(changed.locator("del")).to_have_count(1)
    expect(changed.locator("del")).to_be_visible()
    expect(changed.locator("del")).to_have_text(f"[{nl('removed')}: jaar]")
    expect(changed).to_contain_text("Dit protocol wordt elk")
    unchanged = page.get_by_role("region", name="Inleiding", exact=True)
    expect(unchanged).to_contain_text(nl("unchanged"))
    expect(unchanged.locator("ins, del")).to_have_count(0)


# --- public page and PDF --------------------------------------------------------------------


def test_visitor_reads_the_public_protocol_and_downloads_the_pdf(
    page, live_server, school, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    protocol = ProtocolFactory(
        stichting=school.stichting, school=school, title="Protocol sociale media"
    )
    version = ProtocolVersionFactory(
        protocol=protocol,
        number=1,
        status=ProtocolVersion.Status.ADOPTED,
        adopted_on=date(2026, 3, 9),
        evaluation_date=date(2027, 3, 9),
    )
    SectionFactory(
        version=version,
        position=1,
        heading="Uitgangspunten",
        body="Op [naam school] gaan we respectvol met elkaar om, ook online.",
    )
    SectionFactory(
        version=version,
        position=2,
        heading="Foto's en video's",
        body="We plaatsen alleen foto's van leerlingen met toestemming van hun ouders.",
    )

    page.goto("/protocol/")
    expect(h1(page)).to_have_text(nl("Social media protocols"))
    page.get_by_role("link", name=school.name, exact=True).click()

    expect(h1(page)).to_have_text("Protocol sociale media")
    for heading in ["Uitgangspunten", "Foto's en video's"]:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(
        page.get_by_text(f"Op {school.name} gaan we respectvol met elkaar om, ook online.")
    ).to_be_visible()
    expect(
        page.get_by_text("We plaatsen alleen foto's van leerlingen met toestemming van hun ouders.")
    ).to_be_visible()
    dates = page.locator("main dl")
    expect(dates).to_contain_text(f"{nl('Adopted on')}09-03-2026")
    expect(dates).to_contain_text(f"{nl('Evaluation')}09-03-2027")

    with page.expect_download() as info:
        page.get_by_role("link", name=nl("Download as PDF"), exact=True).click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == f"Protocol sociale media - {school.name} - versie 1.pdf"
    saved = tmp_path / "download.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    text = " ".join(" ".join(page_.extract_text() for page_ in PdfReader(saved).pages).split())
    assert "Uitgangspunten" in text
    assert f"Op {school.name} gaan we respectvol met elkaar om, ook online." in text
    assert "met toestemming van hun ouders." in text
    assert "09-03-2026" in text
    # The PDF was stored under this test's MEDIA_ROOT, not in the checkout.
    stored = Path(StoredPdf.objects.get(version=version).file.path)
    assert stored.is_relative_to(tmp_path / "media") and stored.is_file()


# --- keyboard -------------------------------------------------------------------------------


def test_import_form_works_with_the_keyboard_and_has_labels(
    page, live_server, login, director, school, tmp_path
):
    source = protocol_docx(tmp_path / "protocol.docx")
    login(page, live_server, director)
    page.goto("/protocollen/importeren/")

    file_input = field(page, nl("Protocol file"))
    target = field(page, nl("Protocol of"))
    submit = page.get_by_role("button", name=nl("Read the file"), exact=True)
    expect(file_input).to_have_attribute("type", "file")
    expect(target).to_have_js_property("tagName", "SELECT")
    expect(submit).to_be_visible()

    # The skip link first, then on through the form in reading order.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name=nl("Skip to content"), exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    tab_to(page, file_input)
    # A keyboard user picks the file in the system dialog; Playwright stands in for that.
    file_input.set_input_files(source)
    assert tab_to(page, target, limit=1) == 1
    page.keyboard.press("ArrowDown")
    expect(target).to_have_value(f"school:{school.pk}")
    expect(target.locator("option:checked")).to_have_text(school.name)
    tab_to(page, submit, limit=5)
    page.keyboard.press("Enter")

    expect(h1(page)).to_have_text(nl("Check the import"))
    found = page.get_by_role("region", name=nl("Sections found"), exact=True)
    expect(section_form(found, "Inleiding")).to_be_visible()
