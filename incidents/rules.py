"""The rules for incidents, as pure functions: no database, and "today" is a parameter.

Routing (DOMAIN 31-33), the phone ladder (seed 004 "Mobiele telefoons", DOMAIN 44), the
limits of a schorsing (41), the steps of a verwijdering (42), which legal duties a case needs
before it may close (32, 41, 42), retention dates (47-51), and the content check of uploads.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from schools.models import SCHOOL_YEAR_START_MONTH, Role

# --- routing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Involved:
    """Who is involved, as routing and the checklist need it: a role and a kind (no names)."""

    role: str  # Involvement.Role value: victim, suspect, witness, reporter
    kind: str  # Involvement.Kind value: pupil, staff, parent, outsider, account


@dataclass(frozen=True)
class Route:
    """Where a report goes: the roles at the school (or the board), and why."""

    roles: tuple[str, ...]
    reason: str  # Incident.Routing value
    to_board: bool = False


def sexual_misconduct_by_staff(sexual_category: bool, involved: list[Involved]) -> bool:
    """DOMAIN 31: a possible sexual offence, with a staff member as suspected perpetrator."""
    return sexual_category and any(p.role == "suspect" and p.kind == "staff" for p in involved)


def route(
    *,
    sexual_category: bool,
    involved: list[Involved],
    to_confidant: bool = False,
    unverified: bool = False,
) -> Route:
    """Who handles a new report.

    Possible sexual misconduct by a staff member goes straight to the board (bevoegd gezag),
    and not to the school's own staff (DOMAIN 31-33); otherwise the confidential counsellor
    when the reporter chose that, the anti-bullying coordinator for an unverified report from
    the public page, and by default the anti-bullying coordinator and the directie.
    """
    if sexual_misconduct_by_staff(sexual_category, involved):
        return Route((Role.BOARD,), "board", to_board=True)
    if to_confidant:
        return Route((Role.CONFIDANT,), "confidant")
    if unverified:
        return Route((Role.ANTI_BULLYING,), "unverified")
    return Route((Role.ANTI_BULLYING, Role.DIRECTOR), "default")


# When nobody holds the roles a report goes to, it still reaches someone who can act.
FALLBACK_ROLES = (Role.DIRECTOR,)


# --- the phone ladder (seed 004) --------------------------------------------------------------


@dataclass(frozen=True)
class PhoneStep:
    """A step of the ladder: 1 until the end of the day; 2 longer, parents told; 3 directie."""

    number: int
    ends_on: date | None  # suggested return date; None when the handler or directie sets it
    parents_told: bool
    directie_decides: bool
    text: str


def school_year_start(day: date) -> date:
    """The first day (1 August) of the school year `day` falls in."""
    year = day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1
    return date(year, SCHOOL_YEAR_START_MONTH, 1)


def phone_step(earlier_this_year: int, day: date) -> PhoneStep:
    """The step for a phone taken on `day`, after `earlier_this_year` earlier ones this year."""
    if earlier_this_year <= 0:
        return PhoneStep(
            1, day, False, False, _("First time: the phone is kept until the end of the day.")
        )
    if earlier_this_year == 1:
        return PhoneStep(
            2,
            None,
            True,
            False,
            _("Second time: the phone is kept longer and the parents are told."),
        )
    return PhoneStep(
        3,
        None,
        True,
        True,
        _("Third time or more: the directie decides how long the phone is kept."),
    )


def phone_overdue(ends_on: date | None, returned: bool, today: date) -> bool:
    """DOMAIN 44: a phone still kept after the day it was to be returned is flagged."""
    return not returned and ends_on is not None and ends_on < today


# --- schorsing (DOMAIN 41) ------------------------------------------------------------------

MAX_SUSPENSION_SCHOOL_DAYS = 5  # at most one week


def school_days(start: date, end: date) -> int:
    """Weekdays from `start` to `end`, both included (holidays are not known here)."""
    days = 0
    day = start
    while day <= end:
        days += day.weekday() < 5
        day += timedelta(days=1)
    return days


def suspension_problems(starts_on: date, ends_on: date | None) -> list[str]:
    """What is wrong with a schorsing from `starts_on` to `ends_on`; empty when it may be given."""
    if ends_on is None:
        return [_("A suspension needs an end date.")]
    if ends_on < starts_on:
        return [_("A suspension cannot end before it starts.")]
    if school_days(starts_on, ends_on) > MAX_SUSPENSION_SCHOOL_DAYS:
        return [_("A suspension lasts at most one week (five school days).")]
    return []


def suspension_needs_inspectie(starts_on: date, ends_on: date) -> bool:
    """DOMAIN 41: a schorsing of more than one day is reported to the Inspectie."""
    return school_days(starts_on, ends_on) > 1


# --- verwijdering (DOMAIN 42) ---------------------------------------------------------------

SEARCH_WEEKS = 8
OBJECTION_WEEKS = 6
OBJECTION_DECISION_WEEKS = 4


@dataclass(frozen=True)
class ExpulsionState:
    """Where an expulsion stands, from its dated steps."""

    missing: list[str]  # steps (ExpulsionStep.Step values) still to do before the decision
    may_decide: bool
    search_until: date | None  # 8 weeks of searching from the decision
    takes_effect: bool  # another school accepts, or 8 weeks of demonstrable searching passed
    objection_until: date | None
    objection_decision_by: date | None
    overdue: list[str] = field(default_factory=list)


BEFORE_DECISION = ("teachers_heard", "parents_heard")
AFTER_DECISION = ("inspectie_informed", "leerplicht_informed")


def expulsion_state(steps: list[tuple[str, date]], today: date) -> ExpulsionState:
    """Rule 42: hear the teachers and the parents, decide in writing, inform the Inspectie and
    leerplicht; effective once another school accepts or after 8 weeks of searching; parents
    object within 6 weeks, the school decides on it within 4."""
    dates: dict[str, date] = {}
    for step, on in sorted(steps, key=lambda s: s[1]):
        dates.setdefault(step, on)
    approached = any(step == "school_approached" for step, _on in steps)
    missing = [step for step in BEFORE_DECISION if step not in dates]
    decided = dates.get("decision_sent")
    if decided:
        missing += [step for step in AFTER_DECISION if step not in dates]
    search_until = decided + timedelta(weeks=SEARCH_WEEKS) if decided else None
    takes_effect = "other_school_accepts" in dates or bool(
        search_until and approached and today >= search_until
    )
    objection_until = decided + timedelta(weeks=OBJECTION_WEEKS) if decided else None
    received = dates.get("objection_received")
    decision_by = received + timedelta(weeks=OBJECTION_DECISION_WEEKS) if received else None
    overdue = []
    if decision_by and "objection_decided" not in dates and today > decision_by:
        overdue.append("objection_decided")
    return ExpulsionState(
        missing=missing,
        may_decide=all(step in dates for step in BEFORE_DECISION),
        search_until=search_until,
        takes_effect=takes_effect,
        objection_until=objection_until,
        objection_decision_by=decision_by,
        overdue=overdue,
    )


# --- the legal duties checklist ---------------------------------------------------------------


@dataclass(frozen=True)
class MeasureFacts:
    kind: str  # Measure.Kind value
    audience: str
    school_days: int = 0  # of a schorsing
    ladder_step: int | None = None


@dataclass(frozen=True)
class CaseFacts:
    """What the checklist depends on, without names."""

    sexual_misconduct_by_staff: bool
    involved: list[Involved]
    measures: list[MeasureFacts]


def required_duties(facts: CaseFacts) -> dict[str, str]:
    """The duties (DutyCheck.Duty values) a case needs before closing, each with the reason.

    Duties not listed are optional (Veilig Thuis where the meldcode applies, a voluntary call
    to the vertrouwensinspecteur, DOMAIN 34-35).
    """
    required: dict[str, str] = {}
    pupils = {p.role for p in facts.involved if p.kind == "pupil"}
    kinds = {m.kind for m in facts.measures if m.audience == "pupil"}
    if facts.sexual_misconduct_by_staff:
        because = str(_("possible sexual misconduct by a staff member (meldplicht)"))
        required["confidential_inspector"] = because
        required["police_report"] = because
        required["accused_informed"] = because
        required["parents_informed"] = because
    if pupils & {"victim", "suspect"}:
        required.setdefault("parents_informed", str(_("a pupil is involved")))
    if any(m.kind == "phone" and (m.ladder_step or 0) >= 2 for m in facts.measures):
        required.setdefault("parents_informed", str(_("a phone was kept longer")))
    if "suspension" in kinds:
        required.setdefault("parents_informed", str(_("a suspension")))
        required["leerplicht"] = str(_("a suspension"))
        required["pupil_file"] = str(_("a suspension"))
    if any(m.kind == "suspension" and m.school_days > 1 for m in facts.measures):
        required["inspectie"] = str(_("a suspension of more than one day"))
    if "expulsion" in kinds:
        because = str(_("an expulsion"))
        required.setdefault("parents_informed", because)
        required["inspectie"] = because
        required["leerplicht"] = because
        required["pupil_file"] = because
    return required


@dataclass(frozen=True)
class DutyFacts:
    duty: str
    state: str  # DutyCheck.State value
    reason: str = ""


def duty_settled(check: DutyFacts) -> bool:
    """Done, or not applicable with a reason."""
    return check.state == "done" or (check.state == "not_applicable" and bool(check.reason.strip()))


def closing_problems(
    checks: list[DutyFacts], required: set[str], phones_kept: int = 0
) -> list[str]:
    """Why a case may not close yet: required duties not settled, phones still kept."""
    settled = {c.duty for c in checks if duty_settled(c)}
    problems = [duty for duty in sorted(required) if duty not in settled]
    if phones_kept:
        problems.append("phone_kept")
    return problems


# --- image abuse and uploads ----------------------------------------------------------------

# An image pasted into a text field arrives as a data URI or as a long run of base64.
_EMBEDDED_IMAGE = re.compile(r"data:image/|<img\b|(?:[A-Za-z0-9+/]{4}){200,}={0,2}", re.IGNORECASE)


def contains_image(text: str) -> bool:
    """True when `text` carries an image (data URI, HTML image or a block of base64)."""
    return bool(_EMBEDDED_IMAGE.search(text or ""))


MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

# Checked from the first bytes of the content, never from the name the uploader gave it.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
)
EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
}


def sniff_content_type(head: bytes) -> str | None:
    """The type of a file from its first bytes: PNG, JPEG, PDF or plain UTF-8 text, else None."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if not head or b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The head may cut a multi-byte character in two at its very end.
        if error.start < len(head) - 3:
            return None
        text = head[: error.start].decode("utf-8")
    if any(ord(char) < 32 and char not in "\t\n\r\f" for char in text):
        return None
    return "text/plain"


# --- retention (DOMAIN D) -------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


@dataclass(frozen=True)
class RetentionDates:
    anonymise_on: date
    delete_on: date


def retention_dates(
    closed_on: date, *, anonymise_after_months: int, delete_after_months: int
) -> RetentionDates:
    """When a case closed on `closed_on` is anonymised and when it is deleted."""
    return RetentionDates(
        add_months(closed_on, anonymise_after_months), add_months(closed_on, delete_after_months)
    )


def retention_cutoff(today: date, months: int) -> date:
    """Cases closed on or before this day have been closed `months` months on `today`."""
    return add_months(today, -months)
