"""Fixtures for the incidents tests: the people around one school's incidents.

The school, its director, teacher and board member, and the outsider come from
tests/conftest.py. Here: the school's handlers, a pupil, a staff member who may be a suspect,
a parent, a council member, the default categories, and `report` to file one as a teacher.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import workflow
from schools.models import Role
from tests.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    GuardianFactory,
    MembershipFactory,
    PupilFactory,
    StaffFactory,
)


@pytest.fixture
def media_root(settings, tmp_path):
    """Attachments go to a temporary folder, not into the checkout."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def categories(school):
    return {c.code: c for c in workflow.ensure_default_categories(school.stichting)}


@pytest.fixture
def anti_bullying(school):
    return MembershipFactory(school=school, role=Role.ANTI_BULLYING).user


@pytest.fixture
def confidant(school):
    return MembershipFactory(school=school, role=Role.CONFIDANT).user


@pytest.fixture
def pupil(school, group):
    return PupilFactory(school=school, group=group)


@pytest.fixture
def other_pupil(school, group):
    return PupilFactory(school=school, group=group)


@pytest.fixture
def colleague(school):
    """A staff member of the school, the suspect in the board cases."""
    return StaffFactory(school=school, function="gymleraar")


@pytest.fixture
def parent(pupil):
    return GuardianFactory(pupil=pupil).user


@pytest.fixture
def council_member(school):
    return CouncilMemberFactory(council=CouncilFactory(school=school)).user


@pytest.fixture
def yesterday():
    return timezone.now() - timedelta(days=1)


@pytest.fixture
def report(school, teacher, categories, pupil, yesterday, anti_bullying, director):
    """File a report as the teacher: `report("kwetsen", involved=[...])`."""

    def file(*codes, by=teacher, involved=None, **kwargs):
        if involved is None:
            involved = [{"role": "victim", "kind": "pupil", "pupil": pupil}]
        return workflow.report(
            school=school,
            by=by,
            occurred_at=yesterday,
            place="online",
            platform="whatsapp",
            categories=[categories[code] for code in codes or ["kwetsen"]],
            description="Er werd een kwetsend bericht over een klasgenoot gedeeld.",
            involved=involved,
            **kwargs,
        )

    return file


@pytest.fixture
def incident(report):
    """A default report: routed to the anti-bullying coordinator and the director."""
    return report("kwetsen")
