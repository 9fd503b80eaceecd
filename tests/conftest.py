"""Shared fixtures: a school with a director and a teacher, and an outsider elsewhere.

The outsider holds the strongest roles at *another* stichting, so any leak shows up.
"""

import pytest
from django.db import connection

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


@pytest.fixture(autouse=True)
def empty_the_consent_ledger_before_a_flush(request):
    """Tests that flush the database (live server, transactional) empty the ledger first.

    The ledger refuses deletes (consent/migrations/0001); PostgreSQL's flush truncates, which
    the trigger does not see, but SQLite's deletes row by row, so the ledger's own purge goes
    first, the one delete it allows.
    """
    flushes = {"transactional_db", "live_server"} & set(request.fixturenames)
    if not flushes or connection.vendor != "sqlite":
        yield
        return
    request.getfixturevalue("transactional_db")  # set up first, so flushed after this ends
    yield
    from consent import ledger
    from consent.models import ActivityAnswer, ConsentEvent

    ledger.purge_rows(ConsentEvent.objects.all())
    ledger.purge_rows(ActivityAnswer.objects.all())
