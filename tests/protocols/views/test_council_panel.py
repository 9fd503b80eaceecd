"""The council panel on the version page: questions per section, and who gets which form."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import ProtocolVersionFactory
from tests.protocols.views.helpers import make_link, section

pytestmark = pytest.mark.django_db


def test_version_detail_shows_questions_per_section_with_answers(
    client, proposal, gmr_noord_member, director
):
    afspraken = section(proposal, "Afspraken")
    on_section = proposal.questions.create(
        text="Voor wie geldt dit?",
        section=afspraken,
        asked_by=gmr_noord_member,
        answer="Voor iedereen.",
        answered_by=director,
        answered_at=timezone.now(),
    )
    general = proposal.questions.create(text="Waarom nu?", asked_by=gmr_noord_member)
    client.force_login(gmr_noord_member)
    response = client.get(proposal.get_absolute_url())
    html = response.content.decode()
    assert response.context["questions_by_section"] == [
        (None, [general]),
        (afspraken, [on_section]),
    ]
    assert ("Voor wie geldt dit?" in html, "Voor iedereen." in html, "Waarom nu?" in html) == (
        True,
        True,
        True,
    )


def test_a_council_member_gets_the_question_form_and_the_diff_link(
    client, proposal, adopted, gmr_noord_member
):
    client.force_login(gmr_noord_member)
    response = client.get(proposal.get_absolute_url())
    html = response.content.decode()
    diff_url = reverse("protocols:version_diff", args=[proposal.pk, adopted.pk])
    assert f'<a href="{diff_url}">verschillen met de laatst vastgestelde versie</a>' in html
    assert (
        "question_form" in response.context,
        "reading_link_form" in response.context,
        response.context["may_answer"],
    ) == (True, False, False)


def test_a_drafter_gets_answer_and_reading_link_forms_but_asks_nothing(
    client, proposal, director, gmr_noord_member
):
    question = proposal.questions.create(text="Waarom?", asked_by=gmr_noord_member)
    client.force_login(director)
    response = client.get(proposal.get_absolute_url())
    answer_url = reverse("protocols:question_answer", args=[proposal.pk, question.pk])
    assert (
        f'action="{answer_url}"' in response.content.decode(),
        "reading_link_form" in response.context,
        "question_form" in response.context,
    ) == (True, True, False)


def test_a_draft_without_questions_has_no_council_panel(client, director, protocol):
    draft = ProtocolVersionFactory(protocol=protocol)
    client.force_login(director)
    response = client.get(draft.get_absolute_url())
    assert "council_panel" not in response.context


def test_version_detail_query_count_does_not_grow_with_questions(
    client, proposal, gmr_noord, gmr_noord_member, director
):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            client.get(proposal.get_absolute_url())
        return len(queries)

    client.force_login(director)
    proposal.questions.create(text="Eén?", asked_by=gmr_noord_member)
    make_link(proposal, director)
    one = count_queries()
    for n, member in enumerate(gmr_noord.members.all()):
        for heading in ("Inleiding", "Afspraken"):
            proposal.questions.create(
                text=f"Vraag {n}",
                section=section(proposal, heading),
                asked_by=member.user,
                answer="Antwoord.",
                answered_by=director,
                answered_at=timezone.now(),
            )
        make_link(proposal, director, token=f"token-{n}")
    assert count_queries() == one
