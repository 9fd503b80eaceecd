"""Fixtures shared by the view tests.

The procedure pages are tested against "GMR De Stichting" (three parents, three staff); the
council's side against `gmr_noord` (tests/protocols/conftest.py), one member per section.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from protocols import workflow
from schools.models import Council
from tests.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SectionFactory,
)

# --- the procedure pages ------------------------------------------------------------------------


@pytest.fixture
def gmr_de_stichting(school):
    council = CouncilFactory(
        kind=Council.Kind.GMR, school=None, stichting=school.stichting, name="GMR De Stichting"
    )
    for geleding in ["parents"] * 3 + ["staff"] * 3:
        CouncilMemberFactory(council=council, geleding=geleding)
    return council


@pytest.fixture
def gmr_parent(gmr_de_stichting):
    """A parent on GMR De Stichting: reads the proposal and records the council's vote."""
    return gmr_de_stichting.members.filter(geleding="parents").first().user


@pytest.fixture
def submitted(draft, director, gmr_de_stichting):
    workflow.submit(draft, by=director, change_summary="Nieuw.", legal_basis="consent")
    return draft


# --- the council's side -------------------------------------------------------------------------


@pytest.fixture
def protocol(school):
    return ProtocolFactory(stichting=school.stichting)


@pytest.fixture
def adopted(protocol):
    version = ProtocolVersionFactory(protocol=protocol, number=1)
    SectionFactory(version=version, position=1, heading="Inleiding", body="Oude tekst.")
    workflow.register_adoption(
        version,
        adopted_on=date(2025, 1, 1),
        effective_date=date(2025, 1, 1),
        # Two years on: far enough from today that no evaluation reminder is due.
        evaluation_date=timezone.localdate() + timedelta(days=730),
        change_summary="Eerste versie.",
    )
    return version


@pytest.fixture
def proposal(protocol, adopted, director, gmr_noord):
    """Version 2, submitted: the directors' step is open, the council's waits."""
    version = ProtocolVersionFactory(protocol=protocol, number=2)
    SectionFactory(version=version, position=1, heading="Inleiding", body="Nieuwe tekst.")
    SectionFactory(version=version, position=2, heading="Afspraken", body="Wij spreken af.")
    workflow.submit(version, by=director, change_summary="Herzien.", legal_basis="consent")
    return version
