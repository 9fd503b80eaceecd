"""Read the EDEXML export (EDEX.XML, NTA 2032) of the pupil administration.

ParnasSys, ESIS, Magister, Somtoday and the other administrations write it for every school
app (the UWLR profiles are subsets of EDEXML 2.1). `parse` turns it into the same
`ParsedFile` the CSV import reads, so the preview, the all-or-nothing import and the matching
rules of `schools.pupil_import` apply unchanged: the `<leerling key>` is the pupil number.
It adds the file's groups and teachers; it has no guardians (those come from the CSV).

The file comes from outside, so it is read with defusedxml (no DTD, no entities, nothing
fetched) and within limits on size, depth and element count, checked while reading: a
billion-laughs file or a 200 MB file is refused before it costs memory or time.
"""

import codecs
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from schools import pupil_import
from schools.models import school_year_of
from schools.pupil_import import (
    FORMULA_START,
    MAX_LENGTH,
    NUMBER_PATTERN,
    ParsedFile,
    PupilRow,
    RowError,
    TeacherRow,
)

MAX_BYTES = 20 * 1024 * 1024
# EDEX nests six levels at most (EDEX/leerlingen/leerling/toevoegingen/blok/code); a school
# of MAX_ROWS pupils with all optional elements stays well under the element count.
MAX_DEPTH = 12
MAX_ELEMENTS = 400_000
ROOTS = ("EDEX", "leerlinggegevens")  # the EDEXML file, or a UWLR answer saved as a file
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SCHOOL_YEAR = re.compile(r"\d{4}-\d{4}")
BRIN = re.compile(r"\d{2}[A-Z]{2}")
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class GroupRow:
    key: str
    name: str
    year_group: str  # the jaargroep ("0" to "8", "H" ...), shown in the preview only


@dataclass
class EdexFile(ParsedFile):
    """A parsed EDEXML export: the pupils as `ParsedFile`, plus what only EDEXML has."""

    school_year: str = ""
    group_rows: list[GroupRow] = field(default_factory=list)
    combined_groups: list[str] = field(default_factory=list)  # samengestelde groepen: ignored
    teachers_skipped: list[str] = field(default_factory=list)  # no e-mail address: not imported


def is_xml(data: bytes) -> bool:
    """True when `data` looks like XML: `<` after an optional byte order mark and blanks."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, "ignore")
            return text.lstrip()[:1] == "<"
    return data.lstrip()[:1] == b"<"


def read_export(data: bytes, *, today: date) -> ParsedFile:
    """The pupil administration's export as EDEXML or CSV, chosen by its content."""
    if is_xml(data[:1024]):
        return parse(data, today=today)
    return pupil_import.parse(data, today=today)


# --- Reading the XML safely -------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.error = RowError(None, code, message)


def _read_tree(data: bytes) -> Element:
    """The document's root; raises _Refused for anything an EDEXML export never is."""
    if len(data) > MAX_BYTES:
        raise _Refused(
            "too_large",
            _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)},
        )
    depth = elements = 0
    root = None
    try:
        # forbid_dtd also refuses the DTD that a billion-laughs or XXE file needs; the
        # entity and external-reference guards stay on behind it.
        events = iterparse(
            io.BytesIO(data),
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        for event, element in events:
            if event == "end":
                depth -= 1
                continue
            depth += 1
            elements += 1
            if root is None:
                root = element
            if depth > MAX_DEPTH:
                raise _Refused(
                    "too_deep",
                    _("The file nests elements deeper than an EDEXML export does (%(max)s).")
                    % {"max": MAX_DEPTH},
                )
            if elements > MAX_ELEMENTS:
                raise _Refused(
                    "too_many_elements",
                    _("The file has more than %(max)s elements, more than an EDEXML export.")
                    % {"max": MAX_ELEMENTS},
                )
    except DefusedXmlException:
        raise _Refused(
            "xml_dtd",
            _(
                "The file contains a DTD or entity declarations. An EDEXML export never does, "
                "so it is refused; export it again from the pupil administration."
            ),
        ) from None
    except ParseError as error:
        raise _Refused(
            "bad_xml",
            _("The file is not valid XML (line %(line)s). Export it again.")
            % {"line": error.position[0]},
        ) from None
    return root


def _local(tag) -> str:
    # UWLR answers put the elements in a namespace; EDEXML has none. Compare local names.
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Element | None, name: str) -> list[Element]:
    if element is None:
        return []
    return [child for child in element if _local(child.tag) == name]


def _child(element: Element | None, name: str) -> Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: Element | None, name: str) -> str:
    child = _child(element, name)
    return " ".join((child.text or "").split()) if child is not None else ""


# --- From the tree to rows -------------------------------------------------------------


def parse(data: bytes, *, today: date) -> EdexFile:
    """Read an EDEXML export; never raises, never touches the DB (BRIN is checked in the plan)."""
    result = EdexFile(lists_guardians=False)
    try:
        root = _read_tree(data)
    except _Refused as refused:
        result.errors.append(refused.error)
        return result
    if root is None or _local(root.tag) not in ROOTS:
        result.errors.append(
            RowError(None, "not_edexml", _("This XML file is not an EDEXML export (<EDEX>)."))
        )
        return result
    if not _read_school(root, result, today):
        return result
    groups = _read_groups(root, result)
    _read_pupils(root, result, groups, today)
    _read_teachers(root, result, groups)
    return result


def _read_school(root: Element, result: EdexFile, today: date) -> bool:
    school = _child(root, "school")
    brin = _text(school, "brincode").upper()
    year = _text(school, "schooljaar")
    if not BRIN.fullmatch(brin) or not SCHOOL_YEAR.fullmatch(year):
        result.errors.append(
            RowError(
                None,
                "no_school",
                _("The file has no <school> with a brincode and a schooljaar like 2026-2027."),
            )
        )
        return False
    dependance = _text(school, "dependancecode")
    result.brin = brin + dependance if re.fullmatch(r"\d{2}", dependance) else brin
    result.school_year = year
    current = school_year_of(today)
    if year != current:
        result.errors.append(
            RowError(
                None,
                "wrong_school_year",
                _(
                    "This export is of school year %(year)s; only an export of the current "
                    "school year %(current)s can be imported. Export it again."
                )
                % {"year": year, "current": current},
            )
        )
        return False
    return True


def _reporter(result: EdexFile, row: int | None, code: str, prefix: str):
    """A `fail(message, **params)` that adds an error about one group, pupil or teacher."""

    def fail(message, **params):
        result.errors.append(RowError(row, code, prefix + message % params))

    return fail


def _check(value: str, column: str, max_length: int, fail) -> str:
    """`value` when it may be stored; otherwise report it through `fail` and return ""."""
    if value.startswith(FORMULA_START):
        fail(
            _("%(column)s starts with %(char)s, like a formula."),
            column=column,
            char=repr(value[:1]),
        )
    elif any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in value):
        fail(_("%(column)s contains an invalid character."), column=column)
    elif len(value) > max_length:
        fail(_("%(column)s is longer than %(max)s characters."), column=column, max=max_length)
    else:
        return value
    return ""


def _read_groups(root: Element, result: EdexFile) -> dict[str, str]:
    """The file's groups as {key: name}; combined groups are listed as ignored."""
    groups: dict[str, str] = {}
    names: dict[str, str] = {}
    container = _child(root, "groepen")
    combined = _children(container, "samengestelde_groep")
    # Some writers put the combined groups in a list of their own.
    for extra in _children(root, "samengestelde_groepen"):
        combined += _children(extra, "samengestelde_groep")
    for element in combined:
        result.combined_groups.append(_text(element, "naam") or element.get("key", ""))
    for element in _children(container, "groep"):
        key = (element.get("key") or "").strip()
        name = _text(element, "naam")
        fail = _reporter(result, None, "bad_group", _("Group %(key)s: ") % {"key": key or "?"})
        errors_before = len(result.errors)
        name = _check(name, "naam", MAX_LENGTH["groep"], fail)
        if not key or not name:
            if len(result.errors) == errors_before:
                fail(_("a group needs a key and a naam."))
            continue
        if key in groups:
            fail(_("the key appears twice."))
            continue
        earlier = names.setdefault(name.casefold(), key)
        if earlier != key:
            fail(_("group %(other)s has the same name %(name)s."), other=earlier, name=name)
            continue
        groups[key] = name
        result.groups.append(name)
        result.group_rows.append(GroupRow(key, name, _text(element, "jaargroep")))
    return groups


def _read_pupils(root: Element, result: EdexFile, groups: dict[str, str], today: date) -> None:
    seen: dict[str, int] = {}
    for position, element in enumerate(_children(_child(root, "leerlingen"), "leerling"), 1):
        key = (element.get("key") or "").strip()
        first = _text(element, "roepnaam") or _text(element, "voornamen").partition(" ")[0]
        last = " ".join(filter(None, (_text(element, "voorvoegsel"), _text(element, "achternaam"))))
        errors_before = len(result.errors)
        who = " ".join(filter(None, (first, last))) or "?"
        fail = _reporter(
            result,
            position,
            "bad_pupil",
            _("Pupil %(key)s (%(name)s): ") % {"key": key or "?", "name": who},
        )
        if not key:
            fail(_("the leerling has no key."))
        elif len(key) > MAX_LENGTH["leerlingnummer"] or not NUMBER_PATTERN.fullmatch(key):
            fail(_("the key %(value)s cannot be a pupil number."), value=key)
        first = _check(first, "roepnaam", MAX_LENGTH["voornaam"], fail)
        last = _check(last, "achternaam", MAX_LENGTH["achternaam"], fail)
        if not first or not last:
            fail(_("roepnaam and achternaam are required."))
        birth_date = None
        born = _text(element, "geboortedatum")
        if not born:
            fail(_("geboortedatum is empty."))
        elif not DATE.fullmatch(born):
            fail(_("geboortedatum %(value)s is not a date like 2017-12-31."), value=born)
        else:
            birth_date, message = pupil_import._birth_date(born, today)
            if message:
                fail("%(text)s", text=message)
        group = _child(element, "groep")
        group_key = (group.get("key") or "").strip() if group is not None else ""
        if not group_key:
            fail(_("the leerling has no groep."))
        elif group_key not in groups:
            fail(_("groep %(value)s is not among the file's groups."), value=group_key)
        if key:
            earlier = seen.setdefault(key.casefold(), position)
            if earlier != position:
                fail(_("the key is also used by leerling number %(earlier)s."), earlier=earlier)
        if len(result.errors) > errors_before:
            continue
        result.rows.append(
            PupilRow(
                row=position,
                number=key,
                first_name=first,
                last_name=last,
                birth_date=birth_date,
                group=groups[group_key],
                guardians=(),
            )
        )
    if not result.rows and not result.errors:
        result.errors.append(RowError(None, "no_rows", _("The file has no pupils.")))


def _read_teachers(root: Element, result: EdexFile, groups: dict[str, str]) -> None:
    seen: dict[str, str] = {}
    for element in _children(_child(root, "leerkrachten"), "leerkracht"):
        key = (element.get("key") or "").strip()
        first = _text(element, "roepnaam") or _text(element, "voornamen").partition(" ")[0]
        last = " ".join(filter(None, (_text(element, "voorvoegsel"), _text(element, "achternaam"))))
        name = " ".join(filter(None, (first, last))) or _text(element, "voorletters-1") or "?"
        errors_before = len(result.errors)
        fail = _reporter(
            result,
            None,
            "bad_teacher",
            _("Teacher %(key)s (%(name)s): ") % {"key": key or "?", "name": name},
        )
        first = _check(first, "roepnaam", MAX_LENGTH["ouder1_naam"], fail)
        last = _check(last, "achternaam", MAX_LENGTH["ouder1_naam"], fail)
        email = _text(element, "emailadres").lower()
        if not email:
            result.teachers_skipped.append(f"{name} ({key or '?'})")
            continue
        try:
            validate_email(email)
        except ValidationError:
            fail(_("emailadres %(value)s is not an e-mail address."), value=email)
        earlier = seen.setdefault(email, key)
        if earlier != key:
            fail(_("teacher %(other)s has the same e-mail address."), other=earlier)
        taught = []
        for group in _children(_child(element, "groepen"), "groep"):
            group_key = (group.get("key") or "").strip()
            if group_key not in groups:
                fail(_("groep %(value)s is not among the file's groups."), value=group_key)
            elif groups[group_key] not in taught:
                taught.append(groups[group_key])
        if len(result.errors) > errors_before:
            continue
        result.teachers.append(
            TeacherRow(key=key, first_name=first, last_name=last, email=email, groups=tuple(taught))
        )
