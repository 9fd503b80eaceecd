"""Plain helpers shared by the view tests: URLs, dates as typed, page text, procedure steps."""

import re
from datetime import timedelta

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from protocols import workflow
from protocols.models import ProcedureStep, ReadingLink, StepKind
from tests.protocols.helpers import today

Outcome = ProcedureStep.Outcome


def dmy(day) -> str:
    """A date as the portal shows it and a user types it: dd-mm-jjjj."""
    return day.strftime("%d-%m-%Y")


def url(name, *args):
    return reverse(f"protocols:{name}", args=args)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def step_rows(response) -> list[list[str]]:
    """The procedure table as the user reads it: one list of cell texts per step."""
    html = response.content.decode()
    table = re.search(r'<table class="[^"]*procedure-steps.*?</table>', html, re.S).group(0)
    body = table.split("<tbody>")[1]
    return [
        [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def confirmed_post(client, path, data, **kwargs):
    """Post a two-step form as the user does: the input, then the confirmation of its summary.

    When the first post shows no summary (an error), that response is returned.
    """
    first = client.post(path, data)
    if "payload" not in (first.context or {}):
        return first
    return client.post(path, {"payload": first.context["payload"], "confirm": "1"}, **kwargs)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def step_of(version, kind) -> ProcedureStep:
    return version.steps.get(kind=kind)


def open_council_step(version, director):
    """Give the directors' positive advice on a submitted version; returns the council step."""
    advice = step_of(version, StepKind.ADVICE)
    workflow.record_decision(advice, by=director, decided_on=today(), outcome=Outcome.POSITIVE)
    return step_of(version, StepKind.CONSENT)


def section(version, heading):
    return version.sections.get(heading=heading)


def make_link(version, by, token="t0k3n-abc", **kwargs):
    """A reading link whose token (only its hash is stored) is kept on the object for the test."""
    values = {
        "version": version,
        "token_hash": ReadingLink.hash(token),
        "name": "Mr. A. Adviseur",
        "email": "adviseur@example.org",
        "created_by": by,
        "expires_at": timezone.now() + timedelta(days=14),
    }
    link = ReadingLink.objects.create(**(values | kwargs))
    link.token = token
    return link
