import pytest

from schools.models import ClassGroup, Council, Pupil, Role, School
from tests.factories import (
    ClassGroupFactory,
    CouncilFactory,
    CouncilMemberFactory,
    GuardianFactory,
    MembershipFactory,
    PupilFactory,
    SchoolFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_board_member_sees_every_school_of_their_stichting_only(board_member, school):
    sibling = SchoolFactory(stichting=school.stichting)
    SchoolFactory()  # another stichting
    assert set(School.objects.for_user(board_member)) == {school, sibling}


def test_director_sees_only_their_own_school(director, school):
    SchoolFactory(stichting=school.stichting)
    assert list(School.objects.for_user(director)) == [school]


def test_stichting_wide_membership_reaches_every_school(school):
    sibling = SchoolFactory(stichting=school.stichting)
    user = MembershipFactory(role=Role.CONFIDANT, school=None, stichting=school.stichting).user
    assert set(School.objects.for_user(user)) == {school, sibling}


def test_school_roles_can_be_narrowed(school):
    user = MembershipFactory(school=school, role=Role.STAFF).user
    assert list(School.objects.for_user(user, roles=[Role.DIRECTOR])) == []


def test_anonymous_user_sees_no_school(school):
    from django.contrib.auth.models import AnonymousUser

    assert list(School.objects.for_user(AnonymousUser())) == []


def test_superuser_sees_every_school(school):
    other = SchoolFactory()
    admin = UserFactory(is_superuser=True)
    assert set(School.objects.for_user(admin)) == {school, other}


def test_teacher_sees_pupils_of_own_group_only(teacher, school, group):
    own = PupilFactory(school=school, group=group)
    PupilFactory(school=school, group=ClassGroupFactory(school=school))
    PupilFactory(school=school)
    assert list(Pupil.objects.for_user(teacher)) == [own]


def test_teacher_loses_group_when_employment_ended(school, group):
    from datetime import date

    user = MembershipFactory(school=school, role=Role.STAFF).user
    StaffFactory(user=user, school=school, groups=[group], end_date=date(2020, 1, 1))
    PupilFactory(school=school, group=group)
    assert list(Pupil.objects.for_user(user)) == []


def test_director_sees_every_pupil_of_their_school(director, school, group):
    pupils = {PupilFactory(school=school, group=group), PupilFactory(school=school)}
    PupilFactory()  # elsewhere
    assert set(Pupil.objects.for_user(director)) == pupils


def test_parent_sees_own_children_only(school):
    guardian = GuardianFactory(pupil=PupilFactory(school=school))
    sibling = GuardianFactory(user=guardian.user, pupil=PupilFactory(school=school)).pupil
    PupilFactory(school=school)  # a classmate
    assert set(Pupil.objects.for_user(guardian.user)) == {guardian.pupil, sibling}


def test_pupil_sees_only_themselves(school):
    pupil = PupilFactory(school=school, user=UserFactory())
    PupilFactory(school=school)
    assert list(Pupil.objects.for_user(pupil.user)) == [pupil]


def test_parent_sees_no_group_list(school, group):
    guardian = GuardianFactory(pupil=PupilFactory(school=school, group=group))
    assert list(ClassGroup.objects.for_user(guardian.user)) == []


def test_teacher_sees_own_groups_director_all(teacher, director, school, group):
    other = ClassGroupFactory(school=school)
    assert (
        list(ClassGroup.objects.for_user(teacher)),
        set(ClassGroup.objects.for_user(director)),
    ) == (
        [group],
        {group, other},
    )


def test_council_member_sees_own_council_only(school):
    seat = CouncilMemberFactory(council=CouncilFactory(school=school))
    CouncilFactory(school=SchoolFactory(stichting=school.stichting))
    assert list(Council.objects.for_user(seat.user)) == [seat.council]


def test_board_member_sees_gmr_and_every_mr(board_member, school):
    gmr = CouncilFactory(kind=Council.Kind.GMR, school=None, stichting=school.stichting)
    mr = CouncilFactory(school=school)
    CouncilFactory()  # another stichting
    assert set(Council.objects.for_user(board_member)) == {gmr, mr}


def test_director_sees_mr_of_own_school_not_gmr(director, school):
    mr = CouncilFactory(school=school)
    CouncilFactory(kind=Council.Kind.GMR, school=None, stichting=school.stichting)
    assert list(Council.objects.for_user(director)) == [mr]


def test_outsider_sees_nothing_of_this_school(outsider, school, group):
    PupilFactory(school=school, group=group)
    CouncilFactory(school=school)
    assert (
        School.objects.for_user(outsider).filter(pk=school.pk).exists(),
        Pupil.objects.for_user(outsider).filter(school=school).exists(),
        ClassGroup.objects.for_user(outsider).filter(school=school).exists(),
        Council.objects.for_user(outsider).filter(school=school).exists(),
    ) == (False, False, False, False)


def test_reach_lists_each_school_once_with_all_roles(school, teacher):
    from schools import access

    GuardianFactory(user=teacher, pupil=PupilFactory(school=school))
    schools = access.reach(teacher).schools
    assert [(s, sorted(labels)) for s, labels in schools] == [
        (school, sorted(["Medewerker / leerkracht", "Ouder"]))
    ]


def test_staff_record_without_membership_gives_the_staff_role(school, group):
    user = StaffFactory(school=school, groups=[group]).user
    assert (list(School.objects.for_user(user)), list(ClassGroup.objects.for_user(user))) == (
        [school],
        [group],
    )


def test_staff_record_is_not_a_director_role(school):
    user = StaffFactory(school=school, function="directeur").user
    assert list(School.objects.for_user(user, roles=[Role.DIRECTOR])) == []


def test_two_accounts_cannot_share_an_address_in_different_case():
    from django.db import IntegrityError

    UserFactory(email="ouder@example.org")
    with pytest.raises(IntegrityError):
        UserFactory(email="Ouder@Example.org")


def test_reach_names_a_role_once_for_two_children_at_one_school(school):
    from schools import access

    parent = UserFactory()
    GuardianFactory.create_batch(2, user=parent, pupil__school=school)
    assert access.reach(parent).schools == [(school, ["Ouder"])]


def test_outside_a_request_a_new_role_counts_at_once(school):
    # Tasks and the shell run outside a request scope: each call reads the roles afresh.
    user = UserFactory()
    before = list(School.objects.for_user(user))
    MembershipFactory(user=user, school=school, role=Role.DIRECTOR)
    assert (before, list(School.objects.for_user(user))) == ([], [school])


def test_a_request_reads_a_users_reach_once(school, director, django_assert_num_queries):
    from schools import access

    with access.request_scope():
        access.reach(director)
        with django_assert_num_queries(0):
            access.school_ids(director)
            access.school_ids(director, access.MANAGING_ROLES)
            access.taught_group_ids(director)
            access.family_pupil_ids(director, gezag_only=True)
        with django_assert_num_queries(1):
            assert list(School.objects.for_user(director)) == [school]
    # The next request reads the roles as they are then.
    MembershipFactory(user=director, school=SchoolFactory(stichting=school.stichting))
    with access.request_scope():
        assert len(School.objects.for_user(director)) == 2


def test_a_stichting_wide_role_reaches_the_schools_of_its_stichting_in_the_reach(school):
    from schools import access

    board = MembershipFactory(stichting=school.stichting, school=None, role=Role.BOARD).user
    sibling = SchoolFactory(stichting=school.stichting)
    SchoolFactory()  # another stichting
    assert access.school_ids(board, [Role.BOARD]) == sorted([school.pk, sibling.pk])
    assert access.school_ids(board, [Role.DIRECTOR]) == []


def test_may_edit_protocol_agrees_with_the_edit_filter(school, director, board_member, teacher):
    from protocols.models import Protocol
    from schools import access
    from tests.factories import ProtocolFactory

    other_school = SchoolFactory(stichting=school.stichting)
    protocols = [
        ProtocolFactory(stichting=school.stichting),  # board-wide
        ProtocolFactory(stichting=school.stichting, school=school),
        ProtocolFactory(stichting=school.stichting, school=other_school),
        ProtocolFactory(),  # another stichting
    ]
    for user in [director, board_member, teacher, UserFactory()]:
        editable = set(Protocol.objects.for_user(user, edit=True))
        assert [access.may_edit_protocol(user, p) for p in protocols] == [
            p in editable for p in protocols
        ], user
