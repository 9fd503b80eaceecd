"""Who decides on consent, and how answers combine. Pure functions: no database.

"Today" is always a parameter. The age rule itself lives in `schools.rules` (the home page
shows it too); this module applies it to consent (DOMAIN B rules 18-20, 25, 26, 28).
"""

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from schools.rules import CONSENT_AGE, age_on, pupil_decides

__all__ = [
    "CONSENT_AGE",
    "Decider",
    "State",
    "age_on",
    "combine",
    "deciders_on",
    "guardians_state",
    "may_decide",
    "pupil_decides",
    "sixteenth_birthday",
]


class State(models.TextChoices):
    """The effective consent of one subject for one purpose. Only JA allows publishing."""

    JA = "ja", _("yes")
    NEE = "nee", _("no")
    UNANSWERED = "unanswered", _("not answered (counts as no)")
    DISAGREEMENT = "disagreement", _("guardians disagree (counts as no)")

    @property
    def allows(self) -> bool:
        """True when this state permits publishing; silence and disagreement never do."""
        return self is State.JA


class Decider(StrEnum):
    """Who decides for a subject on a given day."""

    GUARDIANS = "guardians"  # the parents or guardians with gezag, under 16
    PUPIL = "pupil"  # the pupil, from the 16th birthday
    STAFF_MEMBER = "staff_member"  # a staff member, only for themselves


def deciders_on(*, birth_date: date | None, day: date) -> Decider:
    """Who decides on `day`: staff (no birth date given) themselves, else guardians or the pupil."""
    if birth_date is None:
        return Decider.STAFF_MEMBER
    return Decider.PUPIL if pupil_decides(birth_date, day) else Decider.GUARDIANS


def may_decide(decider: Decider, *, is_subject: bool, has_gezag: bool = False) -> bool:
    """True when someone may decide: the subject (16+, staff), else a guardian with gezag."""
    if decider is Decider.GUARDIANS:
        return has_gezag and not is_subject
    return is_subject


def sixteenth_birthday(birth_date: date) -> date:
    """The day from which a pupil decides for themselves."""
    try:
        return birth_date.replace(year=birth_date.year + CONSENT_AGE)
    except ValueError:  # born on 29 February: 16 on 1 March of a non-leap year
        return date(birth_date.year + CONSENT_AGE, 3, 1)


def guardians_state(choices: Iterable[bool]) -> State:
    """Combine the latest answer of each guardian with gezag: one nee wins (rule 26)."""
    choices = list(choices)
    if not choices:
        return State.UNANSWERED
    if all(choices):
        return State.JA  # also one ja while the other guardian has not answered
    return State.DISAGREEMENT if any(choices) else State.NEE


def combine(
    *, guardian_choices: Iterable[bool], pupil_choice: bool | None, pupil_decides: bool
) -> State:
    """The effective state: from 16 the pupil's own answer, else (or until then) the guardians'."""
    if pupil_decides and pupil_choice is not None:
        return State.JA if pupil_choice else State.NEE
    return guardians_state(guardian_choices)
