"""E-mail notices of the approval procedure and the daily reminders (protocols/notices.py)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from protocols import notices, wms, workflow
from protocols.models import Acknowledgement, ProcedureStep, ProtocolVersion, StepBody, StepKind
from schools.models import Role
from tests.factories import (
    CouncilMemberFactory,
    MembershipFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SchoolFactory,
    SectionFactory,
    UserFactory,
)
from tests.protocols.helpers import advance_to_consent, submit, today

pytestmark = pytest.mark.django_db
Status = ProtocolVersion.Status
StepStatus = ProcedureStep.Status
Outcome = ProcedureStep.Outcome


@pytest.fixture
def draft(school):
    """Unlike the shared `draft`, its section is headed "Inleiding": the question mail names it."""
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    SectionFactory(version=version, heading="Inleiding")
    return version


def votes():
    return [
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


def to_adoption(draft, director, gmr_member, **kwargs):
    consent = advance_to_consent(draft, director, **kwargs)
    workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=votes())
    rvt = draft.steps.get(kind=StepKind.APPROVAL)
    workflow.mark_not_applicable(rvt, by=director, reason="Geen besluit in de statuten.")
    return draft.steps.get(kind=StepKind.ADOPTION)


def to_set(outbox):
    return {(m.to[0], m.subject) for m in outbox}


# --- step opened ------------------------------------------------------------------------------


def test_submit_mails_the_stichtings_directors_that_their_advice_is_asked(
    draft, director, gmr_noord, school, mailoutbox, django_capture_on_commit_callbacks
):
    sibling_director = MembershipFactory(
        school=SchoolFactory(stichting=school.stichting), role=Role.DIRECTOR
    ).user
    MembershipFactory(role=Role.DIRECTOR)  # another stichting
    with django_capture_on_commit_callbacks(execute=True):
        submit(draft, director)
    subject = f"Gevraagd van jou (advies): Protocol sociale media versie {draft.number}"
    assert to_set(mailoutbox) == {
        (director.email, subject),
        (sibling_director.email, subject),
    }


def test_step_opened_mail_is_dutch_with_an_absolute_link_and_the_term(
    draft, director, gmr_noord, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PORTAL_URL = "https://portaal.example.nl"
    with django_capture_on_commit_callbacks(execute=True):
        step = submit(draft, director)
    body = mailoutbox[0].body
    assert f"https://portaal.example.nl/protocollen/versies/{draft.pk}/" in body
    assert "Directeurenoverleg wordt om advies gevraagd over versie" in body
    assert "Voorgelegd ter instemming (instemmingsrecht) op grond van WMS art. 10" in body
    assert f"De termijn loopt af op {step.due_on.day} " in body


def test_the_council_step_opening_mails_its_current_members_only(
    draft, director, gmr_noord, mailoutbox, django_capture_on_commit_callbacks
):
    former = CouncilMemberFactory(council=gmr_noord, geleding="parents", end_date=today()).user
    step = submit(draft, director)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.record_decision(step, by=director, decided_on=today(), outcome=Outcome.POSITIVE)
    opened = {m.to[0] for m in mailoutbox if m.subject.startswith("Gevraagd van jou (instemming)")}
    assert opened == {m.user.email for m in gmr_noord.members.exclude(user=former)}


@pytest.mark.parametrize(
    "body, who",
    [
        (StepBody.SUPERVISORY, "board"),
        (StepBody.BOARD, "board"),
        (StepBody.FORUM, "submitter"),
        (StepBody.DIRECTORS, "director"),
    ],
)
def test_who_is_asked_when_a_step_opens(draft, director, board_member, body, who):
    draft.submitted_by = director
    draft.save()
    step = ProcedureStep.objects.create(
        version=draft, position=1, name="Stap", kind=StepKind.ADVICE, body=body
    )
    expected = {"board": [board_member], "submitter": [director], "director": [director]}[who]
    assert notices.step_recipients(step, today()) == expected


def test_a_supervisory_step_asks_the_board_to_forward_it(
    draft,
    director,
    gmr_noord,
    gmr_noord_member,
    board_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    consent = advance_to_consent(draft, director)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.record_decision(consent, by=gmr_noord_member, decided_on=today(), votes=votes())
    asked = [m for m in mailoutbox if m.subject.startswith("Gevraagd van jou (goedkeuring)")]
    assert [m.to for m in asked] == [[board_member.email]]
    assert "Stuur het voorstel door naar de raad van toezicht (RvT)" in asked[0].body


# --- decisions and adoption ---------------------------------------------------------------------


def test_a_recorded_decision_is_mailed_to_the_submitter_and_the_council(
    draft, director, gmr_noord, gmr_noord_member, mailoutbox, django_capture_on_commit_callbacks
):
    consent = advance_to_consent(draft, director)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.record_decision(consent, by=gmr_noord_member, decided_on=today(), votes=votes())
    subject = f"GMR Noord: verleend – Protocol sociale media versie {draft.number}"
    assert {m.to[0] for m in mailoutbox if m.subject == subject} == {
        director.email,
        *(m.user.email for m in gmr_noord.members.all()),
    }


def test_withheld_consent_mail_mentions_the_three_months(
    draft, director, gmr_noord, gmr_noord_member, mailoutbox, django_capture_on_commit_callbacks
):
    consent = advance_to_consent(draft, director)
    refused = votes()
    refused[0].update(votes_for=0, votes_against=1)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.record_decision(consent, by=gmr_noord_member, decided_on=today(), votes=refused)
    assert "binnen drie maanden" in mailoutbox[0].body


def test_adoption_is_mailed_to_everyone_in_the_procedure(
    draft,
    director,
    gmr_noord,
    gmr_noord_member,
    board_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    to_adoption(draft, director, gmr_noord_member, is_editorial=True)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.adopt(draft, by=board_member, decided_on=today(), effective_date=today())
    subject = f"Vastgesteld: Protocol sociale media versie {draft.number}"
    assert {m.to[0] for m in mailoutbox if m.subject == subject} == {
        director.email,
        board_member.email,
        *(m.user.email for m in gmr_noord.members.all()),
    }


def test_an_editorial_adoption_asks_no_one_to_confirm_reading(
    draft, director, gmr_noord, gmr_noord_member, board_member, django_capture_on_commit_callbacks
):
    to_adoption(draft, director, gmr_noord_member, is_editorial=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.adopt(draft, by=board_member, decided_on=today(), effective_date=today())
    # The PDFs and the mail; no acknowledgements.
    assert (len(callbacks), Acknowledgement.objects.count()) == (2, 0)


def test_a_substantive_adoption_asks_staff_to_confirm_reading(
    draft,
    director,
    gmr_noord,
    gmr_noord_member,
    board_member,
    teacher,
    django_capture_on_commit_callbacks,
):
    pytest.importorskip("protocols.acknowledgements")  # another part of the portal
    to_adoption(draft, director, gmr_noord_member)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.adopt(draft, by=board_member, decided_on=today(), effective_date=today())
    assert list(Acknowledgement.objects.values_list("version", "user")) == [(draft.pk, teacher.pk)]


# --- questions ----------------------------------------------------------------------------------


def test_a_question_is_mailed_to_the_submitter_and_those_who_may_draft(
    draft, director, gmr_noord, gmr_noord_member, board_member, school, mailoutbox
):
    submit(draft, director)
    other_school_director = MembershipFactory(
        school=SchoolFactory(stichting=school.stichting), role=Role.DIRECTOR
    ).user
    question = draft.questions.create(
        text="Wat bedoelt u?", asked_by=gmr_noord_member, section=draft.sections.first()
    )
    notices.question_asked(question)
    subject = f"Nieuwe vraag over Protocol sociale media versie {draft.number}"
    assert {m.to[0] for m in mailoutbox} == {
        director.email,
        board_member.email,
        other_school_director.email,  # a board-wide protocol: every director may draft
    }
    assert {m.subject for m in mailoutbox} == {subject}
    assert "over “Inleiding” in versie" in mailoutbox[0].body


def test_a_question_on_a_schools_own_protocol_goes_to_that_schools_director(
    school, director, board_member, mailoutbox
):
    MembershipFactory(school=SchoolFactory(stichting=school.stichting), role=Role.DIRECTOR)
    version = ProtocolVersionFactory(
        protocol=ProtocolFactory(stichting=school.stichting, school=school)
    )
    question = version.questions.create(text="Waarom?", asked_by=UserFactory())
    notices.question_asked(question)
    assert {m.to[0] for m in mailoutbox} == {director.email, board_member.email}


def test_an_answer_is_mailed_to_the_asker(draft, director, gmr_noord_member, mailoutbox):
    question = draft.questions.create(
        text="Wat bedoelt u?",
        asked_by=gmr_noord_member,
        answer="Dit.",
        answered_by=director,
        answered_at=timezone.now(),
    )
    notices.question_answered(question)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (
            [gmr_noord_member.email],
            f"Je vraag over Protocol sociale media versie {draft.number} is beantwoord",
        )
    ]
    assert "Antwoord:\nDit." in mailoutbox[0].body


# --- daily reminders ----------------------------------------------------------------------------


@pytest.fixture
def council_step(draft, director, gmr_noord):
    """The council step, open with a term of 42 days."""
    return advance_to_consent(draft, director)


def reminders_on(day, outbox):
    outbox.clear()
    return notices.send_daily_reminders(today=day), to_set(outbox)


def test_a_term_ending_within_a_week_is_reminded_to_the_body(council_step, gmr_noord, mailoutbox):
    sent, mails = reminders_on(council_step.due_on - timedelta(days=7), mailoutbox)
    subject_start = f"Termijn loopt af op {council_step.due_on.day} "
    assert sent == gmr_noord.members.count()
    assert {to for to, subject in mails if subject.startswith(subject_start)} == {
        m.user.email for m in gmr_noord.members.all()
    }


def test_no_term_reminder_eight_days_before(council_step, mailoutbox):
    assert reminders_on(council_step.due_on - timedelta(days=8), mailoutbox) == (0, set())


def test_a_term_that_ran_out_is_reminded_once_to_submitter_board_and_body(
    council_step, gmr_noord, director, board_member, mailoutbox
):
    day_after = council_step.due_on + timedelta(days=1)
    sent, mails = reminders_on(day_after, mailoutbox)
    again, _ = reminders_on(day_after + timedelta(days=1), mailoutbox)
    subject = f"Termijn verstreken: Protocol sociale media versie {council_step.version.number}"
    assert {to for to, s in mails if s == subject} == {
        director.email,
        board_member.email,
        *(m.user.email for m in gmr_noord.members.all()),
    }
    assert (sent, again) == (gmr_noord.members.count() + 2, 0)


def test_an_extended_term_is_reminded_again(council_step, director, mailoutbox):
    first, _ = reminders_on(council_step.due_on - timedelta(days=1), mailoutbox)
    workflow.extend_term(council_step, by=director, due_on=council_step.due_on + timedelta(days=30))
    council_step.refresh_from_db()
    again, _ = reminders_on(council_step.due_on - timedelta(days=1), mailoutbox)
    assert (first, again) == (2, 2)


@pytest.mark.parametrize("days_before, sent", [(30, 1), (31, 0)])
def test_the_evaluation_date_is_reminded_a_month_before(
    school, board_member, mailoutbox, days_before, sent
):
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting), number=1)
    workflow.register_adoption(
        version,
        adopted_on=date(2025, 1, 1),
        effective_date=date(2025, 1, 1),
        evaluation_date=date(2027, 1, 1),
        change_summary="Eerste versie.",
    )
    count, mails = reminders_on(date(2027, 1, 1) - timedelta(days=days_before), mailoutbox)
    expected = {
        (board_member.email, "Evalueren vóór 1 januari 2027: Protocol sociale media versie 1")
    }
    assert (count, mails) == (sent, expected if sent else set())


def test_the_wms32_choice_is_reminded_two_weeks_before_it_lapses(
    council_step, gmr_noord_member, board_member, mailoutbox
):
    refused = votes()
    refused[0].update(votes_for=0, votes_against=1)
    workflow.record_decision(council_step, by=gmr_noord_member, decided_on=today(), votes=refused)
    choose_by = wms.add_months(today(), 3)
    sent, mails = reminders_on(choose_by - timedelta(days=14), mailoutbox)
    assert (sent, {to for to, _ in mails}) == (1, {board_member.email})
    assert next(iter(mails))[1].startswith("Termijn WMS art. 32 op ")
