"""Turn a protocol's plain text or .docx file into a title, sections and an approval trail.

Pure Python (no Django), so the demo loader, the upload form and the round-trip tests share one
importer. The rules are tuned on the five source protocols in shared/seeds and err on the side of
keeping text: a line that is not clearly a heading, list item or procedure line stays in a
paragraph, and only whitespace and list markers ever change. Extraction noise ("Hetis",
"codrdinator") is kept as written.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import docx
from django.utils.translation import gettext_noop  # marks messages only; no settings needed
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

AUDIENCES = ("alle gebruikers", "leerlingen", "ouders", "medewerkers")


@dataclass
class ImportedSection:
    heading: str  # as written in the source; "" for text before the first heading
    audience: str = ""  # "" or one of AUDIENCES, when the heading clearly addresses one group
    # Markdown subset: paragraphs split by a blank line, "1. " and "- " list items, "[^1]"
    # footnote references and "[^1]: text" definitions at the end.
    body: str = ""


@dataclass
class ProcedureRecord:
    text: str  # the source line(s) as written, whitespace normalised
    step: str  # best-effort label: "GMR", "Vaststelling CvB", "kenniskring ICT", ...
    date: datetime.date | None
    outcome: str = ""  # as written: "Ter advisering", "instemming", "nvt", ...
    # True when the text is an ordinary sentence that also stays in a section body (seed 001's
    # "besproken op het CDO van 17-09-2013"); such records are not counted twice in result_text.
    also_in_body: bool = False


@dataclass
class ImportResult:
    title: str
    sections: list[ImportedSection]
    procedure: list[ProcedureRecord]


# --- Dates ---------------------------------------------------------------------------------------

MONTHS = {
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
_MONTH = "|".join(MONTHS)
_DATE = rf"\d{{1,2}}-\d{{1,2}}-\d{{4}}|\d{{1,2}}\s+(?:{_MONTH})\s+\d{{4}}"
DATE_RE = re.compile(rf"\b(?:{_DATE})\b", re.IGNORECASE)


def parse_date(text: str) -> datetime.date | None:
    """The first Dutch date in `text` ("23-01-2026", "8 oktober 2019"), or None."""
    match = DATE_RE.search(text)
    if not match:
        return None
    parts = match.group().replace("-", " ").split()
    day, month, year = parts
    month_number = int(month) if month.isdigit() else MONTHS[month.lower()]
    try:
        return datetime.date(int(year), month_number, int(day))
    except ValueError:  # "31-02-2020": not a date, keep the text only
        return None


# --- Lines and blocks ----------------------------------------------------------------------------

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_DIGITS = str.maketrans(SUPERSCRIPTS, "0123456789")

# A bullet is a lone glyph followed by whitespace; "e-mail", "o.a." and "een" are not bullets.
# "o", "¢" and "e" are how PDF extraction renders Word's bullet symbols.
BULLET_RE = re.compile(r"^[o¢e•·▪◦●*\-\uf0b7]\s+(?=\S)")
NUMBER_RE = re.compile(r"^(\d{1,2})[.)]\s+(?=\S)")
MARKER_RE = re.compile(r"^(\d{1,2})[.)]$")  # a number whose text ended up on a later line
LETTER_RE = re.compile(r"^[a-z][.)]\s+(?=\S)")
FOOTNOTE_RE = re.compile(rf"^([{SUPERSCRIPTS}]+)\s+(?=\S)")
FOOTNOTE_REF_RE = re.compile(rf"(?<=\S)([{SUPERSCRIPTS}]+)")
LETTERED_HEADING_RE = re.compile(r"^[A-Z]\.\s+\S")

# Wrapped lines in the PDF extractions are 80-100 characters wide; a shorter line that is not the
# end of a paragraph was a hard line break (seed 001: "bijzonder in opvang en onderwijs" /
# "Bijlage" / "Protocol Sociale Media [naam school]").
HARD_BREAK_WIDTH = 60

# Block kinds
TEXT = "text"
HEADING = "heading"
NUMBER = "number"
BULLET = "bullet"
MARKER = "marker"
FOOTNOTE = "footnote"
TABLE = "table"
LIST_KINDS = (NUMBER, BULLET, MARKER)


@dataclass
class _Block:
    kind: str
    lines: list[str]  # whitespace-normalised source lines, list marker removed
    label: str = ""  # the number of a numbered item, the digits of a footnote definition

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    def markdown(self) -> str:
        if self.kind == NUMBER:
            return f"{self.label}. {self.text}"
        if self.kind == BULLET:
            return f"- {self.text}"
        return self.text


def _normalise(line: str) -> str:
    return " ".join(line.split())


def _hard_break(previous: str, line: str, indented: bool) -> bool:
    if len(previous) < HARD_BREAK_WIDTH:
        return True
    # A page break leaves a leading space; after a finished sentence it starts a new paragraph.
    return indented and previous[-1] in ".!?;:" and line[0].isupper()


def _split_blocks(raw_lines: list[str]) -> list[_Block]:
    """Group lines into paragraphs, list items, footnote definitions and tab tables."""
    blocks: list[_Block] = []
    current: _Block | None = None  # the block that may still take wrapped lines
    previous = ""
    i = 0
    while i < len(raw_lines):
        raw = raw_lines[i]
        if "\t" in raw and raw.strip():
            end = i
            while end < len(raw_lines) and "\t" in raw_lines[end] and raw_lines[end].strip():
                end += 1
            rows = raw_lines[i:end]
            if len(rows) >= 2 and any(DATE_RE.search(row) for row in rows):
                blocks.append(_Block(TABLE, rows))
                current, i = None, end
                continue
        line = _normalise(raw)
        i += 1
        if not line:
            current = None
            continue
        indented = raw[:1].isspace()
        if match := FOOTNOTE_RE.match(line):
            current = _Block(FOOTNOTE, [line[match.end() :]], label=match.group(1))
        elif match := MARKER_RE.match(line):
            current = None
            blocks.append(_Block(MARKER, [], label=match.group(1)))
        elif match := NUMBER_RE.match(line):
            current = _Block(NUMBER, [line[match.end() :]], label=match.group(1))
        elif match := BULLET_RE.match(line):
            current = _Block(BULLET, [line[match.end() :]])
        elif LETTER_RE.match(line):
            current = _Block(BULLET, [line])  # keep the letter: "- c. gepest wordt;"
        elif current is not None and not _hard_break(previous, line, indented):
            current.lines.append(line)
        else:
            current = _Block(TEXT, [line])
        if current is not None and (not blocks or blocks[-1] is not current):
            blocks.append(current)
        previous = line
    return blocks


# --- Procedure (approval trail) ------------------------------------------------------------------

PROCEDURE_WORDS = (
    "aanpassing",
    "advies",
    "advisering",
    "besproken",
    "evaluatie",
    "goedgekeurd",
    "goedkeuring",
    "instemming",
    "vastgesteld",
    "vaststelling",
    "voorgelegd",
)
_OUTCOMES = "instemming|vaststelling|advisering|advies|goedkeuring"
_PROCEDURE_PATTERNS = [
    # "Besproken in directeurenoverleg: 7 juni 2016", "Besproken in kenniskring ICT"
    re.compile(r"^(?P<outcome>Besproken) in (?P<step>.+?)(?:\s*:\s*(?P<date>.+))?$", re.I),
    # "GMR instemming: 23 januari 2017", "CvB vaststelling : 30 januari 2017"
    re.compile(rf"^(?P<step>.+?)\s+(?P<outcome>{_OUTCOMES})\s*:\s*(?P<date>.+)$", re.I),
    # "Alle aanpassingen zijn verwerkt daarna voorgelegd aan GMR"
    re.compile(r"\b(?P<outcome>voorgelegd) aan (?:de |het )?(?P<step>.+)$", re.I),
    # "Dit protocol is met instemming van de (G)MR op 8 oktober 2019 tot stand gekomen"
    re.compile(
        rf"^Dit (?:protocol|beleid) is met (?P<outcome>instemming) van de (?P<step>\S+)"
        rf" op (?P<date>{_DATE})",
        re.I,
    ),
    # "Vastgesteld door het CvB op 1 mei 2020."
    re.compile(
        rf"\b(?P<outcome>vastgesteld|goedgekeurd) door (?:de |het )?(?P<step>.+?)"
        rf" (?:op|d\.d\.) (?P<date>{_DATE})",
        re.I,
    ),
    # "Aanpassing: 17 mei 2016: protocol gebruik internet en sociale media"
    re.compile(rf"^(?P<step>[^:]+?)\s*:\s*(?P<date>{_DATE})\b", re.I),
]
CLOSING_RE = re.compile(rf"^Dit (?:protocol|beleid) is\b.*\bop (?:{_DATE})\b", re.I)
# "Amstelveen 17 oktober 2019", "Den Helder, versie juni 2013"
SIGNATURE_RE = re.compile(
    rf"^[A-Z][\w' -]*?,?\s+(?P<version>versie\s+)?(?:{_DATE}|(?:{_MONTH})\s+\d{{4}})$", re.I
)
# Sentences that record a step but belong to the body text (seed 001).
_IN_BODY_PATTERNS = [
    (
        re.compile(
            rf"\b(?P<outcome>besproken) (?:op|in) (?:het |de )?(?P<step>\S+)"
            rf" (?:van|op) (?P<date>{_DATE})",
            re.I,
        ),
        "",
    ),
    (re.compile(r"\bper (?P<date>\d{1,2}-\d{1,2}-\d{4})\b"), "Inwerkingtreding"),
]


def _looks_procedural(text: str) -> bool:
    """A short line that records a step: "GMR instemming: 23 januari 2017"."""
    if len(text) > 120 or re.search(r"[.!?;]\s", text):
        return False
    has_date = bool(DATE_RE.search(text))
    has_word = any(word in text.lower() for word in PROCEDURE_WORDS)
    if text.endswith("."):
        # A sentence only when it names both: "Vastgesteld door het CvB op 1 mei 2020."
        return has_date and has_word
    return has_date or has_word


def _procedure_line(text: str) -> ProcedureRecord:
    for pattern in _PROCEDURE_PATTERNS:
        match = pattern.search(text)
        if match:
            groups = match.groupdict()
            return ProcedureRecord(
                text=text,
                step=groups["step"].strip(),
                date=parse_date(groups.get("date") or ""),
                outcome=(groups.get("outcome") or "").strip(),
            )
    signature = SIGNATURE_RE.match(text)
    if signature and not any(word in text.lower() for word in PROCEDURE_WORDS):
        # A closing "place, date" line: seed 002's is the publication date.
        step = "Versie" if signature.group("version") else "Publicatie"
        return ProcedureRecord(text=text, step=step, date=parse_date(text))
    step = re.sub(r"\s+(?:op|per)$", "", DATE_RE.sub("", text).strip(" :.,"))
    return ProcedureRecord(text=text, step=step, date=parse_date(text))


def _procedure_table(rows: list[str]) -> list[ProcedureRecord]:
    """Seed 003's table: a step cell, then its outcome and date on the same or the next row."""
    records: list[ProcedureRecord] = []
    pending: list[str] | None = None
    for row in rows:
        cells = [_normalise(cell) for cell in row.split("\t") if cell.strip()]
        if pending is None and len(cells) < 2:
            pending = cells
            continue
        cells = (pending or []) + cells
        pending = None
        records.append(_table_record(cells))
    if pending:
        records.append(_table_record(pending))
    return records


def _table_record(cells: list[str]) -> ProcedureRecord:
    rest = [cell for cell in cells[1:] if not DATE_RE.fullmatch(cell)]
    return ProcedureRecord(
        text=" ".join(cells),
        step=cells[0],
        date=parse_date(" ".join(cells[1:])),
        outcome=" ".join(rest),
    )


def _take_procedure(blocks: list[_Block]) -> tuple[list[ProcedureRecord], list[ProcedureRecord]]:
    """Remove the trail at the top (and the closing formula at the end) from `blocks`."""
    leading: list[ProcedureRecord] = []
    while blocks:
        block = blocks[0]
        if block.kind == TABLE:
            leading += _procedure_table(block.lines)
        elif block.kind == TEXT and len(block.lines) == 1 and _looks_procedural(block.text):
            leading.append(_procedure_line(block.text))
        else:
            break
        blocks.pop(0)
    trailing: list[ProcedureRecord] = []
    while blocks:
        block = blocks[-1]
        text = block.text
        if block.kind != TEXT or len(block.lines) != 1:
            break
        if not (CLOSING_RE.match(text) or SIGNATURE_RE.match(text) or _looks_procedural(text)):
            break
        trailing.insert(0, _procedure_line(text))
        blocks.pop()
    # A procedure table elsewhere in the text is still a procedure table.
    for block in [b for b in blocks if b.kind == TABLE]:
        leading += _procedure_table(block.lines)
        blocks.remove(block)
    return leading, trailing


def _in_body_records(text: str) -> list[ProcedureRecord]:
    records = []
    for pattern, step in _IN_BODY_PATTERNS:
        match = pattern.search(text)
        if match:
            groups = match.groupdict()
            records.append(
                ProcedureRecord(
                    text=text,
                    step=step or groups["step"],
                    date=parse_date(groups["date"]),
                    outcome=groups.get("outcome") or "",
                    also_in_body=True,
                )
            )
    return records


# --- Headings ------------------------------------------------------------------------------------

# A paragraph that ends on one of these words was cut by a page break (seed 003: "... bij de" /
# "Landelijke Vertrouwensinspecteur ...").
FUNCTION_WORDS = {
    "aan", "als", "bij", "dat", "de", "die", "door", "een", "en", "het", "in", "met",
    "naar", "of", "om", "op", "over", "te", "tot", "uit", "van", "voor",
}  # fmt: skip


def _continues(previous: str, text: str) -> bool:
    """True when `text` is the rest of a sentence that `previous` left unfinished."""
    if not previous or not text:
        return False
    last, first = previous.split()[-1], text.split()[0]
    if not (last.isalpha() and first.rstrip(",;:.").isalpha()):
        return False
    return first[0].islower() or last.lower() in FUNCTION_WORDS


def _heading_candidate(block: _Block) -> bool:
    """A single short line that reads like a title: "Inleiding", "A. Voor ouders", "E-mail"."""
    if block.kind != TEXT or len(block.lines) != 1:
        return False
    text = block.text
    shouting = text.isupper()
    if len(text) > (120 if shouting else 80) or not (text[0].isupper() or text[0].isdigit()):
        return False
    if "://" in text or "www." in text or text[-1] in ",;-":
        return False
    words = text.split()
    core = LETTERED_HEADING_RE.sub("", text) if LETTERED_HEADING_RE.match(text) else text
    if ":" in core[:-1] or re.search(r"[.!?;]\s", core):
        return False  # a colon or a sentence end inside the line: running text
    if text.endswith(":") and len(words) > 6:
        return False  # "Als geconstateerd wordt ..., gelden de volgende afspraken:"
    if text.endswith(".") and len(words) > 8:
        return False
    return True


def _mark_headings(blocks: list[_Block]) -> None:
    for i, block in enumerate(blocks):
        if not _heading_candidate(block):
            continue
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        previous = blocks[i - 1] if i > 0 else None
        if following is None:
            continue  # a heading introduces text: "Gedragscode (zie bijlage)" at the end does not
        if block.text.endswith(".") and following.kind not in LIST_KINDS:
            continue  # "Specifiek voor werknemers tijdens werksituaties." only before a list
        if previous is not None and previous.kind in (TEXT, *LIST_KINDS):
            if _continues(previous.text, block.text):
                continue
        if previous is not None and previous.kind == HEADING and _plain_line_under(blocks, i):
            continue
        block.kind = HEADING


def _plain_line_under(blocks: list[_Block], i: int) -> bool:
    """True for a short line right under a heading that starts that heading's text.

    Seed 004 has "Inleiding" / "De scholen van CBO Meilân" / "Willen dat de leerlingen ...": the
    second line opens the introduction. A real sub-heading is lettered ("A. Voor ..."), in
    capitals, introduces a list or another heading, or follows an annex title ("Bijlage" /
    "Protocol Sociale Media [naam school]" / "Inleiding" in seed 001).
    """
    block, following = blocks[i], blocks[i + 1]
    if LETTERED_HEADING_RE.match(block.text) or block.text.isupper():
        return False
    if following.kind != TEXT or _heading_candidate(following):
        return False
    after_annex = (
        i >= 2 and blocks[i - 2].kind == HEADING and blocks[i - 2].text.startswith("Bijlage")
    )
    return not after_annex


def _audience(heading: str) -> str:
    """The one group a heading addresses ("B. Voor de leerlingen"), else ""."""
    words = re.findall(r"\w+", re.sub(r"\(.*?\)", "", heading).lower())
    if "voor" not in words:
        return ""
    groups = {
        "gebruikers": "alle gebruikers",
        "leerlingen": "leerlingen",
        "ouders": "ouders",
        "medewerkers": "medewerkers",
        "werknemers": "medewerkers",
        "werknemer": "medewerkers",
    }
    found = {groups[word] for word in words if word in groups}
    return found.pop() if len(found) == 1 else ""


# --- Assembly ------------------------------------------------------------------------------------


def _superscript_number(digits: str) -> int:
    return int(digits.translate(_SUPERSCRIPT_DIGITS))


def _link_footnotes(text: str, defined: dict[int, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        number = _superscript_number(match.group(1))
        return f"[^{number}]" if number in defined else match.group(0)

    return FOOTNOTE_REF_RE.sub(replace, text)


def _build(
    title: str, blocks: list[_Block], footnotes: dict[int, str] | None = None
) -> ImportResult:
    """Shared second half of import_text and import_docx."""
    # Footnote definitions sit where the page ended; remember the block before each one.
    footnotes = dict(footnotes or {})
    anchors: dict[int, _Block | None] = {}
    kept: list[_Block] = []
    for block in blocks:
        if block.kind == FOOTNOTE:
            number = _superscript_number(block.label)
            footnotes[number], anchors[number] = block.text, (kept[-1] if kept else None)
        else:
            kept.append(block)
    blocks = kept
    for block in blocks:
        if block.kind != TABLE:
            block.lines = [_link_footnotes(line, footnotes) for line in block.lines]
    title = _link_footnotes(title, footnotes)
    title_refs = [int(n) for n in re.findall(r"\[\^(\d+)\]", title)]
    title = _normalise(re.sub(r"\[\^\d+\]", "", title))

    # "1." alone on a line, its text in the next paragraph (seed 001, Sancties).
    merged: list[_Block] = []
    for block in blocks:
        previous = merged[-1] if merged else None
        if previous and previous.kind == MARKER and block.kind == TEXT:
            previous.kind, previous.lines = NUMBER, block.lines
            continue
        merged.append(block)
    blocks = [_Block(TEXT, [f"{b.label}."]) if b.kind == MARKER else b for b in merged]

    leading, trailing = _take_procedure(blocks)
    _mark_headings(blocks)

    # Rejoin sentences cut by a page break (seed 003).
    joined: list[_Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (
            block.kind == TEXT
            and previous is not None
            and previous.kind in (TEXT, NUMBER, BULLET)
            and _continues(previous.text, block.text)
        ):
            previous.lines += block.lines
            continue
        joined.append(block)

    drafts: list[tuple[str, list[_Block]]] = []
    for block in joined:
        if block.kind == HEADING:
            drafts.append((block.text, []))
        else:
            if not drafts:
                drafts.append(("", []))
            drafts[-1][1].append(block)
    if not drafts and footnotes:
        drafts.append(("", []))

    in_body: list[ProcedureRecord] = []
    bodies: list[list[str]] = []
    for _heading, section_blocks in drafts:
        parts: list[str] = []
        previous_kind = ""
        for block in section_blocks:
            in_body += _in_body_records(block.text)
            if parts and block.kind in LIST_KINDS and block.kind == previous_kind:
                # Items of one list on consecutive lines; a blank line before a list of
                # another kind, so Markdown starts a new list instead of running on.
                parts[-1] += "\n" + block.markdown()
            else:
                parts.append(block.markdown())
            previous_kind = block.kind
        bodies.append(parts)

    # Definitions go to the end of the first section that refers to them.
    placed: dict[int, int] = {}
    for number in sorted(footnotes):
        marker = f"[^{number}]"
        target = next((i for i, parts in enumerate(bodies) if marker in "\n".join(parts)), None)
        if target is None and number in title_refs:
            target = 0
        if target is None:
            anchor = anchors.get(number)
            target = next(
                (i for i, (_h, bs) in enumerate(drafts) if any(b is anchor for b in bs)),
                len(drafts) - 1,
            )
        placed[number] = target
    for number, target in placed.items():
        bodies[target].append(f"[^{number}]: {footnotes[number]}")

    sections = [
        ImportedSection(heading=heading, audience=_audience(heading), body="\n\n".join(parts))
        for (heading, _blocks), parts in zip(drafts, bodies, strict=True)
    ]
    return ImportResult(title=title, sections=sections, procedure=leading + in_body + trailing)


# --- Public API ----------------------------------------------------------------------------------


class ImportRefused(ValueError):
    """A file the importer will not read, with a message for the user (English source string,
    marked for translation: the caller translates it and fills in `params`)."""

    def __init__(self, message: str, params: dict | None = None):
        super().__init__(message)
        self.message = message
        self.params = params or {}


NOT_A_DOCX = gettext_noop(
    "This file is not a readable Word document (.docx); save it as .docx and try again."
)

# A .docx is a zip file. It is checked from its directory before anything is decompressed,
# so a small file that unpacks to gigabytes (a "zip bomb") is refused at once. Real protocols
# are far below these limits: a 40-page text with images is a few MB unpacked, about 30 parts.
DOCX_MAX_PARTS = 1000
DOCX_MAX_UNPACKED = 30 * 1024 * 1024
DOCX_MAX_RATIO = 100  # unpacked size / packed size, for any part over 1 MB unpacked
_OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_docx(data: bytes) -> None:
    """Refuse a .docx that is not a plain zip of reasonable size, before it is parsed.

    Reads only the zip's directory: the sizes it declares are what zipfile will decompress at
    most, so memory and time stay bounded whatever the file claims.
    """
    if data.startswith(_OLE_HEADER):
        # Word saves a password-protected .docx, and an old .doc, in this container.
        raise ImportRefused(
            gettext_noop(
                "This file is protected with a password or is an old Word document (.doc). "
                "Remove the password or save it as .docx, and try again."
            )
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ImportRefused(NOT_A_DOCX) from exc
    if len(parts) > DOCX_MAX_PARTS:
        raise ImportRefused(
            gettext_noop("This Word document has too many parts (more than %(max)s)."),
            {"max": DOCX_MAX_PARTS},
        )
    for part in parts:
        if part.flag_bits & 0x1:
            raise ImportRefused(
                gettext_noop("This Word document is encrypted. Remove the password and try again.")
            )
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ImportRefused(
                gettext_noop(
                    "This Word document is packed in a way the portal does not read. Open it "
                    "in Word, save it again as .docx and try again."
                )
            )
        if part.file_size > 1024 * 1024 and part.file_size > DOCX_MAX_RATIO * max(
            part.compress_size, 1
        ):
            raise ImportRefused(
                gettext_noop(
                    "This Word document unpacks to far more than its size: it is refused as unsafe."
                )
            )
    if sum(part.file_size for part in parts) > DOCX_MAX_UNPACKED:
        raise ImportRefused(
            gettext_noop("This Word document is too large once unpacked (more than %(max)s MB)."),
            {"max": DOCX_MAX_UNPACKED // (1024 * 1024)},
        )


# Control characters other than tab, newline, carriage return and form feed: a text that has
# them is not a text file (or is UTF-16 without its byte-order mark).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(data: bytes) -> str:
    """The text of a .txt file: UTF-16 with a byte-order mark, UTF-8, or Windows-1252.

    Anything else (a binary file, NUL bytes) is an `ImportRefused`, never a codec error.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        encoding = None
    text = None
    for candidate in [encoding] if encoding else ["utf-8", "cp1252"]:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        break
    if text is None or _CONTROL.search(text):
        raise ImportRefused(
            gettext_noop(
                "This is not a plain text file the portal can read. Save it as text "
                "(UTF-8 or Unicode) or as a Word document (.docx), and try again."
            )
        )
    return text.lstrip("\ufeff")


def import_text(text: str) -> ImportResult:
    """Import a protocol from plain text (a PDF or Word text extraction)."""
    lines = text.lstrip("\ufeff").splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise ImportRefused(gettext_noop("The protocol text is empty: there is nothing to import."))
    return _build(_normalise(lines[start]), _split_blocks(lines[start + 1 :]))


def import_docx(data: bytes) -> ImportResult:
    """Import a protocol from a .docx file, using Word's heading and list styles where set."""
    check_docx(data)
    try:
        document = docx.Document(io.BytesIO(data))
        notes = _docx_footnotes(document)
    except Exception as exc:  # python-docx and lxml raise many kinds; the user gets ours
        raise ImportRefused(NOT_A_DOCX) from exc
    numbers: dict[str, int] = {}  # footnote id in the XML -> number shown, by first reference
    counters: dict[tuple[str, int], int] = {}
    title = ""
    blocks: list[_Block] = []
    for item in _body_items(document):
        if isinstance(item, Table):
            blocks += _split_blocks(_table_rows(item))
            continue
        text = _paragraph_text(item, numbers)
        if not text.strip():
            continue
        kind, label = _docx_kind(item, document, counters)
        if not title:
            first, _, rest = text.strip().partition("\n")
            title = _normalise(first)
            blocks += _split_blocks(rest.split("\n"))
        elif kind == HEADING:
            blocks.append(_Block(HEADING, [_normalise(text)]))
        elif kind == NUMBER:
            blocks.append(_Block(NUMBER, [_normalise(text)], label=label))
        elif kind == BULLET:
            # Lettered and roman items keep their label, as in the plain-text import.
            prefix = f"{label}. " if label else ""
            blocks.append(_Block(BULLET, [prefix + _normalise(text)]))
        else:
            blocks += _split_blocks(text.split("\n"))
    if not title:
        raise ImportRefused(gettext_noop("The document is empty: there is nothing to import."))
    footnotes = {number: notes[note_id] for note_id, number in numbers.items() if note_id in notes}
    return _build(title, blocks, footnotes)


def _body_items(document: DocxDocument, parent=None) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables in reading order, including those inside content controls."""
    for child in (parent if parent is not None else document.element.body).iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document)
        elif child.tag == qn("w:sdt") and child.find(qn("w:sdtContent")) is not None:
            yield from _body_items(document, child.find(qn("w:sdtContent")))


def _style_names(paragraph: Paragraph) -> list[str]:
    names, style = [], paragraph.style
    while style is not None:
        names.append((style.name or "").lower())
        style = style.base_style
    return names


def _docx_kind(
    paragraph: Paragraph, document: DocxDocument, counters: dict[tuple[str, int], int]
) -> tuple[str, str]:
    """(kind, label) for a paragraph from its style and numbering; kind "" means plain text."""
    names = _style_names(paragraph)
    if any(re.match(r"(heading|kop) \d|title$|titel$", name) for name in names):
        return HEADING, ""
    numbering = _numbering(paragraph)
    if numbering is not None:
        num_id, level = numbering
        fmt, start = _number_format(document, num_id, level)
        for key in [k for k in counters if k[0] == num_id and k[1] > level]:
            del counters[key]  # a new item one level up restarts the levels below it
        counters[(num_id, level)] = counters.get((num_id, level), start - 1) + 1
        n = counters[(num_id, level)]
        if fmt == "none":
            return "", ""
        if fmt == "bullet":
            return BULLET, ""
        if fmt == "decimal":
            return NUMBER, str(n)
        return BULLET, _letter_label(fmt, n)
    if any("list number" in name or "lijstnummering" in name for name in names):
        counters[("style", 0)] = counters.get(("style", 0), 0) + 1
        return NUMBER, str(counters[("style", 0)])
    if any("list bullet" in name or "lijstopsommingsteken" in name for name in names):
        return BULLET, ""
    return "", ""


def _numbering(paragraph: Paragraph) -> tuple[str, int] | None:
    """(numId, level) from the paragraph or its style chain, or None when not numbered."""
    elements = [paragraph._p]
    style = paragraph.style
    while style is not None:
        elements.append(style.element)
        style = style.base_style
    for element in elements:
        num_pr = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is None:
            continue
        num_id = num_pr.find(qn("w:numId"))
        level = num_pr.find(qn("w:ilvl"))
        if num_id is None or num_id.get(qn("w:val")) == "0":
            return None  # numId 0 switches numbering off
        return num_id.get(qn("w:val")), int(level.get(qn("w:val"))) if level is not None else 0
    return None


def _number_format(document: DocxDocument, num_id: str, level: int) -> tuple[str, int]:
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return "decimal", 1
    abstract_id = None
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) == num_id:
            abstract = num.find(qn("w:abstractNumId"))
            abstract_id = abstract.get(qn("w:val")) if abstract is not None else None
    for abstract in numbering.findall(qn("w:abstractNum")):
        if abstract.get(qn("w:abstractNumId")) != abstract_id:
            continue
        for lvl in abstract.findall(qn("w:lvl")):
            if lvl.get(qn("w:ilvl")) == str(level):
                fmt, start = lvl.find(qn("w:numFmt")), lvl.find(qn("w:start"))
                return (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )
    return "decimal", 1


def _letter_label(fmt: str, n: int) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        roman = ""
        for value, numeral in numerals:
            while n >= value:
                roman, n = roman + numeral, n - value
        return roman.upper() if fmt == "upperRoman" else roman
    return str(n)


def _paragraph_text(paragraph: Paragraph, numbers: dict[str, int]) -> str:
    """The paragraph's text with tabs, line breaks and footnote references as "[^n]"."""
    parts: list[str] = []
    for run in paragraph._p.iter(qn("w:r")):
        for child in run:
            if child.tag == qn("w:t"):
                parts.append(child.text or "")
            elif child.tag == qn("w:tab"):
                parts.append("\t")
            elif child.tag in (qn("w:br"), qn("w:cr")):
                parts.append("\n")
            elif child.tag == qn("w:noBreakHyphen"):
                parts.append("-")
            elif child.tag == qn("w:footnoteReference"):
                note_id = child.get(qn("w:id"))
                numbers.setdefault(note_id, len(numbers) + 1)
                parts.append(f"[^{numbers[note_id]}]")
    return "".join(parts)


def _table_rows(table: Table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # a merged cell is returned once per grid column
            seen.add(id(cell._tc))
            cells.append(_normalise(cell.text))
        rows.append("\t".join(cells) + ("\t" if len(cells) == 1 else ""))
    return rows + [""]


def _docx_footnotes(document: DocxDocument) -> dict[str, str]:
    """Footnote texts by their XML id; python-docx has no footnote API, so read the part."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            root = parse_xml(rel.target_part.blob)
            notes = {}
            for note in root.findall(qn("w:footnote")):
                if note.get(qn("w:type")) in ("separator", "continuationSeparator"):
                    continue
                texts = [
                    "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in note.iter(qn("w:p"))
                ]
                notes[note.get(qn("w:id"))] = _normalise(" ".join(texts))
            return notes
    return {}


# --- Comparison helpers --------------------------------------------------------------------------

_LINE_MARKER_RE = re.compile(
    r"^(?:\[\^\d+\]:\s*|[o¢e•·▪◦●*\-\uf0b7]\s+(?=\S)|\d{1,2}[.)](?:\s+|$))"
)


def _plain(markdown: str) -> str:
    lines = [_LINE_MARKER_RE.sub("", line.strip()) for line in markdown.splitlines()]
    return re.sub(r"\[\^\d+\]", "", "\n".join(lines))


def sentences(text: str) -> list[str]:
    """Normalised sentences of source text or imported Markdown, for order-and-loss checks."""
    flat = " ".join(_plain(text).split())
    flat = " ".join(re.sub(f"[{SUPERSCRIPTS}]", "", flat).split())
    return [part for part in re.split(r"(?<=[.!?;])\s+", flat) if part]


def result_text(result: ImportResult) -> str:
    """Title, procedure lines, headings and bodies of an import as plain text."""
    parts = [result.title]
    parts += [record.text for record in result.procedure if not record.also_in_body]
    for section in result.sections:
        parts += [section.heading, _plain(section.body)]
    return "\n\n".join(part for part in parts if part)


def import_file(name: str, data: bytes) -> ImportResult:
    """Import a .txt or .docx file by its name; every refusal is an `ImportRefused`."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix not in ("docx", "txt"):
        raise ImportRefused(gettext_noop("Only .txt and .docx files can be imported."))
    try:
        if suffix == "docx":
            return import_docx(data)
        return import_text(decode_text(data))
    except ImportRefused:
        raise
    except Exception as exc:
        # Whatever else a strange file trips over, the user reads our sentence, not Python's.
        raise ImportRefused(
            gettext_noop("This file could not be read; check it and try again.")
        ) from exc


def source_text(name: str, data: bytes) -> str:
    """The file's text as the reader sees it, to show beside the detected sections.

    Only called after `import_file` accepted the same bytes.
    """
    if name.lower().endswith(".docx"):
        document = docx.Document(io.BytesIO(data))
        return "\n\n".join(p.text for p in document.paragraphs if p.text.strip())
    return decode_text(data)
