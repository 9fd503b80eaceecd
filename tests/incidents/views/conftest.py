"""Fixtures for the incidents pages: the outsiders of the issue, and Dutch as the pages show it."""

import pytest
from django.utils import translation

from schools.models import Role
from tests.factories import (
    ClassGroupFactory,
    MembershipFactory,
    SchoolFactory,
    StaffFactory,
)


def nl(text: str) -> str:
    """`text` as the Dutch pages show it, from the app's own catalogue."""
    with translation.override("nl"):
        return translation.gettext(text)


@pytest.fixture
def other_school_director(school):
    """The director of another school of the same stichting."""
    other = SchoolFactory(stichting=school.stichting)
    return MembershipFactory(school=other, role=Role.DIRECTOR).user


@pytest.fixture
def uninvolved_teacher(school):
    """A teacher at the school, of another group, who reported nothing."""
    user = MembershipFactory(school=school, role=Role.STAFF).user
    StaffFactory(user=user, school=school, groups=[ClassGroupFactory(school=school)])
    return user


OUTSIDERS = [
    "outsider",
    "other_school_director",
    "uninvolved_teacher",
    "council_member",
    "parent",
]
