"""Withheld consent (WMS art. 32): the three-month clock and step_lcg."""

import pytest

from protocols import wms, workflow
from protocols.models import ProcedureStep, StepKind
from tests.protocols.helpers import backdate_submission, today, votes_of_three
from tests.protocols.views.helpers import dmy, messages_of, open_council_step, step_of, text, url

pytestmark = pytest.mark.django_db
StepStatus = ProcedureStep.Status


def withhold(version, director, gmr_parent, on):
    backdate_submission(version)
    consent = open_council_step(version, director)
    votes = votes_of_three()
    votes[1].update(votes_for=0, votes_against=3)
    workflow.record_decision(consent, by=gmr_parent, decided_on=on, votes=votes)
    return step_of(version, StepKind.CONSENT)


def test_withheld_consent_shows_the_three_month_clock(client, submitted, director, gmr_parent):
    withhold(submitted, director, gmr_parent, today())
    client.force_login(director)
    html = client.get(submitted.get_absolute_url()).content.decode()
    clock = text(html.split('aria-labelledby="consent-clock-heading">')[1].split("</div>")[0])
    assert clock == (
        "Instemming onthouden (WMS art. 32) Het bestuur laat de raad weten of het intrekt "
        f"of naar de LCG WMS gaat uiterlijk op {dmy(wms.add_months(today(), 3))}"
    )


def test_a_lapsed_clock_says_vervallen(client, submitted, director, gmr_parent, board_member):
    withhold(submitted, director, gmr_parent, wms.add_months(today(), -4))
    client.force_login(board_member)
    response = client.get(submitted.get_absolute_url())
    html = response.content.decode()
    assert ("<strong>Vervallen</strong>" in html, response.context["procedure_may"]["lcg"]) == (
        True,
        False,
    )


def test_step_lcg_ruling_replacing_consent_opens_the_next_step(
    client, submitted, director, gmr_parent, board_member
):
    consent = withhold(submitted, director, gmr_parent, today())
    client.force_login(board_member)
    client.post(
        url("step_lcg", submitted.pk, consent.pk),
        {
            "lcg-notified_on": dmy(today()),
            "lcg-submitted_on": dmy(today()),
            "lcg-ruling": "replaces_consent",
        },
    )
    assert step_of(submitted, StepKind.APPROVAL).status == StepStatus.OPEN


def test_step_lcg_by_a_director_is_refused(client, submitted, director, gmr_parent):
    consent = withhold(submitted, director, gmr_parent, today())
    client.force_login(director)
    response = client.post(
        url("step_lcg", submitted.pk, consent.pk), {"lcg-notified_on": dmy(today())}
    )
    assert messages_of(response) == ["Alleen het bestuur besluit om naar de LCG WMS te gaan."]


def test_step_lcg_is_404_for_outsider(client, submitted, outsider):
    client.force_login(outsider)
    consent = step_of(submitted, StepKind.CONSENT)
    response = client.post(url("step_lcg", submitted.pk, consent.pk), {"lcg-ruling": "x"})
    assert response.status_code == 404
