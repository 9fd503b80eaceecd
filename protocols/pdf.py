"""Protocol versions as PDF (WeasyPrint); an adopted version's PDF is rendered once and stored."""

import re
from urllib.parse import quote

import weasyprint
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from protocols import record
from protocols.diff import diff_versions
from protocols.models import DecisionLogPdf, Protocol, ProtocolVersion, Section, StoredPdf
from protocols.rendering import refuse_network, render_body, render_text
from schools.models import School

# markdown-it's footnote output (see protocols.rendering): references in the text, definitions
# in a list at the end of the body. We move each definition to its first reference and let
# WeasyPrint float it to the bottom of that page (`float: footnote` in print.css).
_FOOTNOTE_LIST = re.compile(
    r'<hr class="footnotes-sep" />\s*<section class="footnotes">\s*'
    r'<ol class="footnotes-list">(?P<items>.*?)</ol>\s*</section>\s*',
    re.S,
)
_FOOTNOTE_ITEM = re.compile(
    r'<li id="(?P<id>fn-[^"]+)" class="footnote-item">(?P<text>.*?)</li>', re.S
)
_FOOTNOTE_REF = re.compile(
    r'<sup class="footnote-ref"><a href="#(?P<id>fn-[^"]+)" id="fnref-[^":]+(?P<again>:\d+)?">'
    r".*?</a></sup>"
)
_BACKREF = re.compile(r'\s*<a href="#fnref-[^"]+" class="footnote-backref">.*?</a>')
_DEFINITION = re.compile(r"^\[\^(?P<label>[^\]\s]+)\]:[ \t]*(?P<text>.*)\n?", re.M)


# The CONCEPT mark on a draft's pages, drawn as strokes in a page background: page decoration,
# not text, so copying, searching or reading the PDF aloud gives no stray letters C, O, N, ...
_LETTERS = {
    "C": "M9,2 A5,7 0 1 0 9,12",
    "O": "M5,0 A4.5,7 0 1 0 5.01,0 Z",
    "N": "M1,14 L1,0 L9,14 L9,0",
    "E": "M9,0 L1,0 L1,14 L9,14 M1,7 L7,7",
    "P": "M1,14 L1,0 L6,0 A3.5,3.5 0 0 1 6,7 L1,7",
    "T": "M0,0 L10,0 M5,0 L5,14",
}
_CONCEPT_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297">'
    '<g transform="rotate(-45 105 148.5) translate(105 148.5) scale(1.7) translate(-49 -7)" '
    'fill="none" stroke="#c80000" stroke-opacity="0.15" stroke-width="2.2" '
    'stroke-linecap="round" stroke-linejoin="round">'
    + "".join(
        f'<path transform="translate({14 * i} 0)" d="{_LETTERS[letter]}"/>'
        for i, letter in enumerate("CONCEPT")
    )
    + "</g></svg>"
)
DRAFT_PAGE_CSS = mark_safe(  # noqa: S308 (a constant of our own)
    "@page { background: url('data:image/svg+xml,"
    + quote(_CONCEPT_SVG)
    + "') no-repeat center / 100% 100%; }"
)
# Tagged PDFs, so screen readers read them in order. A draft or a diff is PDF/UA-1. A stored
# final version must stay archival (PDF/A), and WeasyPrint writes one variant per file, so it
# is PDF/A-3u (Unicode text, so its text can be extracted and read aloud) with the same tags;
# WeasyPrint offers no PDF/A "a" (accessible) level to claim both at once.
DRAFT_VARIANT = "pdf/ua-1"
FINAL_VARIANT = "pdf/a-3u"


def _note_html(text: str) -> str:
    """A footnote's paragraphs as inline HTML, so it fits in a floated span."""
    text = re.sub(r"</p>\s*<p>", "<br>", text.strip())
    return text.removeprefix("<p>").removesuffix("</p>").strip()


def _inline_footnotes(html: str) -> SafeString:
    """Put each footnote text at its first reference, as a `.footnote` span for CSS to float."""
    found = _FOOTNOTE_LIST.search(html)
    if not found:
        return mark_safe(html)  # noqa: S308 (render_body's output, unchanged)
    notes = {
        item.group("id"): _note_html(_BACKREF.sub("", item.group("text")))
        for item in _FOOTNOTE_ITEM.finditer(found.group("items"))
    }

    def reference(match: re.Match[str]) -> str:
        note_id = match.group("id")
        if match.group("again") or note_id not in notes:
            # A second reference to the same note repeats its number (see print.css).
            return f'<a class="footnote-again" href="#{note_id}"></a>'
        return f'<span class="footnote" id="{note_id}">{notes[note_id]}</span>'

    rest = html[: found.start()] + html[found.end() :]
    return mark_safe(_FOOTNOTE_REF.sub(reference, rest))  # noqa: S308 (only our own tags added)


def _split_title_notes(body: str) -> tuple[str, list[str]]:
    """`body` without the footnote definitions nothing in it refers to, and those notes."""
    # The importer puts a note on the title (seed 002) in the first section, unreferenced;
    # markdown-it drops such definitions, so the PDF prints them as notes on the title.
    notes = []

    def take(match: re.Match[str]) -> str:
        if f"[^{match.group('label')}]" in _DEFINITION.sub("", body):
            return match.group(0)
        notes.append(match.group("text"))
        return ""

    return _DEFINITION.sub(take, body), notes


def _school_for(version: ProtocolVersion, school: School | None) -> School | None:
    """The school a PDF is for: a school's own protocol is always for that school."""
    protocol = version.protocol
    if protocol.school_id:
        if school is not None and school.pk != protocol.school_id:
            raise ValueError(f"This protocol belongs to another school than {school.slug}.")
        return protocol.school
    if school is not None and school.stichting_id != protocol.stichting_id:
        raise ValueError(f"School {school.slug} does not belong to this protocol's stichting.")
    return school


def render_version_pdf(version: ProtocolVersion, *, school: School | None = None) -> bytes:
    """The PDF of `version`, for one school (placeholders filled, its addendum) or board-wide."""
    school = _school_for(version, school)
    school_name = school.name if school else None
    sections = list(version.sections.all())
    board = [s for s in sections if s.school_id is None]
    addendum = [s for s in sections if school and s.school_id == school.pk]
    title_notes: list[str] = []

    def section_context(section: Section) -> dict:
        body, notes = _split_title_notes(section.body)
        title_notes.extend(_note_html(render_body(note, school_name=school_name)) for note in notes)
        # The prefix keeps footnote ids unique across sections.
        html = render_body(body, school_name=school_name, prefix=f"s{section.position}")
        return {
            "anchor": f"section-{section.position}",
            "heading": render_text(section.heading, school_name=school_name),
            "audience": section.get_audience_display() if section.audience else "",
            "body": _inline_footnotes(html),
        }

    # The PDF is an official Dutch document whatever language the person asking for it uses.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "version": version,
            "stichting": version.protocol.stichting,
            "school": school,
            "title": render_text(version.protocol.title, school_name=school_name),
            "approval_rows": record.trail_rows(version, sections=board),
            "sections": [section_context(s) for s in board],
            "addendum": [section_context(s) for s in addendum],
            "title_notes": [mark_safe(note) for note in title_notes],  # noqa: S308 (render_body)
            "draft_page_css": "" if version.is_final else DRAFT_PAGE_CSS,
        }
        html = render_to_string("protocols/pdf/version.html", context)
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=refuse_network)
    # Final versions are stored, so they are written as PDF/A; drafts as PDF/UA. Both tagged.
    variant = FINAL_VARIANT if version.is_final else DRAFT_VARIANT
    return document.write_pdf(pdf_variant=variant, pdf_tags=True)


def render_diff_pdf(old: ProtocolVersion, new: ProtocolVersion) -> bytes:
    """The changes from `old` to `new` as a PDF appendix: underlined added, struck removed."""
    diff = diff_versions(old, new)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "old": old,
            "new": new,
            "stichting": new.protocol.stichting,
            "title": new.protocol.title,
            "diff": diff,
            "words_added": sum(d.words_added for d in diff),
            "words_removed": sum(d.words_removed for d in diff),
            "draft_page_css": "" if new.is_final else DRAFT_PAGE_CSS,
        }
        html = render_to_string("protocols/pdf/diff.html", context)
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=refuse_network)
    return document.write_pdf(pdf_variant=DRAFT_VARIANT, pdf_tags=True)


def find_stored_pdf(version: ProtocolVersion, *, school: School | None = None) -> StoredPdf | None:
    """The final version's stored PDF for `school` (see `stored_pdf`), if it is stored yet."""
    return StoredPdf.objects.filter(version=version, school=_school_for(version, school)).first()


def stored_pdf(version: ProtocolVersion, *, school: School | None = None) -> StoredPdf:
    """The stored PDF of a final version, rendered and saved on first use; ValueError otherwise."""
    if not version.is_final:
        raise ValueError("Only an adopted or superseded version has a stored PDF.")
    school = _school_for(version, school)
    existing = StoredPdf.objects.filter(version=version, school=school).first()
    if existing:
        return existing
    pdf = render_version_pdf(version, school=school)
    stored = StoredPdf(version=version, school=school)
    stored.file.save("version.pdf", ContentFile(pdf), save=False)  # named by upload_to
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:
        # Another request stored it first: serve theirs and drop our copy of the file.
        stored.file.delete(save=False)
        return StoredPdf.objects.get(version=version, school=school)
    return stored


def stored_log_pdf(protocol: Protocol, state: str) -> DecisionLogPdf | None:
    """The stored PDF of the decision log in `state` (`record.log_state`), if any."""
    return protocol.log_pdfs.filter(fingerprint=state).first()


def store_log_pdf(protocol: Protocol) -> DecisionLogPdf:
    """Render the decision log as it is now and store it, unless it already is; older PDFs of
    the log are deleted, since they show a state that has passed."""
    state, log = record.pdf_log(protocol)
    stored = stored_log_pdf(protocol, state)
    if stored is None:
        html = record.log_html(protocol, log)
        document = weasyprint.HTML(string=html, base_url=None, url_fetcher=refuse_network)
        stored = DecisionLogPdf(protocol=protocol, fingerprint=state)
        stored.file.save("besluitenlijst.pdf", ContentFile(document.write_pdf()), save=False)
        try:
            with transaction.atomic():
                stored.save()
        except IntegrityError:
            # Another worker stored the same state first: keep theirs.
            stored.file.delete(save=False)
            return protocol.log_pdfs.get(fingerprint=state)
    for old in protocol.log_pdfs.exclude(pk=stored.pk):
        old.file.delete(save=False)
        old.delete()
    return stored
