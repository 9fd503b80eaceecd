"""A step's term and skipping it: step_extend and step_not_applicable (n.v.t.)."""

from datetime import timedelta

import pytest

from protocols import workflow
from protocols.models import StepKind
from tests.protocols.helpers import today, votes_of_three
from tests.protocols.views.helpers import (
    dmy,
    messages_of,
    open_council_step,
    step_of,
    step_rows,
    url,
)

pytestmark = pytest.mark.django_db


def test_an_expired_term_is_shown_in_words(client, submitted, director):
    submitted.steps.filter(kind=StepKind.ADVICE).update(due_on=today() - timedelta(days=1))
    client.force_login(director)
    response = client.get(submitted.get_absolute_url())
    assert step_rows(response)[0][4] == f"{dmy(today() - timedelta(days=1))} termijn verstreken"


def test_step_extend_sets_the_new_due_date(client, submitted, director):
    advice = step_of(submitted, StepKind.ADVICE)
    new = today() + timedelta(days=30)
    client.force_login(director)
    response = client.post(
        url("step_extend", submitted.pk, advice.pk), {"term-due_on": dmy(new)}, follow=True
    )
    assert (messages_of(response), step_rows(response)[0][4]) == (
        ["De termijn van Directeuren is gewijzigd."],
        dmy(new),
    )


def test_step_extend_into_the_past_is_refused(client, submitted, director):
    advice = step_of(submitted, StepKind.ADVICE)
    client.force_login(director)
    response = client.post(
        url("step_extend", submitted.pk, advice.pk), {"term-due_on": dmy(today())}
    )
    assert messages_of(response) == ["Een nieuwe termijn moet in de toekomst eindigen."]


def test_step_extend_is_404_for_outsider(client, submitted, outsider):
    client.force_login(outsider)
    advice = step_of(submitted, StepKind.ADVICE)
    new = dmy(today() + timedelta(days=5))
    response = client.post(url("step_extend", submitted.pk, advice.pk), {"term-due_on": new})
    assert response.status_code == 404


def test_step_not_applicable_needs_a_reason(client, submitted, director, gmr_parent):
    open_council_step(submitted, director)
    workflow.record_decision(
        step_of(submitted, StepKind.CONSENT),
        by=gmr_parent,
        decided_on=today(),
        votes=votes_of_three(),
    )
    rvt = step_of(submitted, StepKind.APPROVAL)
    client.force_login(director)
    response = client.post(url("step_not_applicable", submitted.pk, rvt.pk), {"nvt-reason": ""})
    assert response.context["form"].errors["reason"] == ["Dit veld is verplicht."]


def test_step_not_applicable_is_404_for_outsider(client, submitted, outsider):
    client.force_login(outsider)
    step = step_of(submitted, StepKind.APPROVAL)
    response = client.post(url("step_not_applicable", submitted.pk, step.pk), {"nvt-reason": "x"})
    assert response.status_code == 404
