"""The approval procedure through its pages, from submitting to adoption (seed 003's chain)."""

import re

import pytest

from protocols import wms, workflow
from protocols.models import StepKind
from tests.protocols.helpers import today
from tests.protocols.views.helpers import (
    confirmed_post,
    dmy,
    messages_of,
    step_of,
    step_rows,
    text,
    url,
)

pytestmark = pytest.mark.django_db


def panel_dates(response) -> dict[str, str]:
    """The adoption dates in the panel (above its steps), as label → date."""
    html = response.content.decode().split('id="procedure-heading"')[1].split("<table")[0]
    return dict(
        (text(dt), text(dd))
        for dt, dd in re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    )


def test_the_seed_003_chain_runs_through_the_pages(
    client, draft, director, gmr_de_stichting, gmr_parent, board_member
):
    client.force_login(director)
    # What each page said after each step, in order.
    said = []
    response = client.post(
        url("version_submit", draft.pk),
        {
            "change_summary": "Nieuw protocol.",
            "legal_basis": "consent",
            "legal_article": workflow.DEFAULT_ARTICLE,
        },
        follow=True,
    )
    said += messages_of(response)
    advice = step_of(draft, StepKind.ADVICE)
    response = confirmed_post(
        client,
        url("step_record", draft.pk, advice.pk),
        {"decided_on": dmy(today()), "outcome": "positive", "remarks": "Akkoord."},
        follow=True,
    )
    said += messages_of(response)
    client.force_login(gmr_parent)
    consent = step_of(draft, StepKind.CONSENT)
    votes = {}
    for geleding in ("parents", "staff"):
        votes.update(
            {
                f"{geleding}-members": 3,
                f"{geleding}-present": 3,
                f"{geleding}-votes_for": 2,
                f"{geleding}-votes_against": 1,
                f"{geleding}-abstentions": 0,
            }
        )
    response = confirmed_post(
        client,
        url("step_record", draft.pk, consent.pk),
        {"decided_on": dmy(today()), **votes},
        follow=True,
    )
    said += messages_of(response)
    client.force_login(director)
    rvt = step_of(draft, StepKind.APPROVAL)
    response = client.post(
        url("step_not_applicable", draft.pk, rvt.pk),
        {"nvt-reason": "Niet in statuten."},
        follow=True,
    )
    said += messages_of(response)
    client.force_login(board_member)
    response = confirmed_post(
        client,
        url("version_adopt", draft.pk),
        {"adopt-decided_on": dmy(today()), "adopt-effective_date": dmy(today())},
        follow=True,
    )
    evaluation = wms.add_months(today(), 24)
    assert said + messages_of(response) == [
        "De versie is ingediend; de eerste stap, Directeuren, staat open.",
        "Het besluit over Directeuren is vastgelegd: positief.",
        "Het besluit over GMR is vastgelegd: verleend.",
        "RvT is als n.v.t. gemarkeerd.",
        "De versie is vastgesteld.",
    ]
    assert re.search(r"<strong>(\w+)</strong>", response.content.decode()).group(1) == "Vastgesteld"
    assert panel_dates(response) == {
        "Vastgesteld op": dmy(today()),
        "In werking vanaf": dmy(today()),
        "Evaluatie": dmy(evaluation),
    }
    assert [row[0] for row in step_rows(response)] == [
        "Directeuren",
        "GMR",
        "RvT",
        "Vaststelling CvB",
    ]
    assert [row[5] for row in step_rows(response)] == [
        "positief Akkoord.",
        "verleend Ouders: 3 van 3 aanwezig; voor 2, tegen 1, onthouding 0 – instemming verleend "
        "Personeel: 3 van 3 aanwezig; voor 2, tegen 1, onthouding 0 – instemming verleend",
        "n.v.t. Reden: Niet in statuten.",
        "vastgesteld",
    ]
