"""The council's side of the procedure: reading, questions, reading links, what waits at home."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from protocols import tasks, workflow
from protocols.models import Acknowledgement, ProcedureStep, ProtocolVersion, ReadingLink, StepKind
from schools.models import Council
from tests.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db
Status = ProtocolVersion.Status
Outcome = ProcedureStep.Outcome


@pytest.fixture
def gmr(school):
    council = CouncilFactory(
        kind=Council.Kind.GMR, school=None, stichting=school.stichting, name="GMR Noord"
    )
    for geleding in ["parents", "staff"]:
        CouncilMemberFactory(council=council, geleding=geleding)
    return council


@pytest.fixture
def gmr_member(gmr):
    return gmr.members.first().user


@pytest.fixture
def protocol(school):
    return ProtocolFactory(stichting=school.stichting)


@pytest.fixture
def adopted(protocol):
    version = ProtocolVersionFactory(protocol=protocol, number=1)
    SectionFactory(version=version, position=1, heading="Inleiding", body="Oude tekst.")
    workflow.register_adoption(
        version,
        adopted_on=date(2025, 1, 1),
        effective_date=date(2025, 1, 1),
        evaluation_date=date(2027, 1, 1),
        change_summary="Eerste versie.",
    )
    return version


@pytest.fixture
def proposal(protocol, adopted, director, gmr):
    """Version 2, submitted: the directors' step is open, the council's waits."""
    version = ProtocolVersionFactory(protocol=protocol, number=2)
    SectionFactory(version=version, position=1, heading="Inleiding", body="Nieuwe tekst.")
    SectionFactory(version=version, position=2, heading="Afspraken", body="Wij spreken af.")
    workflow.submit(version, by=director, change_summary="Herzien.", legal_basis="consent")
    return version


def today():
    return timezone.localdate()


def open_council_step(version, director):
    step = version.steps.get(kind=StepKind.ADVICE)
    workflow.record_decision(step, by=director, decided_on=today(), outcome=Outcome.POSITIVE)
    return version.steps.get(kind=StepKind.CONSENT)


def section(version, heading):
    return version.sections.get(heading=heading)


def ask(client, version, text="Wat betekent dit?", section_pk=""):
    return client.post(
        reverse("protocols:question_ask", args=[version.pk]),
        {"question-section": section_pk, "question-text": text},
    )


def make_link(version, by, **kwargs):
    values = {
        "version": version,
        "token": "t0k3n-abc",
        "name": "Mr. A. Adviseur",
        "email": "adviseur@example.org",
        "created_by": by,
        "expires_at": timezone.now() + timedelta(days=14),
    }
    return ReadingLink.objects.create(**(values | kwargs))


# --- who sees the proposal ------------------------------------------------------------------


def test_a_gmr_member_sees_a_board_wide_version_put_to_their_council(proposal, gmr_member):
    assert list(ProtocolVersion.objects.for_user(gmr_member).filter(pk=proposal.pk)) == [proposal]


def test_an_mr_member_sees_their_schools_own_proposal_only(school, director):
    mr = CouncilFactory(school=school)
    member = CouncilMemberFactory(council=mr).user
    own = ProtocolVersionFactory(
        protocol=ProtocolFactory(stichting=school.stichting, school=school)
    )
    SectionFactory(version=own)
    workflow.submit(own, by=director, change_summary="Nieuw.", legal_basis="consent")
    elsewhere = ProtocolVersionFactory(protocol=ProtocolFactory(school=CouncilFactory().school))
    assert set(ProtocolVersion.objects.for_user(member)) == {own}
    assert elsewhere.pk not in ProtocolVersion.objects.for_user(member).values_list("pk", flat=True)


def test_a_former_council_member_no_longer_sees_the_proposal(proposal, gmr):
    former = CouncilMemberFactory(council=gmr, end_date=today()).user
    assert ProtocolVersion.objects.for_user(former).exists() is False


# --- the panel on the version page ----------------------------------------------------------


def test_version_detail_shows_questions_per_section_with_answers(
    client, proposal, gmr_member, director
):
    afspraken = section(proposal, "Afspraken")
    on_section = proposal.questions.create(
        text="Voor wie geldt dit?",
        section=afspraken,
        asked_by=gmr_member,
        answer="Voor iedereen.",
        answered_by=director,
        answered_at=timezone.now(),
    )
    general = proposal.questions.create(text="Waarom nu?", asked_by=gmr_member)
    client.force_login(gmr_member)
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
    client, proposal, adopted, gmr_member
):
    client.force_login(gmr_member)
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
    client, proposal, director, gmr_member
):
    question = proposal.questions.create(text="Waarom?", asked_by=gmr_member)
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
    client, proposal, gmr, gmr_member, director
):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            client.get(proposal.get_absolute_url())
        return len(queries)

    client.force_login(director)
    proposal.questions.create(text="Eén?", asked_by=gmr_member)
    make_link(proposal, director)
    one = count_queries()
    for n, member in enumerate(gmr.members.all()):
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


# --- question_ask ---------------------------------------------------------------------------


def test_question_ask_saves_the_question_and_mails_the_drafters(
    client,
    proposal,
    gmr_member,
    director,
    board_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(gmr_member)
    afspraken = section(proposal, "Afspraken")
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, proposal, "Wie controleert dit?", afspraken.pk)
    question = proposal.questions.get()
    assert response.url == proposal.get_absolute_url() + "#questions"
    assert (question.section, question.text, question.asked_by) == (
        afspraken,
        "Wie controleert dit?",
        gmr_member,
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
    client, proposal, director, gmr_member
):
    consent = open_council_step(proposal, director)
    ProcedureStep.objects.filter(pk=consent.pk).update(status=ProcedureStep.Status.DECIDED)
    client.force_login(gmr_member)
    response = ask(client, proposal)
    assert (response.status_code, proposal.questions.count()) == (302, 0)


def test_question_ask_refuses_a_section_of_another_version(client, proposal, adopted, gmr_member):
    client.force_login(gmr_member)
    ask(client, proposal, section_pk=section(adopted, "Inleiding").pk)
    assert proposal.questions.count() == 0


# --- question_answer ------------------------------------------------------------------------


@pytest.fixture
def question(proposal, gmr_member):
    return proposal.questions.create(text="Waarom?", asked_by=gmr_member)


def answer(client, question, text="Daarom."):
    url = reverse("protocols:question_answer", args=[question.version_id, question.pk])
    return client.post(url, {"answer": text})


def test_question_answer_records_the_answer_and_mails_the_asker(
    client, question, director, gmr_member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(director)
    with django_capture_on_commit_callbacks(execute=True):
        answer(client, question, "Omdat de wet het vraagt.")
    question.refresh_from_db()
    assert (question.answer, question.answered_by) == ("Omdat de wet het vraagt.", director)
    assert [m.to for m in mailoutbox] == [[gmr_member.email]]


def test_question_answer_is_404_for_outsider(client, question, outsider):
    client.force_login(outsider)
    assert answer(client, question).status_code == 404


def test_question_answer_is_404_for_a_council_member(client, question, gmr_member):
    client.force_login(gmr_member)
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


# --- reading links --------------------------------------------------------------------------


def create_link(client, version, **data):
    values = {"link-name": "Mr. A. Adviseur", "link-email": "adviseur@example.org"}
    values["link-days"] = 14
    return client.post(reverse("protocols:reading_link_create", args=[version.pk]), values | data)


def test_reading_link_create_mails_a_personal_expiring_link(
    client, proposal, director, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PORTAL_URL = "https://portaal.example.nl"
    client.force_login(director)
    with django_capture_on_commit_callbacks(execute=True):
        create_link(client, proposal)
    link = ReadingLink.objects.get()
    url = "https://portaal.example.nl" + reverse("protocols:reading_link_read", args=[link.token])
    assert (link.name, link.created_by, (link.expires_at - timezone.now()).days) == (
        "Mr. A. Adviseur",
        director,
        13,  # 14 days minus the moment since
    )
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["adviseur@example.org"], "Ter lezing: Protocol sociale media versie 2")
    ]
    assert url in mailoutbox[0].body
    assert "Beste Mr. A. Adviseur," in mailoutbox[0].body


def test_reading_link_create_is_404_for_outsider(client, proposal, outsider):
    client.force_login(outsider)
    assert create_link(client, proposal).status_code == 404


def test_reading_link_create_is_404_for_a_council_member(client, proposal, gmr_member):
    client.force_login(gmr_member)
    assert create_link(client, proposal).status_code == 404


def test_reading_link_create_is_refused_for_an_adopted_version(client, adopted, director):
    client.force_login(director)
    create_link(client, adopted)
    assert ReadingLink.objects.exists() is False


def test_reading_link_read_shows_the_proposal_and_its_changes(client, proposal, director):
    link = make_link(proposal, director)
    response = client.get(reverse("protocols:reading_link_read", args=[link.token]))
    html = response.content.decode()
    assert response.context["previous"].number == 1
    assert "Wijzigingen sinds versie 1, de laatst vastgestelde versie" in html
    removed = "[verwijderd: </span>Oude<"
    added = "[toegevoegd: </span>Nieuwe<"
    assert ("Wij spreken af." in html, removed in html, added in html) == (True, True, True)


def test_reading_link_read_is_404_after_expiry(client, proposal, director):
    link = make_link(proposal, director, expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("protocols:reading_link_read", args=[link.token])).status_code == 404


def test_reading_link_read_is_404_for_an_unknown_token(client, proposal, director):
    make_link(proposal, director)
    url = reverse("protocols:reading_link_read", args=["t0k3n-abd"])
    assert client.get(url).status_code == 404


def test_a_reading_link_grants_nothing_else(client, proposal, director):
    link = make_link(proposal, director)
    client.get(reverse("protocols:reading_link_read", args=[link.token]))
    response = client.get(proposal.get_absolute_url())
    assert (response.status_code, response.url.startswith(reverse("login"))) == (302, True)


def test_reading_link_read_without_an_adopted_version_shows_the_whole_text_as_new(
    client, director, school, gmr
):
    first = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    SectionFactory(version=first, body="Alles is nieuw.")
    link = make_link(first, director)
    html = client.get(reverse("protocols:reading_link_read", args=[link.token])).content.decode()
    assert "Er is geen eerder vastgestelde versie" in html
    assert "Alles is nieuw." in html


# --- what waits on the home page (protocols/tasks.py) ---------------------------------------


def test_a_council_member_is_asked_for_the_councils_decision(
    client, proposal, director, gmr_member
):
    open_council_step(proposal, director)
    client.force_login(gmr_member)
    response = client.get(reverse("schools:home"))
    assert response.context["tasks"] == [
        {
            "title": "Besluit van GMR Noord over Protocol sociale media versie 2",
            "url": proposal.get_absolute_url(),
        }
    ]


def test_drafters_see_unanswered_questions(proposal, board_member, gmr_member):
    proposal.questions.create(text="Eén?", asked_by=gmr_member)
    proposal.questions.create(text="Twee?", asked_by=gmr_member)
    proposal.questions.create(text="Drie?", asked_by=gmr_member, answer="Ja.")
    assert tasks.tasks_for(board_member) == [
        {
            "title": "2 onbeantwoorde vragen over Protocol sociale media versie 2",
            "url": proposal.get_absolute_url() + "#questions",
        }
    ]


def test_the_submitter_sees_a_term_that_ends_within_a_week(proposal, director):
    due = today() + timedelta(days=7)
    ProcedureStep.objects.filter(version=proposal, kind=StepKind.ADVICE).update(due_on=due)
    assert [task["title"] for task in tasks.tasks_for(director)] == [
        f"Termijn van directeurenoverleg loopt af op {date_format(due)}: "
        "Protocol sociale media versie 2"
    ]


def test_the_submitter_does_not_see_a_term_eight_days_ahead(proposal, director):
    due = today() + timedelta(days=8)
    ProcedureStep.objects.filter(version=proposal, kind=StepKind.ADVICE).update(due_on=due)
    assert tasks.tasks_for(director) == []


def test_the_submitter_sees_a_term_that_ran_out(proposal, director):
    step = proposal.steps.get(kind=StepKind.ADVICE)
    ProcedureStep.objects.filter(pk=step.pk).update(due_on=today() - timedelta(days=1))
    [task] = tasks.tasks_for(director)
    assert task["title"].startswith("Termijn van directeurenoverleg verstreken op ")


def test_the_board_is_asked_to_adopt(proposal, director, gmr_member, board_member):
    consent = open_council_step(proposal, director)
    votes = [
        {
            "geleding": geleding,
            "members": 1,
            "present": 1,
            "votes_for": 1,
            "votes_against": 0,
            "abstentions": 0,
        }
        for geleding in ("parents", "staff")
    ]
    workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=votes)
    rvt = proposal.steps.get(kind=StepKind.APPROVAL)
    workflow.mark_not_applicable(rvt, by=director, reason="Niet in de statuten.")
    assert tasks.tasks_for(board_member) == [
        {
            "title": "Vaststellen: Protocol sociale media versie 2",
            "url": proposal.get_absolute_url(),
        }
    ]


def test_staff_see_adopted_versions_they_have_yet_to_confirm(adopted, school, teacher):
    Acknowledgement.objects.create(version=adopted, user=teacher, school=school)
    assert tasks.tasks_for(teacher) == [
        {
            "title": f"Bevestig dat u Protocol sociale media versie 1 hebt gelezen ({school.name})",
            "url": reverse("protocols:acknowledgement_confirm", args=[adopted.pk]),
        }
    ]


@pytest.mark.parametrize("n", [1, 4])
def test_tasks_for_query_count_is_constant(
    school, director, gmr, gmr_member, n, django_assert_num_queries
):
    for _ in range(n):
        version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
        SectionFactory(version=version)
        workflow.submit(version, by=director, change_summary="x", legal_basis="consent")
        open_council_step(version, director)
        version.questions.create(text="?", asked_by=gmr_member)
        Acknowledgement.objects.create(
            version=ProtocolVersionFactory(protocol=version.protocol, status=Status.ADOPTED),
            user=director,
            school=school,
        )
    with django_assert_num_queries(6):  # three for each user
        found = tasks.tasks_for(director) + tasks.tasks_for(gmr_member)
    assert len(found) == 3 * n  # questions and acknowledgements; council decisions
