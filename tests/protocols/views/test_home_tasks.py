"""What waits on the home page from the procedure (protocols/waiting.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from protocols import waiting, workflow
from protocols.models import Acknowledgement, ProcedureStep, ProtocolVersion, StepKind
from schools import access
from schools.models import Role
from schools.waiting import Urgency
from tests.factories import (
    MembershipFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SchoolFactory,
    SectionFactory,
    StaffFactory,
)
from tests.protocols.helpers import today
from tests.protocols.views.helpers import open_council_step

pytestmark = pytest.mark.django_db

Status = ProtocolVersion.Status


def as_dicts(items):
    """The items as the user reads them: what to do, and where."""
    return [{"title": item.title, "url": item.url} for item in items]


def test_a_council_member_is_asked_for_the_councils_decision(
    client, proposal, director, gmr_noord_member
):
    open_council_step(proposal, director)
    client.force_login(gmr_noord_member)
    response = client.get(reverse("schools:home"))
    assert as_dicts(response.context["tasks"]) == [
        {
            "title": "Besluit van GMR Noord over Protocol sociale media versie 2",
            "url": proposal.get_absolute_url(),
        }
    ]


def test_drafters_see_unanswered_questions(proposal, board_member, gmr_noord_member):
    proposal.questions.create(text="Eén?", asked_by=gmr_noord_member)
    proposal.questions.create(text="Twee?", asked_by=gmr_noord_member)
    proposal.questions.create(text="Drie?", asked_by=gmr_noord_member, answer="Ja.")
    assert as_dicts(waiting.items_for(board_member)) == [
        {
            "title": "2 onbeantwoorde vragen over Protocol sociale media versie 2",
            "url": proposal.get_absolute_url() + "#questions",
        }
    ]


def terms(user) -> list[str]:
    """The titles of the items about terms (the submitter also directs a school: advice)."""
    return [item.title for item in waiting.items_for(user) if item.title.startswith("Termijn")]


def test_directors_are_asked_for_the_directors_advice(proposal, school):
    other_director = MembershipFactory(
        school=SchoolFactory(stichting=school.stichting), role=Role.DIRECTOR
    ).user
    assert as_dicts(waiting.items_for(other_director)) == [
        {
            "title": "Advies van het directeurenoverleg over Protocol sociale media versie 2",
            "url": proposal.get_absolute_url(),
        }
    ]


def test_a_director_of_another_stichting_is_not_asked(proposal):
    assert waiting.items_for(MembershipFactory(role=Role.DIRECTOR).user) == []


def test_the_board_is_asked_to_record_the_supervisory_boards_decision(
    proposal, director, gmr_noord_member, board_member
):
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
    workflow.record_decision(consent, by=gmr_noord_member, decided_on=today(), votes=votes)
    assert [item.title for item in waiting.items_for(board_member)] == [
        "Leg het besluit van de raad van toezicht (of n.v.t.) vast over "
        "Protocol sociale media versie 2"
    ]


def test_the_board_sees_a_term_that_ran_out_so_it_can_extend_or_withdraw(proposal, board_member):
    due = today() - timedelta(days=2)
    ProcedureStep.objects.filter(version=proposal, kind=StepKind.ADVICE).update(due_on=due)
    [item] = waiting.items_for(board_member)
    assert (item.title, item.urgency) == (
        f"Termijn van directeurenoverleg verstreken op {date_format(due)}: verleng hem of "
        "trek Protocol sociale media versie 2 in",
        Urgency.HIGH,
    )


def test_an_overdue_evaluation_waits_for_the_board(adopted, board_member, director):
    ProtocolVersion.objects.filter(pk=adopted.pk).update(
        evaluation_date=today() - timedelta(days=1)
    )
    [item] = waiting.items_for(board_member)
    assert (item.title, item.url, item.urgency) == (
        f"Evaluatie van Protocol sociale media versie 1 was uiterlijk {date_format(item.due)}",
        adopted.get_absolute_url(),
        Urgency.HIGH,
    )
    # A board-wide protocol is evaluated by the board, not by each director.
    assert waiting.items_for(director) == []


def test_an_evaluation_within_a_month_is_announced_but_not_two_months_ahead(adopted, board_member):
    ProtocolVersion.objects.filter(pk=adopted.pk).update(
        evaluation_date=today() + timedelta(days=30)
    )
    soon = [item.title for item in waiting.items_for(board_member)]
    ProtocolVersion.objects.filter(pk=adopted.pk).update(
        evaluation_date=today() + timedelta(days=31)
    )
    assert (len(soon), waiting.items_for(board_member)) == (1, [])


def test_the_submitter_sees_a_term_that_ends_within_a_week(proposal, director):
    due = today() + timedelta(days=7)
    ProcedureStep.objects.filter(version=proposal, kind=StepKind.ADVICE).update(due_on=due)
    assert terms(director) == [
        f"Termijn van directeurenoverleg loopt af op {date_format(due)}: "
        "Protocol sociale media versie 2"
    ]


def test_the_submitter_does_not_see_a_term_eight_days_ahead(proposal, director):
    due = today() + timedelta(days=8)
    ProcedureStep.objects.filter(version=proposal, kind=StepKind.ADVICE).update(due_on=due)
    assert terms(director) == []


def test_the_submitter_sees_a_term_that_ran_out(proposal, director):
    step = proposal.steps.get(kind=StepKind.ADVICE)
    ProcedureStep.objects.filter(pk=step.pk).update(due_on=today() - timedelta(days=1))
    [title] = terms(director)
    assert title.startswith("Termijn van directeurenoverleg verstreken op ")


def test_the_board_is_asked_to_adopt(proposal, director, gmr_noord_member, board_member):
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
    workflow.record_decision(consent, by=gmr_noord_member, decided_on=today(), votes=votes)
    rvt = proposal.steps.get(kind=StepKind.APPROVAL)
    workflow.mark_not_applicable(rvt, by=director, reason="Niet in de statuten.")
    assert as_dicts(waiting.items_for(board_member)) == [
        {
            "title": "Vaststellen: Protocol sociale media versie 2",
            "url": proposal.get_absolute_url(),
        }
    ]


def test_staff_see_adopted_versions_they_have_yet_to_confirm(adopted, school, teacher):
    Acknowledgement.objects.create(version=adopted, user=teacher, school=school)
    assert as_dicts(waiting.items_for(teacher)) == [
        {
            "title": (
                f"Bevestig dat je Protocol sociale media versie 1 hebt gelezen ({school.name})"
            ),
            "url": reverse("protocols:acknowledgement_confirm", args=[adopted.pk]),
        }
    ]


@pytest.mark.parametrize("n", [1, 4])
def test_tasks_for_query_count_is_constant(
    school, director, gmr_noord, gmr_noord_member, n, django_assert_num_queries
):
    StaffFactory(user=director, school=school)  # only staff are asked to confirm reading
    for _ in range(n):
        version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
        SectionFactory(version=version)
        workflow.submit(version, by=director, change_summary="x", legal_basis="consent")
        open_council_step(version, director)
        version.questions.create(text="?", asked_by=gmr_noord_member)
        Acknowledgement.objects.create(
            version=ProtocolVersionFactory(protocol=version.protocol, status=Status.ADOPTED),
            user=director,
            school=school,
        )
    with access.request_scope():
        access.reach(director)  # in a request, the menu has read it already
        access.reach(gmr_noord_member)
        # the director: steps, questions, evaluations, reading; the member (no staff): steps
        with django_assert_num_queries(5):
            found = as_dicts(waiting.items_for(director)) + as_dicts(
                waiting.items_for(gmr_noord_member)
            )
    assert len(found) == 3 * n  # questions and acknowledgements; council decisions


def test_staff_who_have_left_are_no_longer_asked_to_confirm(adopted, school, teacher):
    Acknowledgement.objects.create(version=adopted, user=teacher, school=school)
    teacher.staff_positions.update(end_date=today() - timedelta(days=1))
    assert as_dicts(waiting.items_for(teacher)) == []
