"""The daily job: every app's daily function, from one list.

Each app offers one function, `daily(today: date) -> str`, that does what is due on `today`
(reminders, birthdays, retention) and says in one line what it did; they are listed in the
setting `PORTAL_DAILY_JOBS`. Each must be safe to run twice on one day.
"""

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    job: str
    ok: bool
    report: str


def run_daily_jobs(today: date) -> list[Outcome]:
    """Run every daily function for `today`; one that fails is logged and the rest still run."""
    outcomes = []
    for path in settings.PORTAL_DAILY_JOBS:
        try:
            report = import_string(path)(today)
        except Exception as error:  # noqa: BLE001 - one app's failure must not stop the others
            logger.exception("Daily job %s failed", path)
            outcomes.append(Outcome(path, False, f"{type(error).__name__}: {error}"))
        else:
            outcomes.append(Outcome(path, True, report))
    return outcomes
