"""Import pupils and their guardians from the pupil administration's CSV export.

Three steps, so that whoever imports sees what will happen before anything is written:
- `parse(data, today=...)` reads the uploaded bytes the way Dutch Excel writes them. It is
  pure (no database) and never raises: every problem becomes a `RowError` naming the row
  as Excel shows it (the header is row 1).
- `make_plan(parsed, school=..., today=...)` compares the rows with the school's pupils:
  new, changed (and what), left, groups and accounts to create. Pupils match on their
  leerlingnummer (or, before a school's first import, on name and date of birth), accounts
  on their e-mail address ignoring case, so a re-import never duplicates anything.
- `import_pupils(parsed, school=..., today=..., confirm_left=...)` plans again and writes it
  all in one transaction, or nothing when one row is bad; new accounts are invited after
  the commit.

New accounts (guardians, and pupils of 16 and older with a `leerling_email`) get no
password: their invitation holds a one-time link to choose one (Django's password reset
token, which stops working once a password is set).
"""

import codecs
import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max, Prefetch, Q, prefetch_related_objects
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from schools import notices
from schools.models import (
    ClassGroup,
    Guardian,
    Notice,
    Pupil,
    School,
    Staff,
    User,
    school_year_of,
)
from schools.rules import age_on, pupil_decides

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# A birth date outside these ages is a typing error, not a pupil.
MIN_AGE, MAX_AGE = 2, 30

REQUIRED_COLUMNS = (
    "leerlingnummer",
    "voornaam",
    "tussenvoegsel",
    "achternaam",
    "geboortedatum",
    "groep",
    "ouder1_naam",
    "ouder1_email",
    "ouder1_gezag",
    "ouder2_naam",
    "ouder2_email",
    "ouder2_gezag",
)
OPTIONAL_COLUMNS = ("leerling_email",)
REQUIRED_FIELDS = ("leerlingnummer", "voornaam", "achternaam", "geboortedatum", "groep")
GUARDIAN_FIELDS = ("naam", "email", "gezag")

# Longest value per column, within the model fields they end up in.
MAX_LENGTH = {
    "leerlingnummer": Pupil._meta.get_field("number").max_length,
    "voornaam": Pupil._meta.get_field("first_name").max_length,
    "tussenvoegsel": 20,
    "achternaam": Pupil._meta.get_field("last_name").max_length,
    "geboortedatum": 10,
    "groep": ClassGroup._meta.get_field("name").max_length,
    "ouder1_naam": User._meta.get_field("first_name").max_length,
    "ouder2_naam": User._meta.get_field("first_name").max_length,
    "ouder1_email": 254,
    "ouder2_email": 254,
    "leerling_email": 254,
    "ouder1_gezag": 20,
    "ouder2_gezag": 20,
}

# OWASP CSV injection: a cell starting with one of these runs as a formula when the data is
# exported again and opened in a spreadsheet. No real name, number, date or address starts so.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z._/]*")
DATE_PATTERNS = (
    (re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})"), ("day", "month", "year")),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("year", "month", "day")),
)
WHITESPACE = " \t\r\n\u00a0\ufeff"


@dataclass(frozen=True)
class RowError:
    """A reason the file cannot be imported; `row` as Excel numbers it, None for the file."""

    row: int | None
    code: str
    message: str


@dataclass(frozen=True)
class GuardianRow:
    name: str
    email: str  # lower case
    has_gezag: bool


@dataclass(frozen=True)
class PupilRow:
    row: int
    number: str
    first_name: str
    last_name: str  # with its tussenvoegsel: "van der Berg"
    birth_date: date
    group: str
    guardians: tuple[GuardianRow, ...]
    email: str = ""  # the pupil's own address, lower case


@dataclass(frozen=True)
class TeacherRow:
    """A teacher from an EDEXML export (schools.edexml); the CSV has none."""

    key: str
    first_name: str
    last_name: str
    email: str  # lower case
    groups: tuple[str, ...]  # names of the groups they teach


@dataclass
class ParsedFile:
    rows: list[PupilRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # EDEXML (schools.edexml) adds these: the school the file is of, every group (also those
    # without pupils) and the teachers; it lists no guardians, so they are left as they are.
    brin: str = ""
    lists_guardians: bool = True
    groups: list[str] = field(default_factory=list)
    teachers: list[TeacherRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Reading the file (pure) ------------------------------------------------------------


def parse(data: bytes, *, today: date) -> ParsedFile:
    """Read a CSV export of the pupil administration; never raises, never touches the DB."""
    result = ParsedFile()
    text, error = _decode(data)
    if error:
        result.errors.append(error)
        return result
    records, error = _records(text)
    if error:
        result.errors.append(error)
        return result
    header_at = next((i for i, (_row, cells) in enumerate(records) if _filled(cells)), None)
    if header_at is None:
        result.errors.append(RowError(None, "empty", _("The file is empty.")))
        return result
    header_row, header = records[header_at]
    columns, error = _columns(header, header_row)
    if error:
        result.errors.append(error)
        return result
    data_records = [(row, cells) for row, cells in records[header_at + 1 :] if _filled(cells)]
    if not data_records:
        result.errors.append(RowError(None, "no_rows", _("The file has no pupils, only a header.")))
        return result
    seen_numbers: dict[str, int] = {}
    for row, cells in data_records:
        pupil, errors = _pupil_row(row, cells, columns, len(header), today)
        result.errors.extend(errors)
        if pupil is None:
            continue
        earlier = seen_numbers.setdefault(pupil.number.casefold(), row)
        if earlier != row:
            result.errors.append(
                RowError(
                    row,
                    "duplicate_number",
                    _("Row %(row)s: leerlingnummer %(number)s is also on row %(earlier)s.")
                    % {"row": row, "number": pupil.number, "earlier": earlier},
                )
            )
            continue
        result.rows.append(pupil)
    return result


def _decode(data: bytes) -> tuple[str, RowError | None]:
    if len(data) > MAX_BYTES:
        return "", RowError(
            None,
            "too_large",
            _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)},
        )
    if not data.strip(WHITESPACE.encode()):
        return "", RowError(None, "empty", _("The file is empty."))
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        return "", RowError(
            None,
            "spreadsheet",
            _("This is an Excel workbook, not a CSV file. In Excel choose Save as, CSV."),
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        # Excel writes UTF-8 (with a BOM) or, in "CSV (gescheiden door lijstscheidingsteken)",
        # Windows-1252. Latin-1 would accept any bytes and hide a wrong file, so it is not tried.
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, None
    return "", RowError(
        None,
        "unreadable",
        _("The file cannot be read as text. Save it from Excel as CSV (UTF-8)."),
    )


def _records(text: str) -> tuple[list[tuple[int, list[str]]], RowError | None]:
    """The CSV records with their Excel row numbers; blank lines count as rows, as in Excel."""
    lines = text.splitlines()
    first = lines[0].strip(WHITESPACE) if lines else ""
    if first.lower().startswith("sep=") and first[4:] in (";", ",", "\t", "|"):
        # Excel's own hint for the delimiter; it takes up the first row.
        delimiter, skip = first[4], True
    else:
        # Dutch Excel separates with ";" (the decimal sign is a comma); others with ",".
        delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
        skip = False
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=delimiter, strict=False)
    records, filled = [], 0
    try:
        for number, cells in enumerate(reader, start=1):
            if skip and number == 1:
                continue
            filled += _filled(cells)
            if filled > MAX_ROWS + 1:  # the header, then at most MAX_ROWS pupils
                return [], RowError(
                    None,
                    "too_many_rows",
                    _("The file has more than %(max)s pupils.") % {"max": MAX_ROWS},
                )
            records.append((number, cells))
    except csv.Error:
        row = (records[-1][0] if records else int(skip)) + 1
        return [], RowError(
            row,
            "bad_csv",
            _("Row %(row)s is not valid CSV (a quote without its closing quote, or too long).")
            % {"row": row},
        )
    return records, None


def _filled(cells: list[str]) -> bool:
    return any(cell.strip(WHITESPACE) for cell in cells)


def _columns(header: list[str], row: int) -> tuple[dict[str, int], RowError | None]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = re.sub(r"[\s-]+", "_", cell.strip(WHITESPACE + '"').lower())
        if name in columns:
            return {}, RowError(
                row,
                "duplicate_column",
                _("Row %(row)s: the column %(column)s appears twice.")
                % {"row": row, "column": name},
            )
        if name:
            columns[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        return {}, RowError(
            row,
            "missing_column",
            _("Row %(row)s: the column(s) %(columns)s are missing. Required: %(required)s.")
            % {"row": row, "columns": ", ".join(missing), "required": ", ".join(REQUIRED_COLUMNS)},
        )
    return columns, None


def _pupil_row(
    row: int, cells: list[str], columns: dict[str, int], width: int, today: date
) -> tuple[PupilRow | None, list[RowError]]:
    errors: list[RowError] = []

    def fail(code, message, **params):
        errors.append(RowError(row, code, _("Row %(row)s: ") % {"row": row} + message % params))

    if any(cell.strip(WHITESPACE) for cell in cells[width:]):
        fail("extra_cells", _("more values than there are columns."))
    values: dict[str, str] = {}
    flagged: set[str] = set()  # columns with an error already: not reported again as empty
    for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
        if name not in columns:
            values[name] = ""
            continue
        raw = cells[columns[name]] if columns[name] < len(cells) else ""
        value = raw.strip(WHITESPACE)
        flagged.add(name)  # until it passes the checks below
        if raw.startswith(FORMULA_START) or value.startswith(FORMULA_START):
            fail(
                "formula",
                _("%(column)s starts with %(char)s, like a formula."),
                column=name,
                char=repr(value[:1] or raw[:1]),
            )
            value = ""
        elif any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in value):
            fail("control_character", _("%(column)s contains an invalid character."), column=name)
            value = ""
        elif len(value) > MAX_LENGTH[name]:
            fail(
                "too_long",
                _("%(column)s is longer than %(max)s characters."),
                column=name,
                max=MAX_LENGTH[name],
            )
            value = ""
        else:
            flagged.discard(name)
        values[name] = value

    for name in REQUIRED_FIELDS:
        if not values[name] and name not in flagged:
            fail("required", _("%(column)s is empty."), column=name)
    number = values["leerlingnummer"]
    if number and not NUMBER_PATTERN.fullmatch(number):
        fail(
            "bad_number",
            _("leerlingnummer %(value)s is not a number from the administration."),
            value=number,
        )
    last_name = " ".join(filter(None, (values["tussenvoegsel"], values["achternaam"])))
    if len(last_name) > MAX_LENGTH["achternaam"]:
        fail(
            "too_long",
            _("%(column)s is longer than %(max)s characters."),
            column="achternaam",
            max=MAX_LENGTH["achternaam"],
        )
    birth_date = None
    if values["geboortedatum"]:
        birth_date, message = _birth_date(values["geboortedatum"], today)
        if message:
            fail("bad_date", message)
    guardians = []
    for n in (1, 2):
        given = {part: values[f"ouder{n}_{part}"] for part in GUARDIAN_FIELDS}
        if n == 2 and not any(given.values()):
            continue  # the second guardian may be empty
        for part in GUARDIAN_FIELDS:
            if not given[part] and f"ouder{n}_{part}" not in flagged:
                fail("required", _("%(column)s is empty."), column=f"ouder{n}_{part}")
        email = _email(given["email"], f"ouder{n}_email", fail)
        gezag = given["gezag"].lower()
        if gezag and gezag not in ("ja", "nee"):
            fail(
                "bad_gezag",
                _("ouder%(n)s_gezag must be ja or nee, not %(value)s."),
                n=n,
                value=given["gezag"],
            )
        if given["naam"] and email and gezag in ("ja", "nee"):
            guardians.append(GuardianRow(name=given["naam"], email=email, has_gezag=gezag == "ja"))
    if len(guardians) == 2 and guardians[0].email == guardians[1].email:
        fail("same_email", _("both guardians have the same e-mail address."))
    pupil_email = _email(values["leerling_email"], "leerling_email", fail)
    if pupil_email and pupil_email in {g.email for g in guardians}:
        fail("same_email", _("the pupil has the e-mail address of a guardian."))
    if errors:
        return None, errors
    return (
        PupilRow(
            row=row,
            number=number,
            first_name=values["voornaam"],
            last_name=last_name,
            birth_date=birth_date,
            group=values["groep"],
            guardians=tuple(guardians),
            email=pupil_email,
        ),
        [],
    )


def _email(value: str, column: str, fail) -> str:
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        fail(
            "bad_email",
            _("%(column)s %(value)s is not an e-mail address."),
            column=column,
            value=value,
        )
        return ""
    return value.lower()


def _birth_date(value: str, today: date) -> tuple[date | None, str]:
    for pattern, order in DATE_PATTERNS:
        match = pattern.fullmatch(value)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            try:
                day = date(parts["year"], parts["month"], parts["day"])
            except ValueError:
                return None, _("geboortedatum %(value)s does not exist.") % {"value": value}
            if day > today:
                return None, _("geboortedatum %(value)s lies in the future.") % {"value": value}
            if not MIN_AGE <= age_on(day, today) <= MAX_AGE:
                return None, _(
                    "geboortedatum %(value)s gives age %(age)s; pupils are %(min)s to %(max)s."
                ) % {"value": value, "age": age_on(day, today), "min": MIN_AGE, "max": MAX_AGE}
            return day, ""
    return None, _("geboortedatum %(value)s is not a date like 31-12-2015.") % {"value": value}


# --- Comparing with the school's pupils -------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One difference for an existing pupil, shown in the preview as "what: old → new"."""

    what: str
    old: str
    new: str


@dataclass
class PupilUpdate:
    pupil: Pupil
    row: PupilRow
    changes: list[Change]


@dataclass
class TeacherUpdate:
    staff: Staff
    row: TeacherRow
    changes: list[Change]


@dataclass
class Plan:
    """What an import would do for one school; `errors` empty means it can be applied."""

    school: School
    school_year: str
    lists_guardians: bool = True
    new: list[PupilRow] = field(default_factory=list)
    changed: list[PupilUpdate] = field(default_factory=list)
    unchanged: list[PupilUpdate] = field(default_factory=list)
    left: list[Pupil] = field(default_factory=list)
    groups_to_create: list[str] = field(default_factory=list)
    accounts_to_create: list[str] = field(default_factory=list)
    accounts_matched: list[str] = field(default_factory=list)
    teachers_new: list[TeacherRow] = field(default_factory=list)
    teachers_changed: list[TeacherUpdate] = field(default_factory=list)
    teachers_unchanged: list[TeacherUpdate] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Filled while planning, used when applying.
    groups: dict[str, ClassGroup] = field(default_factory=dict, repr=False)
    users: dict[str, User] = field(default_factory=dict, repr=False)
    guardianships: dict[int, dict[str, Guardian]] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def fingerprint(self) -> str:
        """A short digest of what the plan does: a preview is stale when this changed."""
        parts = [
            self.school_year,
            *(f"n{r.number}" for r in self.new),
            *(f"c{u.pupil.pk}:{u.changes}" for u in self.changed),
            *(f"l{p.pk}" for p in self.left),
            *(f"g{name}" for name in self.groups_to_create),
            *(f"a{email}" for email in self.accounts_to_create),
            *(f"t{t.email}:{t.groups}" for t in self.teachers_new),
            *(f"s{u.staff.pk}:{u.changes}" for u in self.teachers_changed),
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _key(value: str) -> str:
    return " ".join(value.split()).casefold()


def _is_enrolled(pupil: Pupil, today: date) -> bool:
    return pupil.leave_date is None or pupil.leave_date > today


def make_plan(parsed: ParsedFile, *, school: School, today: date) -> Plan:
    """Compare a parsed file with `school`'s pupils, in a fixed number of queries."""
    plan = Plan(
        school=school,
        school_year=school_year_of(today),
        lists_guardians=parsed.lists_guardians,
        errors=list(parsed.errors),
    )
    if parsed.brin and not _same_brin(parsed.brin, school.brin):
        plan.errors.append(
            RowError(
                None,
                "other_school",
                _(
                    "This file is of the school with BRIN %(file)s, not of %(school)s "
                    "(BRIN %(brin)s). Upload the export of %(school)s."
                )
                % {"file": parsed.brin, "school": school.name, "brin": school.brin},
            )
        )
    if not parsed.rows or plan.errors:
        return plan
    pupils = list(Pupil.objects.filter(school=school).select_related("group", "user"))
    by_number = {p.number.casefold(): p for p in pupils if p.number}
    # Before a school's first import its pupils have no number: match those on name and date
    # of birth, once, so the first import numbers them instead of adding them twice.
    unnumbered: dict[tuple, list[Pupil]] = {}
    for p in pupils:
        if not p.number:
            unnumbered.setdefault((_key(p.first_name), _key(p.last_name), p.birth_date), []).append(
                p
            )
    plan.groups = {
        _key(g.name): g
        for g in ClassGroup.objects.filter(school=school, school_year=plan.school_year)
    }
    emails = {g.email for r in parsed.rows for g in r.guardians}
    emails |= {r.email for r in parsed.rows if r.email and pupil_decides(r.birth_date, today)}
    emails |= {t.email for t in parsed.teachers}
    plan.users = {
        u.email_lower: u
        for u in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .select_related("pupil")
    }
    matched: dict[int, tuple[Pupil, PupilRow]] = {}
    for row in parsed.rows:
        pupil = by_number.get(row.number.casefold())
        if pupil is None:
            candidates = unnumbered.get(
                (_key(row.first_name), _key(row.last_name), row.birth_date), []
            )
            pupil = next((p for p in candidates if p.pk not in matched), None)
        if pupil is None:
            plan.new.append(row)
        else:
            matched[pupil.pk] = (pupil, row)
    for guardian in Guardian.objects.filter(pupil__in=list(matched)).select_related("user"):
        plan.guardianships.setdefault(guardian.pupil_id, {})[guardian.user.email.lower()] = guardian

    pupil_of_row = {row.row: pupil.pk for pupil, row in matched.values()}
    pupil_emails: dict[str, int] = {}
    for row in parsed.rows:
        if not row.email or not pupil_decides(row.birth_date, today):
            continue
        account = plan.users.get(row.email)
        own = _linked_pupil(account) if account else None
        linked = own.pk if own else None
        earlier = pupil_emails.setdefault(row.email, row.row)
        if earlier != row.row or linked not in (None, pupil_of_row.get(row.row)):
            plan.errors.append(
                RowError(
                    row.row,
                    "email_taken",
                    _("Row %(row)s: leerling_email %(email)s is the account of another pupil.")
                    % {"row": row.row, "email": row.email},
                )
            )
    for pupil, row in matched.values():
        update = PupilUpdate(pupil, row, _changes(pupil, row, plan, today))
        (plan.changed if update.changes else plan.unchanged).append(update)
    plan.left = sorted(
        (
            p
            for p in pupils
            if p.pk not in matched and _is_enrolled(p, today) and p.start_date <= today
        ),
        key=lambda p: (p.group.name if p.group else "", p.last_name, p.first_name),
    )
    new_groups = {}
    names = [row.group for row in parsed.rows] + parsed.groups
    for name in names + [name for t in parsed.teachers for name in t.groups]:
        if _key(name) not in plan.groups:
            new_groups.setdefault(_key(name), name)
    plan.groups_to_create = sorted(new_groups.values(), key=_key)
    if parsed.teachers:
        _plan_teachers(plan, parsed.teachers, today)
    wanted = {g.email for r in parsed.rows for g in r.guardians}
    wanted |= {r.email for r in parsed.rows if r.email and pupil_decides(r.birth_date, today)}
    wanted |= {t.email for t in parsed.teachers}
    plan.accounts_to_create = sorted(wanted - set(plan.users))
    plan.accounts_matched = sorted(wanted & set(plan.users))
    plan.errors.sort(key=lambda e: (e.row or 0, e.code))
    return plan


def _same_brin(file_brin: str, school_brin: str) -> bool:
    # "12AB" is the school, "12AB01" one of its locations: a location code must match when
    # both give one.
    a, b = file_brin.upper(), school_brin.upper()
    return a[:4] == b[:4] and (len(a) == 4 or len(b) == 4 or a == b)


def _plan_teachers(plan: Plan, teachers: list[TeacherRow], today: date) -> None:
    users = [plan.users[t.email] for t in teachers if t.email in plan.users]
    staff = {
        s.user_id: s
        for s in Staff.objects.filter(school=plan.school, user__in=users).prefetch_related("groups")
    }
    for row in teachers:
        user = plan.users.get(row.email)
        position = staff.get(user.pk) if user else None
        if position is None:
            plan.teachers_new.append(row)
            continue
        changes = []
        current = sorted(
            (g.name for g in position.groups.all() if g.school_year == plan.school_year), key=_key
        )
        wanted = sorted(row.groups, key=_key)
        if [_key(n) for n in current] != [_key(n) for n in wanted]:
            changes.append(Change(_("groups"), ", ".join(current) or "—", ", ".join(wanted) or "—"))
        if position.end_date and position.end_date <= today:
            changes.append(Change(_("end date"), position.end_date.strftime("%d-%m-%Y"), "—"))
        update = TeacherUpdate(position, row, changes)
        (plan.teachers_changed if changes else plan.teachers_unchanged).append(update)


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _changes(pupil: Pupil, row: PupilRow, plan: Plan, today: date) -> list[Change]:
    def label(name):
        return str(Pupil._meta.get_field(name).verbose_name)

    changes = []
    if pupil.number != row.number:
        changes.append(Change(label("number"), pupil.number or "—", row.number))
    for name in ("first_name", "last_name"):
        if getattr(pupil, name) != getattr(row, name):
            changes.append(Change(label(name), getattr(pupil, name), getattr(row, name)))
    if pupil.birth_date != row.birth_date:
        changes.append(
            Change(
                label("birth_date"),
                pupil.birth_date.strftime("%d-%m-%Y"),
                row.birth_date.strftime("%d-%m-%Y"),
            )
        )
    group = pupil.group
    if (
        group is None
        or group.school_year != plan.school_year
        or _key(group.name) != _key(row.group)
    ):
        existing = plan.groups.get(_key(row.group))
        new = str(existing) if existing else f"{row.group} ({plan.school_year})"
        changes.append(Change(label("group"), str(group) if group else "—", new))
    if pupil.leave_date and pupil.leave_date <= today:
        changes.append(Change(label("leave_date"), pupil.leave_date.strftime("%d-%m-%Y"), "—"))
    if not plan.lists_guardians:
        return changes  # EDEXML: the guardians come from the CSV and stay as they are
    current = plan.guardianships.get(pupil.pk, {})
    for guardian in row.guardians:
        link = current.get(guardian.email)
        if link is None:
            changes.append(
                Change(
                    _("guardian"),
                    "—",
                    _("%(name)s <%(email)s>, gezag %(gezag)s")
                    % {
                        "name": guardian.name,
                        "email": guardian.email,
                        "gezag": _yes_no(guardian.has_gezag),
                    },
                )
            )
        elif link.has_gezag != guardian.has_gezag:
            changes.append(
                Change(
                    _("gezag of %(email)s") % {"email": guardian.email},
                    _yes_no(link.has_gezag),
                    _yes_no(guardian.has_gezag),
                )
            )
    listed = {g.email for g in row.guardians}
    for email in sorted(set(current) - listed):
        changes.append(Change(_("guardian"), email, "—"))
    if row.email and pupil_decides(row.birth_date, today):
        old = pupil.user.email.lower() if pupil.user else ""
        if old != row.email:
            changes.append(Change(label("user"), old or "—", row.email))
    return changes


# --- Writing ------------------------------------------------------------------------------


class ImportRefused(Exception):
    """The file has bad rows (or no longer fits the database): nothing was written."""

    def __init__(self, plan: Plan):
        super().__init__(f"{len(plan.errors)} bad row(s)")
        self.plan = plan


@dataclass(frozen=True)
class Summary:
    new: int
    changed: int
    unchanged: int
    left: int  # marked as left by this import
    left_unconfirmed: int  # missing from the file but kept, because nobody confirmed
    groups_created: int
    accounts_created: int  # each is sent an invitation after the commit
    accounts_matched: int
    teachers_new: int = 0
    teachers_changed: int = 0


def summarise(plan: Plan, *, confirm_left: bool, written: bool = True) -> Summary:
    """The counts of `plan`, as the command prints them and the page shows them."""
    return Summary(
        new=len(plan.new),
        changed=len(plan.changed),
        unchanged=len(plan.unchanged),
        left=len(plan.left) if confirm_left and written else 0,
        left_unconfirmed=0 if confirm_left and written else len(plan.left),
        groups_created=len(plan.groups_to_create),
        accounts_created=len(plan.accounts_to_create),
        accounts_matched=len(plan.accounts_matched),
        teachers_new=len(plan.teachers_new),
        teachers_changed=len(plan.teachers_changed),
    )


def import_pupils(
    parsed: ParsedFile,
    *,
    school: School,
    today: date,
    confirm_left: bool = False,
    expected: str | None = None,
) -> tuple[Plan, Summary]:
    """Write the import for `school` in one transaction, or nothing: raises ImportRefused.

    Side effects: creates groups (this school year), accounts without a password, pupils and
    guardian links; updates changed pupils and guardians' gezag; removes guardian links the
    file no longer has (not for EDEXML, which lists none); creates or updates the staff
    records of the file's teachers with their groups of this school year; with
    `confirm_left` marks pupils missing from the file as left today.
    After the commit every new account is sent an invitation. With `expected` (the
    fingerprint of the plan someone checked) a plan that came out differently is refused too.
    """
    with transaction.atomic():
        # Two imports for one school at once would both plan from the same rows; take turns.
        School.objects.select_for_update().filter(pk=school.pk).first()
        plan = make_plan(parsed, school=school, today=today)
        if not plan.ok or (expected is not None and plan.fingerprint() != expected):
            raise ImportRefused(plan)
        created = _write(plan, today=today, confirm_left=confirm_left)
    for user in created:
        # Each on its own: one failing mail server call must not keep the others from going.
        transaction.on_commit(
            lambda user=user: invite(user, school=school, today=today), robust=True
        )
    return plan, summarise(plan, confirm_left=confirm_left)


def _write(plan: Plan, *, today: date, confirm_left: bool) -> list[User]:
    for name in plan.groups_to_create:
        group = ClassGroup(school=plan.school, name=name, school_year=plan.school_year)
        group.full_clean()
        group.save()
        plan.groups[_key(name)] = group
    names = {}
    for row in plan.new + [u.row for u in plan.changed]:
        if row.email:
            names.setdefault(row.email, (row.first_name, row.last_name))
        for guardian in row.guardians:
            first, _space, last = guardian.name.partition(" ")
            names.setdefault(guardian.email, (first, last.strip()))
    for teacher in plan.teachers_new + [u.row for u in plan.teachers_changed]:
        names.setdefault(teacher.email, (teacher.first_name, teacher.last_name))
    created = []
    for email in plan.accounts_to_create:
        first, last = names.get(email, ("", ""))
        # No password: the invitation's one-time link lets the person choose one.
        user = User.objects.create_user(email, password=None, first_name=first, last_name=last)
        plan.users[email] = user
        created.append(user)
    # Pupil.clean() holds the model's rules; the row shapes were checked when parsing and the
    # database's constraints guard the rest, which keeps a 10,000-row import to its writes.
    for row in plan.new:
        pupil = Pupil(school=plan.school, number=row.number, start_date=today)
        _fill(pupil, row, plan, today)
        pupil.clean()
        pupil.save()
        if plan.lists_guardians:
            _sync_guardians(pupil, row, plan)
    for update in plan.changed:
        _fill(update.pupil, update.row, plan, today)
        update.pupil.clean()
        update.pupil.save()
        if plan.lists_guardians:
            _sync_guardians(update.pupil, update.row, plan)
    _write_teachers(plan, today=today)
    if confirm_left:
        for pupil in plan.left:
            pupil.leave_date = today
            pupil.clean()
            pupil.save(update_fields=["leave_date"])
    return created


def _fill(pupil: Pupil, row: PupilRow, plan: Plan, today: date) -> None:
    pupil.number = row.number
    pupil.first_name = row.first_name
    pupil.last_name = row.last_name
    pupil.birth_date = row.birth_date
    pupil.group = plan.groups[_key(row.group)]
    if pupil.leave_date and pupil.leave_date <= today:
        pupil.leave_date = None  # back in the administration, so back at school
    if pupil.start_date > today:
        pupil.start_date = today
    if row.email and pupil_decides(row.birth_date, today):
        pupil.user = plan.users[row.email]


TEACHER_FUNCTION = "leerkracht"  # data, like the administration's own word for the function


def _write_teachers(plan: Plan, *, today: date) -> None:
    for row in plan.teachers_new:
        staff = Staff(
            user=plan.users[row.email],
            school=plan.school,
            function=TEACHER_FUNCTION,
            start_date=today,
        )
        staff.full_clean()
        staff.save()
        staff.groups.set([plan.groups[_key(name)] for name in row.groups])
    for update in plan.teachers_changed:
        staff = update.staff
        if staff.end_date and staff.end_date <= today:
            staff.end_date = None  # in the administration again, so working here again
            staff.save(update_fields=["end_date"])
        # Groups of other school years stay: they are that year's history.
        kept = [g for g in staff.groups.all() if g.school_year != plan.school_year]
        staff.groups.set(kept + [plan.groups[_key(name)] for name in update.row.groups])


def _sync_guardians(pupil: Pupil, row: PupilRow, plan: Plan) -> None:
    current = plan.guardianships.get(pupil.pk, {})
    for guardian in row.guardians:
        link = current.get(guardian.email)
        if link is None:
            Guardian.objects.create(
                user=plan.users[guardian.email], pupil=pupil, has_gezag=guardian.has_gezag
            )
        elif link.has_gezag != guardian.has_gezag:
            link.has_gezag = guardian.has_gezag
            link.save(update_fields=["has_gezag"])
    listed = {g.email for g in row.guardians}
    for email, link in current.items():
        if email not in listed:
            link.delete()  # the administration no longer lists them (history keeps the row)


# --- Invitations --------------------------------------------------------------------------


def invite(user: User, *, school: School, today: date) -> bool:
    """Mail `user` a one-time link to choose a password; at most once a day per account.

    The link is Django's password reset token: it stops working once a password is set
    (and after settings.PASSWORD_RESET_TIMEOUT). Returns False when sent today already.
    """
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context = {
        "school": school.name,
        "url": notices.absolute(reverse("schools:activate", args=[uid, token])),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
    }
    return notices.send(
        f"invitation:{user.pk}:{today.isoformat()}",
        user,
        "emails/invitation_subject.txt",
        "emails/invitation.txt",
        context,
    )


def pending_accounts(school: School, *, today: date):
    """Accounts of `school`'s guardians and pupils that were never activated (no password)."""
    pupils = Pupil.objects.filter(
        Q(leave_date__isnull=True) | Q(leave_date__gt=today), school=school
    )
    return (
        User.objects.filter(
            Q(pk__in=Guardian.objects.filter(pupil__in=pupils).values("user"))
            | Q(pk__in=pupils.filter(user__isnull=False).values("user")),
            password__startswith=UNUSABLE_PASSWORD_PREFIX,
            last_login__isnull=True,
            is_active=True,
        )
        .select_related("pupil")
        .order_by("last_name", "first_name", "email")
    )


@dataclass(frozen=True)
class PendingAccount:
    user: User
    pupils: list[str]  # the names of the pupils the account is for
    last_invited: object  # datetime of the last invitation, or None


def pending_overview(users, *, school: School) -> list[PendingAccount]:
    """`users` (from `pending_accounts`) with their pupils and when each was last invited."""
    users = list(users)
    prefetch_related_objects(
        users,
        Prefetch(
            "guardianships",
            queryset=Guardian.objects.filter(pupil__school=school).select_related("pupil"),
        ),
    )
    invited = dict(
        Notice.objects.filter(key__startswith="invitation:", recipient__in=[u.email for u in users])
        .values("recipient")
        .annotate(last=Max("sent_at"))
        .values_list("recipient", "last")
    )
    overview = []
    for user in users:
        pupils = [g.pupil.full_name for g in user.guardianships.all()]
        own = _linked_pupil(user)
        if own is not None and own.school_id == school.pk:
            pupils.append(own.full_name)
        overview.append(PendingAccount(user, pupils, invited.get(user.email)))
    return overview


def _linked_pupil(user: User) -> Pupil | None:
    try:
        return user.pupil
    except Pupil.DoesNotExist:
        return None
