from datetime import date

import pytest
from django.core.exceptions import ValidationError

from protocols import workflow
from protocols.models import ProtocolVersion
from tests.factories import ProtocolFactory, ProtocolVersionFactory

pytestmark = pytest.mark.django_db
Status = ProtocolVersion.Status
DATES = {
    "adopted_on": date(2026, 2, 23),
    "effective_date": date(2026, 3, 1),
    "evaluation_date": date(2028, 2, 23),
}


def test_register_adoption_adopts_a_draft_with_its_dates():
    version = ProtocolVersionFactory()
    workflow.register_adoption(version, change_summary="Eerste versie.", **DATES)
    version.refresh_from_db()
    assert (version.status, version.adopted_on, version.evaluation_date) == (
        Status.ADOPTED,
        date(2026, 2, 23),
        date(2028, 2, 23),
    )


def test_register_adoption_supersedes_the_previous_adopted_version():
    protocol = ProtocolFactory()
    old = ProtocolVersionFactory(protocol=protocol)
    workflow.register_adoption(old, change_summary="Eerste versie.", **DATES)
    new = ProtocolVersionFactory(protocol=protocol)
    workflow.register_adoption(new, change_summary="Tweede versie.", **DATES)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (Status.SUPERSEDED, Status.ADOPTED)


def test_register_adoption_refuses_a_version_that_is_not_a_draft():
    version = ProtocolVersionFactory()
    workflow.register_adoption(version, change_summary="Eerste versie.", **DATES)
    with pytest.raises(ValidationError, match="Alleen een concept"):
        workflow.register_adoption(version, change_summary="Nog eens.", **DATES)


def test_register_adoption_requires_a_change_summary():
    with pytest.raises(ValidationError, match="wat er veranderd is"):
        workflow.register_adoption(ProtocolVersionFactory(), change_summary="  ", **DATES)


def test_register_adoption_refuses_evaluation_before_adoption():
    dates = {**DATES, "evaluation_date": date(2025, 1, 1)}
    with pytest.raises(ValidationError, match="evaluatiedatum"):
        workflow.register_adoption(ProtocolVersionFactory(), change_summary="x", **dates)
