"""version_submit: a director puts a draft into the procedure."""

import re
from datetime import timedelta

import pytest

from protocols import workflow
from protocols.models import ProtocolVersion
from tests.protocols.helpers import today
from tests.protocols.views.helpers import dmy, messages_of, step_rows, url

pytestmark = pytest.mark.django_db
Status = ProtocolVersion.Status


def test_version_page_offers_the_director_to_submit_a_draft(client, draft, director):
    client.force_login(director)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert re.findall(r'href="([^"]*indienen/)"', html) == [url("version_submit", draft.pk)]


def test_version_submit_form_proposes_the_default_legal_article(client, draft, director):
    client.force_login(director)
    response = client.get(url("version_submit", draft.pk))
    assert response.context["form"]["legal_article"].value() == workflow.DEFAULT_ARTICLE


def test_version_submit_opens_the_first_step(client, draft, director, gmr_de_stichting):
    client.force_login(director)
    response = client.post(
        url("version_submit", draft.pk),
        {"change_summary": "Nieuw.", "legal_basis": "advice", "legal_article": "WMS art. 11"},
        follow=True,
    )
    due = today() + timedelta(days=14)
    assert messages_of(response) == [
        "De versie is ingediend; de eerste stap, Directeuren, staat open."
    ]
    assert step_rows(response)[0] == [
        "Directeuren",
        "directeurenoverleg (intern overleg, niet wettelijk)",
        "advies",
        dmy(today()),
        dmy(due),
        "open",
        "–",
    ]


def test_version_submit_errors_are_shown_in_dutch_and_keep_the_text(
    client, draft, director, gmr_de_stichting
):
    client.force_login(director)
    response = client.post(
        url("version_submit", draft.pk),
        {"change_summary": "Mijn uitleg.", "legal_article": "WMS art. 10"},
    )
    form = response.context["form"]
    assert (form.errors["legal_basis"], form["change_summary"].value()) == (
        ["Dit veld is verplicht."],
        "Mijn uitleg.",
    )


def test_version_submit_refused_by_the_workflow_keeps_the_form(client, draft, director):
    client.force_login(director)  # the stichting has no GMR yet
    response = client.post(
        url("version_submit", draft.pk),
        {"change_summary": "Mijn uitleg.", "legal_basis": "consent", "legal_article": "art. 10"},
    )
    assert (messages_of(response), response.context["form"]["change_summary"].value()) == (
        ["Er is geen medezeggenschapsraad om voor te leggen; voeg die eerst toe."],
        "Mijn uitleg.",
    )


def test_a_teacher_cannot_submit(client, draft, teacher, gmr_de_stichting):
    client.force_login(teacher)
    data = {"change_summary": "x", "legal_basis": "consent", "legal_article": "art. 10"}
    response = client.post(url("version_submit", draft.pk), data)
    draft.refresh_from_db()
    assert (response.status_code, draft.status) == (404, Status.DRAFT)


def test_a_parent_on_the_council_cannot_submit(client, draft, gmr_parent):
    client.force_login(gmr_parent)
    assert client.get(url("version_submit", draft.pk)).status_code == 404


def test_a_submitted_version_is_not_submitted_again(client, submitted, director):
    client.force_login(director)
    response = client.get(url("version_submit", submitted.pk), follow=True)
    assert messages_of(response) == ["Alleen een concept kan worden ingediend."]


def test_version_submit_is_404_for_outsider(client, draft, outsider):
    client.force_login(outsider)
    assert client.get(url("version_submit", draft.pk)).status_code == 404
