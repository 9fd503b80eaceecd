"""Who decides on a pupil's consent, by age. Pure functions: no database, "today" a parameter.

It lives here, with the pupils, because every app asks it: the home page says per child who
decides, and the consent app applies it to each choice.
"""

from datetime import date

CONSENT_AGE = 16  # UAVG art. 5: under 16, a parent or guardian with gezag gives consent


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def pupil_decides(birth_date: date, day: date) -> bool:
    """True when the pupil, not a parent, gives photo consent on `day`."""
    return age_on(birth_date, day) >= CONSENT_AGE
