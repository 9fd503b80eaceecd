""" "Wacht op jou": what waits for a user, gathered from every app.

Each app offers one provider, `items_for(user) -> list[Item]`, listed in the setting
`PORTAL_WAITING_PROVIDERS`; the home page shows their items together, soonest due first. So
the home page names no app, and an app joins by adding one line to that setting.
"""

from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from django.conf import settings
from django.utils.module_loading import import_string


class Urgency(IntEnum):
    LOW = 0
    NORMAL = 1
    HIGH = 2  # a deadline passed or is about to, or the law sets a clock


@dataclass(frozen=True)
class Item:
    """One thing a user is asked to do: what, where to do it, by when, and how pressing."""

    title: str
    url: str
    due: date | None = None
    urgency: Urgency = Urgency.NORMAL


def providers() -> list:
    return [import_string(path) for path in settings.PORTAL_WAITING_PROVIDERS]


def items_for(user) -> list[Item]:
    """Every app's items for `user`: soonest due first, undated last, urgent first on a tie."""
    if not user.is_authenticated:
        return []
    items = [item for provider in providers() for item in provider(user)]
    # sorted() is stable, so each app's own order survives among equal items.
    return sorted(items, key=lambda i: (i.due is None, i.due or date.min, -i.urgency))
