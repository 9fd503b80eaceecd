"""The dates the WMS sets for a procedure. Pure functions: no database, "today" is a parameter.

- art. 32: after a council withholds consent, the board has three months to withdraw the
  proposal or ask the Landelijke Commissie Geschillen (LCG WMS) for a ruling, and six weeks
  from its notice of that to submit the request (DOMAIN A.9);
- after an adoption the council has six weeks to invoke nullity or start a dispute (A.10);
- a protocol is evaluated two years after it takes effect, unless the board says otherwise.
"""

import calendar
from datetime import date, timedelta

EVALUATION_YEARS = 2
CHOOSE_MONTHS = 3
LCG_SUBMIT_WEEKS = 6
DISPUTE_WEEKS = 6


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, on the last day of a shorter month."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def evaluation_date(effective_date: date) -> date:
    """When an adopted protocol is evaluated by default."""
    return add_months(effective_date, 12 * EVALUATION_YEARS)


def consent_clock(
    withheld_on: date,
    *,
    lcg_notified_on: date | None,
    lcg_submitted_on: date | None,
    today: date,
) -> dict:
    """Art. 32: three months to choose, then six weeks from the notice to the LCG.

    Returns {"choose_by", "submit_by" (None until the LCG was notified), "lapsed"}.
    """
    choose_by = add_months(withheld_on, CHOOSE_MONTHS)
    submit_by = lcg_notified_on + timedelta(weeks=LCG_SUBMIT_WEEKS) if lcg_notified_on else None
    lapsed = (not lcg_notified_on and today > choose_by) or (
        submit_by is not None and not lcg_submitted_on and today > submit_by
    )
    return {"choose_by": choose_by, "submit_by": submit_by, "lapsed": lapsed}


def dispute_until(adopted_on: date) -> date:
    """The last day of the council's six weeks after an adoption, holidays included."""
    return adopted_on + timedelta(weeks=DISPUTE_WEEKS)
