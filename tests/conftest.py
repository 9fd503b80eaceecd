"""Shared fixtures: a school with a director and a teacher, and an outsider elsewhere.

The outsider holds the strongest roles at *another* stichting, so any leak shows up.
"""

import pytest

from schools.models import Role
from tests.factories import (
    ClassGroupFactory,
    MembershipFactory,
    SchoolFactory,
    StaffFactory,
    UserFactory,
)


@pytest.fixture
def school(db):
    return SchoolFactory()


@pytest.fixture
def group(school):
    return ClassGroupFactory(school=school)


@pytest.fixture
def director(school):
    return MembershipFactory(school=school, role=Role.DIRECTOR).user


@pytest.fixture
def teacher(school, group):
    user = MembershipFactory(school=school, role=Role.STAFF).user
    StaffFactory(user=user, school=school, groups=[group])
    return user


@pytest.fixture
def board_member(school):
    return MembershipFactory(role=Role.BOARD, school=None, stichting=school.stichting).user


@pytest.fixture
def outsider(db):
    """Director and board member of a school in another stichting."""
    other = SchoolFactory()
    user = UserFactory()
    MembershipFactory(user=user, school=other, role=Role.DIRECTOR)
    MembershipFactory(user=user, school=None, stichting=other.stichting, role=Role.BOARD)
    return user
