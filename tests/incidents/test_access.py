"""Who sees which incident: `Incident.objects.for_user`, per role (incidents/access.py)."""

import pytest

from incidents.models import Incident
from schools.models import Role
from tests.factories import MembershipFactory, SchoolFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _visible(user):
    return list(Incident.objects.for_user(user).values_list("pk", flat=True))


@pytest.fixture
def board_case(report, pupil, colleague, board_member):
    return report(
        "grensoverschrijdend",
        involved=[
            {"role": "victim", "kind": "pupil", "pupil": pupil},
            {"role": "suspect", "kind": "staff", "staff": colleague},
        ],
    )


def test_reporter_sees_their_own_report(incident, teacher):
    assert _visible(teacher) == [incident.pk]


def test_handler_sees_what_is_routed_to_them(incident, anti_bullying):
    assert _visible(anti_bullying) == [incident.pk]


def test_confidant_sees_nothing_not_routed_to_them(incident, confidant):
    assert _visible(confidant) == []


def test_directie_sees_every_incident_of_the_school(report, director, parent):
    incident = report("kwetsen", by=parent, to_confidant=True)
    assert _visible(director) == [incident.pk]


def test_directie_does_not_see_a_board_case_about_staff_misconduct(board_case, director):
    assert _visible(director) == []


def test_school_handlers_do_not_see_a_board_case(board_case, anti_bullying, confidant):
    assert (_visible(anti_bullying), _visible(confidant)) == ([], [])


def test_board_sees_what_is_routed_to_it(board_case, board_member):
    assert _visible(board_member) == [board_case.pk]


def test_board_member_who_joined_later_sees_the_board_case(board_case, school):
    later = MembershipFactory(role=Role.BOARD, school=None, stichting=school.stichting).user
    assert _visible(later) == [board_case.pk]


def test_board_does_not_see_a_school_case(incident, board_member):
    assert _visible(board_member) == []


def test_suspected_staff_member_does_not_see_the_case(board_case, colleague):
    assert _visible(colleague.user) == []


def test_suspected_director_does_not_see_the_case_about_them(report, director, school, pupil):
    position = StaffFactory(user=director, school=school, function="directeur")
    report(
        "kwetsen",
        involved=[
            {"role": "victim", "kind": "pupil", "pupil": pupil},
            {"role": "suspect", "kind": "staff", "staff": position},
        ],
    )
    assert _visible(director) == []


def test_uninvolved_teacher_sees_nothing(incident, school, group):
    other_teacher = StaffFactory(school=school, groups=[group]).user
    assert _visible(other_teacher) == []


def test_council_member_sees_nothing(incident, council_member):
    assert _visible(council_member) == []


def test_parent_sees_nothing_but_their_own_reports(incident, report, parent):
    own = report("kwetsen", by=parent)
    assert _visible(parent) == [own.pk]


def test_director_of_another_school_sees_nothing(incident, school):
    other = MembershipFactory(school=SchoolFactory(stichting=school.stichting)).user
    assert _visible(other) == []


def test_director_and_board_of_another_stichting_see_nothing(incident, board_case, outsider):
    assert _visible(outsider) == []


def test_anonymous_visitor_sees_nothing(incident):
    from django.contrib.auth.models import AnonymousUser

    assert _visible(AnonymousUser()) == []


def test_user_without_any_role_sees_nothing(incident):
    assert _visible(UserFactory()) == []


def test_for_user_returns_each_incident_once(incident, director, school):
    # The director also has the anti-bullying role and the case is routed to them twice over.
    MembershipFactory(user=director, school=school, role=Role.ANTI_BULLYING)
    incident.routed_to.add(director)
    assert _visible(director) == [incident.pk]
