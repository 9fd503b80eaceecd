"""version_adopt: only the board (CvB) adopts, and only when the procedure allows it."""

from datetime import timedelta

import pytest
from django.utils.html import strip_tags

from protocols import workflow
from protocols.models import ProcedureStep, ProtocolVersion, StepKind
from tests.protocols.helpers import today, votes_of_three
from tests.protocols.views.helpers import confirmed_post, dmy, messages_of, step_of, url

pytestmark = pytest.mark.django_db
Status = ProtocolVersion.Status
Outcome = ProcedureStep.Outcome


def to_adoption(version, director, gmr_parent, advice=Outcome.POSITIVE):
    workflow.record_decision(
        step_of(version, StepKind.ADVICE), by=director, decided_on=today(), outcome=advice
    )
    consent = step_of(version, StepKind.CONSENT)
    workflow.record_decision(consent, by=gmr_parent, decided_on=today(), votes=votes_of_three())
    rvt = step_of(version, StepKind.APPROVAL)
    workflow.mark_not_applicable(rvt, by=director, reason="Niet in de statuten.")
    return step_of(version, StepKind.ADOPTION)


def test_a_teacher_cannot_adopt(client, submitted, director, gmr_parent, teacher):
    to_adoption(submitted, director, gmr_parent)
    client.force_login(teacher)
    response = confirmed_post(
        client,
        url("version_adopt", submitted.pk),
        {"adopt-decided_on": dmy(today()), "adopt-effective_date": dmy(today())},
    )
    submitted.refresh_from_db()
    assert (messages_of(response), submitted.status) == (
        ["Alleen het bestuur (CvB) stelt een protocol vast."],
        Status.IN_PROCEDURE,
    )


def test_a_parent_on_the_council_cannot_adopt(client, submitted, director, gmr_parent):
    to_adoption(submitted, director, gmr_parent)
    client.force_login(gmr_parent)
    response = confirmed_post(
        client,
        url("version_adopt", submitted.pk),
        {"adopt-decided_on": dmy(today()), "adopt-effective_date": dmy(today())},
    )
    submitted.refresh_from_db()
    assert (messages_of(response), submitted.status) == (
        ["Alleen het bestuur (CvB) stelt een protocol vast."],
        Status.IN_PROCEDURE,
    )


def test_a_parent_on_the_council_sees_no_adopt_form(client, submitted, director, gmr_parent):
    to_adoption(submitted, director, gmr_parent)
    client.force_login(gmr_parent)
    response = client.get(submitted.get_absolute_url())
    assert (response.context["procedure_may"], response.context["procedure_forms"]["adopt"]) == (
        {
            "submit": False,
            "record": False,
            "not_applicable": False,
            "extend": False,
            "withdraw": False,
            "adopt": False,
            "lcg": False,
        },
        None,
    )


def test_version_adopt_after_conditional_advice_requires_reasons(
    client, submitted, director, gmr_parent, board_member
):
    to_adoption(submitted, director, gmr_parent, advice=Outcome.CONDITIONAL)
    client.force_login(board_member)
    response = confirmed_post(
        client,
        url("version_adopt", submitted.pk),
        {"adopt-decided_on": dmy(today()), "adopt-effective_date": dmy(today())},
    )
    assert response.context["form"].errors["reason"] == ["Dit veld is verplicht."]


def test_version_adopt_is_404_for_outsider(client, submitted, outsider):
    client.force_login(outsider)
    response = confirmed_post(client, url("version_adopt", submitted.pk), {})
    assert response.status_code == 404


def test_version_adopt_first_post_says_what_will_happen_and_saves_nothing(
    client, submitted, director, gmr_parent, board_member
):
    to_adoption(submitted, director, gmr_parent)
    client.force_login(board_member)
    response = client.post(
        url("version_adopt", submitted.pk),
        {"adopt-decided_on": dmy(today()), "adopt-effective_date": dmy(today())},
    )
    submitted.refresh_from_db()
    assert (submitted.status, response.context["effects"]) == (
        Status.IN_PROCEDURE,
        [
            "De pdf van deze versie wordt bewaard voor elke school waarvoor hij geldt.",
            "Medewerkers wordt gevraagd te bevestigen dat ze deze versie hebben gelezen.",
            "Iedereen die bij de procedure betrokken is, hoort dat hij is vastgesteld.",
        ],
    )


def test_version_adopt_twice_confirmed_adopts_once(
    client, submitted, director, gmr_parent, board_member
):
    to_adoption(submitted, director, gmr_parent)
    client.force_login(board_member)
    path = url("version_adopt", submitted.pk)
    data = {"adopt-decided_on": dmy(today()), "adopt-effective_date": dmy(today())}
    payload = client.post(path, data).context["payload"]
    client.post(path, {"payload": payload, "confirm": "1"})
    again = client.post(path, {"payload": payload, "confirm": "1"})
    submitted.refresh_from_db()
    assert (submitted.status, messages_of(again)[-1]) == (
        Status.ADOPTED,
        "Deze versie is niet klaar voor vaststelling: eerdere stappen staan nog open.",
    )


def test_version_adopted_for_a_later_date_shows_when_it_takes_effect(
    client, submitted, director, gmr_parent, board_member
):
    to_adoption(submitted, director, gmr_parent)
    later = today() + timedelta(days=30)
    client.force_login(board_member)
    response = confirmed_post(
        client,
        url("version_adopt", submitted.pk),
        {"adopt-decided_on": dmy(today()), "adopt-effective_date": dmy(later)},
        follow=True,
    )
    assert f"vastgesteld, in werking vanaf {dmy(later)}" in strip_tags(response.content.decode())
