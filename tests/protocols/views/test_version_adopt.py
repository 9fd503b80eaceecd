"""version_adopt: only the board (CvB) adopts, and only when the procedure allows it."""

import pytest

from protocols import workflow
from protocols.models import ProcedureStep, ProtocolVersion, StepKind
from tests.protocols.helpers import today, votes_of_three
from tests.protocols.views.helpers import dmy, messages_of, step_of, url

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
    response = client.post(
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
    response = client.post(
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
    response = client.post(
        url("version_adopt", submitted.pk),
        {"adopt-decided_on": dmy(today()), "adopt-effective_date": dmy(today())},
    )
    assert response.context["form"].errors["reason"] == ["Dit veld is verplicht."]


def test_version_adopt_is_404_for_outsider(client, submitted, outsider):
    client.force_login(outsider)
    response = client.post(url("version_adopt", submitted.pk), {})
    assert response.status_code == 404
