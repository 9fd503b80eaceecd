"""Fixtures shared by the protocols tests; the school and its people come from tests/conftest.py.

Two GMRs with different shapes are on offer, named for what they are, so a test says which one
its numbers and names rely on.
"""

import pytest

from schools.models import Council
from tests.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SectionFactory,
)


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads and stored PDFs go to a temporary folder, not into the checkout."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def draft(school):
    """A draft of a board-wide protocol with one section."""
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    SectionFactory(version=version)
    return version


@pytest.fixture
def gmr_of_six(school):
    """The stichting's GMR: three parents and three staff members."""
    council = CouncilFactory(kind=Council.Kind.GMR, school=None, stichting=school.stichting)
    for geleding in ["parents"] * 3 + ["staff"] * 3:
        CouncilMemberFactory(council=council, geleding=geleding)
    return council


@pytest.fixture
def gmr_noord(school):
    """The stichting's GMR, named "GMR Noord": one parent and one staff member."""
    council = CouncilFactory(
        kind=Council.Kind.GMR, school=None, stichting=school.stichting, name="GMR Noord"
    )
    for geleding in ["parents", "staff"]:
        CouncilMemberFactory(council=council, geleding=geleding)
    return council


@pytest.fixture
def gmr_noord_member(gmr_noord):
    return gmr_noord.members.first().user
