"""question_ask and question_answer: the council asks about a proposal, the drafters answer."""

import pytest
from django.urls import reverse

from protocols.models import ProcedureStep
from tests.protocols.views.helpers import open_council_step, section

pytestmark = pytest.mark.django_db


def ask(client, version, text="Wat betekent dit?", section_pk=""):
    return client.post(
        reverse("protocols:question_ask", args=[version.pk]),
        {"question-section": section_pk, "question-text": text},
    )


def test_question_ask_saves_the_question_and_mails_the_drafters(
    client,
    proposal,
    gmr_noord_member,
    director,
    board_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(gmr_noord_member)
    afspraken = section(proposal, "Afspraken")
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, proposal, "Wie controleert dit?", afspraken.pk)
    question = proposal.questions.get()
    assert response.url == proposal.get_absolute_url() + "#questions"
    assert (question.section, question.text, question.asked_by) == (
        afspraken,
        "Wie controleert dit?",
        gmr_noord_member,
    )
    assert {(m.to[0], m.subject) for m in mailoutbox} == {
        (email, f"Nieuwe vraag over Protocol sociale media versie {proposal.number}")
        for email in (director.email, board_member.email)
    }


def test_question_ask_is_404_for_outsider(client, proposal, outsider):
    client.force_login(outsider)
    assert ask(client, proposal).status_code == 404


def test_question_ask_is_404_for_a_teacher_who_is_not_on_the_council(client, proposal, teacher):
    client.force_login(teacher)
    assert ask(client, proposal).status_code == 404
    assert proposal.questions.count() == 0


def test_question_ask_is_refused_once_the_council_has_decided(
    client, proposal, director, gmr_noord_member
):
    consent = open_council_step(proposal, director)
    ProcedureStep.objects.filter(pk=consent.pk).update(status=ProcedureStep.Status.DECIDED)
    client.force_login(gmr_noord_member)
    response = ask(client, proposal)
    assert (response.status_code, proposal.questions.count()) == (302, 0)


def test_question_ask_refuses_a_section_of_another_version(
    client, proposal, adopted, gmr_noord_member
):
    client.force_login(gmr_noord_member)
    ask(client, proposal, section_pk=section(adopted, "Inleiding").pk)
    assert proposal.questions.count() == 0


@pytest.fixture
def question(proposal, gmr_noord_member):
    return proposal.questions.create(text="Waarom?", asked_by=gmr_noord_member)


def answer(client, question, text="Daarom."):
    url = reverse("protocols:question_answer", args=[question.version_id, question.pk])
    return client.post(url, {"answer": text})


def test_question_answer_records_the_answer_and_mails_the_asker(
    client, question, director, gmr_noord_member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(director)
    with django_capture_on_commit_callbacks(execute=True):
        answer(client, question, "Omdat de wet het vraagt.")
    question.refresh_from_db()
    assert (question.answer, question.answered_by) == ("Omdat de wet het vraagt.", director)
    assert [m.to for m in mailoutbox] == [[gmr_noord_member.email]]


def test_question_answer_is_404_for_outsider(client, question, outsider):
    client.force_login(outsider)
    assert answer(client, question).status_code == 404


def test_question_answer_is_404_for_a_council_member(client, question, gmr_noord_member):
    client.force_login(gmr_noord_member)
    assert answer(client, question).status_code == 404


def test_question_answer_is_404_for_a_question_of_another_version(
    client, question, adopted, director
):
    client.force_login(director)
    url = reverse("protocols:question_answer", args=[adopted.pk, question.pk])
    assert client.post(url, {"answer": "x"}).status_code == 404


def test_question_answer_keeps_the_first_answer(client, question, director, board_member):
    client.force_login(director)
    answer(client, question, "Eerste antwoord.")
    client.force_login(board_member)
    answer(client, question, "Tweede antwoord.")
    question.refresh_from_db()
    assert (question.answer, question.answered_by) == ("Eerste antwoord.", director)
