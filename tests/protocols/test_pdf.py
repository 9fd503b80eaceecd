"""Tests for protocols.pdf: the five source protocols printed back, page furniture, stored PDFs."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation
from pypdf import PdfReader

from protocols import drafts, importer
from protocols.models import ProtocolVersion, Section, StoredPdf
from protocols.pdf import render_version_pdf, stored_pdf
from protocols.rendering import refuse_network
from tests.factories import SchoolFactory
from tests.seeds import SEEDS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

SEED_FILES = sorted(SEEDS.glob("*.txt"))
OWN_PROTOCOL_SEEDS = {"000", "002"}  # one school's own protocol; the others are board-wide
Status = ProtocolVersion.Status
DEFINITION = re.compile(r"^\[\^\d+\]:\s*(.*)$", re.M)


def _seed(prefix: str) -> Path:
    return next(path for path in SEED_FILES if path.name.startswith(prefix))


def _import(path: Path, school) -> tuple[importer.ImportResult, ProtocolVersion]:
    result = importer.import_text(path.read_text(encoding="utf-8"))
    own = path.name[:3] in OWN_PROTOCOL_SEEDS
    version = drafts.save_import(
        result=result, stichting=school.stichting, school=school if own else None
    )
    return result, version


def _make_final(version: ProtocolVersion) -> ProtocolVersion:
    # No workflow module yet: set the status directly, as adoption will.
    version.status = Status.ADOPTED
    version.save(update_fields=["status"])
    return version


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _squash(text: str) -> str:
    """Text without whitespace or soft hyphens: line breaks and kerning gaps ("T er") vanish."""
    return re.sub(r"[\s\u00ad]+", "", text).replace("n.v.t.", "nvt")


def _flat(text: str) -> str:
    """`_squash`, and digits glued to a letter dropped: footnote calls ("persoonsgegevens2")."""
    return _squash(re.sub(r"(?<=[^\W\d_])\d+", "", text))


def _body_text(pages: list[str], notes: list[str]) -> str:
    """The reading text of a PDF: without the footer, CONCEPT, list markers and footnotes."""
    furniture = re.compile(r"^\s*(?:CONCEPT|pagina \d+ van \d+|\d+\.|[•◦▪‣–-])\s*$", re.M)
    text = _flat("\n".join(furniture.sub("", page) for page in pages))
    for note in notes:
        text = re.sub(r"\d+\." + re.escape(_flat(note)), "", text, count=1)
    return text


def _expected_sentences(result: importer.ImportResult) -> list[str]:
    """Sentences of the import in reading order; footnote definitions are checked apart."""
    parts = [result.title]
    parts += [record.text for record in result.procedure if not record.also_in_body]
    for section in result.sections:
        parts += [section.heading, DEFINITION.sub("", section.body)]
    return [sentence for part in parts for sentence in importer.sentences(part)]


def _footnotes(result: importer.ImportResult) -> list[str]:
    return [note for section in result.sections for note in DEFINITION.findall(section.body)]


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda path: path.name[:3])
def test_pdf_keeps_every_sentence_of_a_seed_in_order(path, school):
    result, version = _import(path, school)
    text = _body_text(_pages(render_version_pdf(version)), _footnotes(result))
    missing, position = [], 0
    for sentence in _expected_sentences(result):
        found = text.find(_flat(sentence), position)
        if found == -1:
            missing.append(sentence)
        else:
            position = found + len(_flat(sentence))
    assert missing == []


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda path: path.name[:3])
def test_pdf_prints_every_footnote_of_a_seed_once(path, school):
    result, version = _import(path, school)
    text = _squash("".join(_pages(render_version_pdf(version))))
    counts = [text.count(_squash(note)) for note in _footnotes(result)]
    assert counts == [1] * len(counts)


def test_footnotes_are_at_the_foot_of_the_page_that_calls_them(school):
    _result, version = _import(_seed("002"), school)
    pages = [_squash(page) for page in _pages(render_version_pdf(version))]
    calls_and_notes = [
        ("Protocol1", "1.Ditmodelisindebasis"),  # the note on the title
        ("persoonsgegevens2", "2.„Persoonsgegevens”"),
        ("hij3", "3.Voordeleesbaarheid"),
        ("maatregelen4", "4.Zieook"),
    ]
    placed = [
        (
            [i for i, page in enumerate(pages) if call in page],
            [i for i, page in enumerate(pages) if note in page],
        )
        for call, note in calls_and_notes
    ]
    assert all(len(calls) == 1 and calls == notes for calls, notes in placed), placed


def test_second_reference_to_a_footnote_repeats_its_number(school):
    section = importer.ImportedSection(heading="Noten", body="Een[^1] en weer[^1].\n\n[^1]: Noot.")
    result = importer.ImportResult(title="Proef", sections=[section], procedure=[])
    version = drafts.save_import(result=result, stichting=school.stichting)
    text = _squash(_pages(render_version_pdf(version))[0])
    assert (text.count("Een1enweer1."), text.count("1.Noot.")) == (1, 1)


def _draws_a_background(page) -> bool:
    """True when the page draws an image as an artifact: decoration, not text to read."""
    content = page.get_contents().get_data()
    return re.search(rb"/Artifact\s+BMC[^E]*?/x\d+ Do\s+EMC", content) is not None


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_PROCEDURE])
def test_unfinished_version_has_concept_on_every_page(school, status):
    _result, version = _import(_seed("004"), school)
    version.status = status
    version.save(update_fields=["status"])
    pages = PdfReader(io.BytesIO(render_version_pdf(version))).pages
    assert [_draws_a_background(page) for page in pages] == [True] * len(pages)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_PROCEDURE])
def test_concept_mark_gives_no_letters_when_the_text_is_extracted(school, status):
    _result, version = _import(_seed("004"), school)
    version.status = status
    version.save(update_fields=["status"])
    text = "\n".join(_pages(render_version_pdf(version)))
    stray = re.findall(r"^\s*[CONEPT]\s*$", text, re.M)
    assert ("CONCEPT" in text, re.search(r"C\s*O\s*N\s*C\s*E\s*P\s*T", text), stray) == (
        False,
        None,
        [],
    )


def test_final_version_has_no_concept_mark(school):
    _result, version = _import(_seed("004"), school)
    pages = PdfReader(io.BytesIO(render_version_pdf(_make_final(version)))).pages
    assert [_draws_a_background(page) for page in pages] == [False] * len(pages)


@pytest.mark.parametrize("final", [False, True])
def test_version_pdf_is_tagged_for_screen_readers(school, final):
    _result, version = _import(_seed("003"), school)
    if final:
        _make_final(version)
    root = PdfReader(io.BytesIO(render_version_pdf(version))).trailer["/Root"]
    assert ("/StructTreeRoot" in root, root["/MarkInfo"]["/Marked"], root["/Lang"]) == (
        True,
        True,
        "nl",
    )


def test_draft_pdf_claims_pdf_ua(school):
    _result, version = _import(_seed("003"), school)
    reader = PdfReader(io.BytesIO(render_version_pdf(version)))
    assert b"pdfuaid:part" in reader.trailer["/Root"]["/Metadata"].get_data()


@pytest.mark.parametrize("final, pdf_a", [(False, False), (True, True)])
def test_only_final_version_is_written_as_pdf_a(school, final, pdf_a):
    _result, version = _import(_seed("003"), school)
    if final:
        _make_final(version)
    reader = PdfReader(io.BytesIO(render_version_pdf(version)))
    assert ("/OutputIntents" in reader.trailer["/Root"]) is pdf_a


def test_footer_numbers_pages_out_of_the_total(school):
    _result, version = _import(_seed("004"), school)
    pages = _pages(render_version_pdf(version))
    n = len(pages)
    assert (f"pagina 1 van {n}" in pages[0], f"pagina {n} van {n}" in pages[-1]) == (True, True)


def test_approval_table_of_seed_003(school):
    _result, version = _import(_seed("003"), school)
    first_page = _squash(_pages(render_version_pdf(version))[0])
    rows = [
        "Directeuren Ter advisering 23-01-2026",
        "GMR Ter instemming 11-02-2026",
        "RvT n.v.t.",
        "Vaststelling CvB 23-02-2026",
        "Evaluatie 23-02-2028",
    ]
    positions = [first_page.find(_squash(row)) for row in rows]
    assert -1 not in positions and positions == sorted(positions), positions


def test_title_block_shows_adoption_and_evaluation_dates(school):
    _result, version = _import(_seed("003"), school)
    version.adopted_on, version.evaluation_date = date(2026, 2, 23), date(2028, 2, 23)
    version.save(update_fields=["adopted_on", "evaluation_date"])
    first_page = _squash(_pages(render_version_pdf(version))[0])
    expected = ["Vastgesteld op 23-02-2026", "Evaluatiedatum 23-02-2028"]
    assert [_squash(line) in first_page for line in expected] == [True, True]


def test_pdf_is_dutch_whatever_language_is_active(school):
    _result, version = _import(_seed("003"), school)
    with translation.override("en"):
        first_page = _pages(render_version_pdf(version))[0]
    assert "Besluitvorming" in first_page


def test_approval_table_says_when_no_steps_are_recorded(school):
    _result, version = _import(_seed("000"), school)
    sentence = "Voor deze versie zijn geen stappen van de besluitvorming vastgelegd."
    assert _squash(sentence) in _squash(_pages(render_version_pdf(version))[0])


def test_placeholder_is_filled_with_the_school_name(school):
    _result, version = _import(_seed("001"), school)
    text = _squash("".join(_pages(render_version_pdf(version, school=school))))
    expected = _squash(f"Protocol Sociale Media {school.name}")
    assert (expected in text, "[naamschool]" in text) == (True, False)


def test_placeholder_stays_in_the_board_wide_pdf(school):
    _result, version = _import(_seed("001"), school)
    text = _squash("".join(_pages(render_version_pdf(version))))
    assert "ProtocolSocialeMedia[naamschool]" in text


def test_school_addendum_follows_the_board_text(school):
    _result, version = _import(_seed("003"), school)
    other = SchoolFactory(stichting=school.stichting)
    Section.objects.create(version=version, position=100, school=school, body="Eigen regel.")
    Section.objects.create(version=version, position=101, school=other, body="Andere regel.")
    text = _squash("".join(_pages(render_version_pdf(version, school=school))))
    board_end = text.rfind("bijdepolitiewordengedaan.")  # the last words of seed 003
    order = [board_end, text.rfind(_squash(f"Aanvulling van {school.name}")), text.find("Eigen")]
    assert (-1 not in order, order == sorted(order), "Andereregel" in text) == (True, True, False)


def test_board_wide_pdf_has_no_school_addendum(school):
    _result, version = _import(_seed("003"), school)
    Section.objects.create(version=version, position=100, school=school, body="Eigen regel.")
    text = _squash("".join(_pages(render_version_pdf(version))))
    assert "Eigenregel" not in text


def test_pdf_metadata_has_title_and_language(school):
    _result, version = _import(_seed("002"), school)
    reader = PdfReader(io.BytesIO(render_version_pdf(version)))
    metadata = (reader.metadata.title, reader.trailer["/Root"]["/Lang"])
    assert metadata == (version.protocol.title, "nl")


def test_rendering_refuses_to_fetch_over_the_network():
    with pytest.raises(ValueError):
        refuse_network("https://example.org/logo.png")


def test_stored_pdf_is_rendered_once(school, django_assert_num_queries):
    _result, version = _import(_seed("003"), school)
    first = stored_pdf(_make_final(version))
    content = first.file.read()
    with django_assert_num_queries(1):  # one lookup: nothing is rendered or saved again
        second = stored_pdf(version)
    assert (StoredPdf.objects.count(), second.pk, second.file.read()) == (1, first.pk, content)


def test_stored_pdf_refuses_a_draft(school):
    _result, version = _import(_seed("003"), school)
    with pytest.raises(ValueError):
        stored_pdf(version)


def test_stored_pdf_is_kept_per_school(school):
    _result, version = _import(_seed("001"), school)
    _make_final(version)
    stored = [stored_pdf(version), stored_pdf(version, school=school)]
    assert [pdf.school for pdf in stored] == [None, school]
