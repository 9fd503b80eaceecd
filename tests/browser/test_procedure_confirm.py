"""Decisions that are confirmed before they are saved: the council's vote, the board's adoption.

Seed 003 as in test_procedure.py, brought up to the council's step through the workflow; the
GMR member then records the vote on a phone-sized screen with the browser's date picker, and
the board adopts the version with a later date in force.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from protocols import workflow
from protocols.models import ProcedureStep, StepKind
from tests.browser.test_procedure import (  # noqa: F401 (browser_of is a fixture)
    SUMMARY,
    browser_of,
    definition,
    dmy,
    fill_vote,
    h1,
    nl,
    procedure,
    seed_003,
    status_message,
)

pytestmark = pytest.mark.browser


def test_gmr_member_records_the_vote_and_the_board_adopts_after_confirming(
    live_server,
    browser_of,  # noqa: F811 (the fixture imported above)
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed = seed_003()
    today = timezone.localdate()
    version = seed.draft
    workflow.submit(version, by=seed.director, change_summary=SUMMARY, legal_basis="consent")
    advice = version.steps.get(kind=StepKind.ADVICE)
    workflow.record_decision(
        advice, by=seed.director, decided_on=today, outcome=ProcedureStep.Outcome.POSITIVE
    )

    # The GMR member, on a phone, records the council's vote and checks it before saving.
    member = browser_of(seed.gmr_member, "gmr-member")
    member.set_viewport_size({"width": 390, "height": 844})
    member.goto(version.get_absolute_url())
    assert member.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    procedure(member).get_by_role(
        "link", name=nl("Record the decision: %(step)s") % {"step": "GMR"}, exact=True
    ).click()
    decided = member.get_by_label(nl("Decided on"))
    expect(decided).to_have_attribute("type", "date")
    decided.fill(today.isoformat())
    fill_vote(member, "Parents", members=3, present=3, votes_for=3, against=0, abstentions=0)
    fill_vote(member, "Staff", members=3, present=3, votes_for=2, against=1, abstentions=0)
    member.get_by_role("button", name=nl("Check the decision"), exact=True).click()

    expect(h1(member)).to_have_text(nl("Check the decision: %(step)s") % {"step": "GMR"})
    expect(definition(member, nl("Decided on"))).to_have_text(dmy(today))
    outcome = f"{nl('consent granted')}, {nl('Parents').lower()} 3-0, {nl('Staff').lower()} 2-1"
    expect(definition(member, nl("Outcome"))).to_have_text(outcome)
    assert version.steps.get(kind=StepKind.CONSENT).status == ProcedureStep.Status.OPEN
    member.get_by_role("button", name=nl("Confirm and record"), exact=True).click()
    expect(status_message(member)).to_contain_text(
        nl("The decision on %(step)s has been recorded: %(outcome)s.")
        % {"step": "GMR", "outcome": nl("granted")}
    )

    rvt = version.steps.get(kind=StepKind.APPROVAL)
    workflow.mark_not_applicable(rvt, by=seed.director, reason="Niet in de statuten.")

    # The board adopts with a later date in force, after reading what will happen.
    later = today + timedelta(days=30)
    board = browser_of(seed.board_member, "board-member")
    board.goto(version.get_absolute_url())
    adopt = board.get_by_role("form", name=nl("Adopt this version"), exact=True)
    adopt.get_by_label(nl("Adopted on")).fill(today.isoformat())
    adopt.get_by_label(nl("In force from")).fill(later.isoformat())
    adopt.get_by_role("button", name=nl("Adopt"), exact=True).click()

    expect(h1(board)).to_have_text(nl("Check the adoption"))
    expect(definition(board, nl("In force from"))).to_have_text(dmy(later))
    effects = board.get_by_role("list").filter(
        has_text=nl("Staff are asked to confirm that they have read this version.")
    )
    expect(effects).to_contain_text(
        nl("The PDF of this version is stored for every school it applies to.")
    )
    board.get_by_role("button", name=nl("Confirm and adopt"), exact=True).click()

    expect(status_message(board)).to_contain_text(nl("The version has been adopted."))
    expect(board.locator("main p strong").first).to_have_text(
        nl("adopted, in force from %(date)s") % {"date": dmy(later)}
    )
