"""WCAG 2.1 AA on every protocol page of every role, on a phone and a desktop screen, and no
date broken over two lines.

Seed 003 as in test_procedure.py: version 1 adopted (staff asked to confirm reading),
version 2 in procedure at the council's step. Each person walks their pages; the council's
and the board's confirmation pages are reached through their forms, as a user would.
"""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from protocols import acknowledgements, workflow
from protocols.models import ProcedureStep, StepKind
from tests.browser.test_accessibility import problems
from tests.browser.test_procedure import (  # noqa: F401 (browser_of is a fixture)
    SUMMARY,
    browser_of,
    fill_vote,
    nl,
    procedure,
    seed_003,
)
from tests.factories import GuardianFactory, PupilFactory

pytestmark = pytest.mark.browser


def _check(found, page, paths):
    for path in paths:
        page.goto(path)
        found[path] = problems(page)


@pytest.mark.parametrize("width", [390, 1280])
def test_protocol_pages_of_every_role_meet_wcag_21_aa(
    live_server,
    browser_of,  # noqa: F811 (the fixture imported above)
    settings,
    tmp_path,
    width,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed = seed_003()
    today = timezone.localdate()
    version, adopted = seed.draft, seed.adopted
    adopted.refresh_from_db()
    acknowledgements.request(adopted)
    pupil = PupilFactory(school=seed.school, birth_date=date(2016, 4, 1))
    parent = GuardianFactory(pupil=pupil).user
    workflow.submit(version, by=seed.director, change_summary=SUMMARY, legal_basis="consent")
    advice = version.steps.get(kind=StepKind.ADVICE)
    workflow.record_decision(
        advice, by=seed.director, decided_on=today, outcome=ProcedureStep.Outcome.POSITIVE
    )
    protocol = version.protocol
    viewport = {"width": width, "height": 844}
    found = {}

    director = browser_of(seed.director, "director")
    director.set_viewport_size(viewport)
    _check(
        found,
        director,
        [
            reverse("protocols:protocol_list"),
            adopted.get_absolute_url(),
            version.get_absolute_url(),
            reverse("protocols:version_diff", args=[version.pk, adopted.pk]),
            reverse("protocols:decision_log", args=[protocol.pk]),
            reverse("protocols:acknowledgement_overview", args=[adopted.pk]),
        ],
    )

    teacher = browser_of(seed.teacher, "teacher")
    teacher.set_viewport_size(viewport)
    _check(
        found,
        teacher,
        [
            reverse("protocols:acknowledgement_confirm", args=[adopted.pk]),
            reverse("protocols:public_school", args=[seed.school.slug]),
        ],
    )

    visitor = browser_of(parent, "parent")
    visitor.set_viewport_size(viewport)
    _check(
        found,
        visitor,
        [
            reverse("protocols:public_index"),
            reverse("protocols:public_school", args=[seed.school.slug]),
        ],
    )

    # The GMR member reads the proposal and reaches the confirmation of the council's vote.
    member = browser_of(seed.gmr_member, "gmr-member")
    member.set_viewport_size(viewport)
    _check(found, member, [version.get_absolute_url()])
    procedure(member).get_by_role(
        "link", name=nl("Record the decision: %(step)s") % {"step": "GMR"}, exact=True
    ).click()
    found["step_record form"] = problems(member)
    member.get_by_label(nl("Decided on")).fill(today.isoformat())
    fill_vote(member, "Parents", members=3, present=3, votes_for=3, against=0, abstentions=0)
    fill_vote(member, "Staff", members=3, present=3, votes_for=2, against=1, abstentions=0)
    member.get_by_role("button", name=nl("Check the decision"), exact=True).click()
    member.get_by_role("button", name=nl("Confirm and record"), exact=True).wait_for()
    found["step_record confirmation"] = problems(member)
    member.get_by_role("button", name=nl("Confirm and record"), exact=True).click()
    member.get_by_role("status").first.wait_for()
    found["version page after the decision"] = problems(member)

    # The board reaches the confirmation of the adoption.
    workflow.mark_not_applicable(
        version.steps.get(kind=StepKind.APPROVAL), by=seed.director, reason="Niet in de statuten."
    )
    board = browser_of(seed.board_member, "board-member")
    board.set_viewport_size(viewport)
    board.goto(version.get_absolute_url())
    found["version page for the board"] = problems(board)
    adopt = board.get_by_role("form", name=nl("Adopt this version"), exact=True)
    adopt.get_by_label(nl("Adopted on")).fill(today.isoformat())
    adopt.get_by_label(nl("In force from")).fill(today.isoformat())
    adopt.get_by_role("button", name=nl("Adopt"), exact=True).click()
    board.get_by_role("button", name=nl("Confirm and adopt"), exact=True).wait_for()
    found["adoption confirmation"] = problems(board)

    assert found == {path: [] for path in found}
