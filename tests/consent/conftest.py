"""Consent fixtures: a pupil under 16 with two guardians with gezag, and purposes to consent to.

The school, its director and teacher and the outsider come from tests/conftest.py.
"""

from datetime import date

import pytest

from consent import ledger
from consent.models import Purpose
from tests.factories import GuardianFactory, PupilFactory, StaffFactory

# A fixed "today"; the pupil turns 16 on BIRTHDAY_16.
TODAY = date(2026, 3, 10)
BIRTHDAY_16 = date(2026, 3, 14)


@pytest.fixture
def today():
    return TODAY


@pytest.fixture
def public_purpose(school):
    """The school website: public, so a withdrawal needs a takedown."""
    return ledger.create_purpose(
        stichting=school.stichting,
        name="Website",
        slug="website",
        text="Foto's en video's op de openbare website van de school.",
        by=None,
        channel=Purpose.Channel.PUBLIC,
        video=True,
    )


@pytest.fixture
def parent_app(school):
    """The parent app: behind a login."""
    return ledger.create_purpose(
        stichting=school.stichting,
        name="Ouderapp",
        slug="ouderapp",
        text="Foto's in de besloten ouderapp.",
        by=None,
        channel=Purpose.Channel.AUTHENTICATED,
    )


@pytest.fixture
def staff_purpose(school):
    return ledger.create_purpose(
        stichting=school.stichting,
        name="Smoelenboek",
        slug="smoelenboek",
        text="Jouw foto in het smoelenboek op de website.",
        by=None,
        channel=Purpose.Channel.PUBLIC,
        audience=Purpose.Audience.STAFF,
    )


@pytest.fixture
def pupil(school, group):
    """A pupil of 9."""
    return PupilFactory(school=school, group=group, birth_date=date(2017, 5, 1))


@pytest.fixture
def mother(pupil):
    return GuardianFactory(pupil=pupil, has_gezag=True).user


@pytest.fixture
def father(pupil):
    return GuardianFactory(pupil=pupil, has_gezag=True).user


@pytest.fixture
def teen(school, group):
    """A pupil who turns 16 on BIRTHDAY_16, with an account of their own."""
    from tests.factories import UserFactory

    return PupilFactory(
        school=school, group=group, birth_date=date(2010, 3, 14), user=UserFactory()
    )


@pytest.fixture
def teen_parent(teen):
    return GuardianFactory(pupil=teen, has_gezag=True).user


@pytest.fixture
def colleague(school):
    """A staff member of the school."""
    return StaffFactory(school=school)
