"""Who sees a proposal: the members of the council it is put to, while they sit on it."""

import pytest

from protocols import workflow
from protocols.models import ProtocolVersion
from tests.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SectionFactory,
)
from tests.protocols.helpers import today

pytestmark = pytest.mark.django_db


def test_a_gmr_member_sees_a_board_wide_version_put_to_their_council(proposal, gmr_noord_member):
    assert list(ProtocolVersion.objects.for_user(gmr_noord_member).filter(pk=proposal.pk)) == [
        proposal
    ]


def test_an_mr_member_sees_their_schools_own_proposal_only(school, director):
    mr = CouncilFactory(school=school)
    member = CouncilMemberFactory(council=mr).user
    own = ProtocolVersionFactory(
        protocol=ProtocolFactory(stichting=school.stichting, school=school)
    )
    SectionFactory(version=own)
    workflow.submit(own, by=director, change_summary="Nieuw.", legal_basis="consent")
    elsewhere = ProtocolVersionFactory(protocol=ProtocolFactory(school=CouncilFactory().school))
    assert set(ProtocolVersion.objects.for_user(member)) == {own}
    assert elsewhere.pk not in ProtocolVersion.objects.for_user(member).values_list("pk", flat=True)


def test_a_former_council_member_no_longer_sees_the_proposal(proposal, gmr_noord):
    former = CouncilMemberFactory(council=gmr_noord, end_date=today()).user
    assert ProtocolVersion.objects.for_user(former).exists() is False
