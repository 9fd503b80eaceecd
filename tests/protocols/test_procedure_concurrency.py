"""Two people recording the same decision at the same moment produce exactly one decision."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from protocols import drafts, workflow
from protocols.importer import ImportResult
from protocols.models import GeledingVote, ProcedureStep, ProtocolVersion, StepKind
from schools.models import Council
from tests.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SectionFactory,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs real concurrent transactions: CI runs it on PostgreSQL",
    ),
]


def test_two_members_recording_at_once_give_one_decision_and_a_message(school, director):
    gmr = CouncilFactory(kind=Council.Kind.GMR, school=None, stichting=school.stichting)
    first, second = (CouncilMemberFactory(council=gmr, geleding="parents").user for _ in range(2))
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    SectionFactory(version=version)
    gmr.term_days = 42
    gmr.save()
    workflow.procedure_template(school.stichting)
    school.stichting.procedure_steps.filter(kind=StepKind.CONSENT).update(geledingen=["parents"])
    step = workflow.submit(version, by=director, change_summary="x", legal_basis="consent")
    workflow.record_decision(step, by=director, decided_on=timezone.localdate(), outcome="positive")
    consent = version.steps.get(kind=StepKind.CONSENT)
    vote = [
        {
            "geleding": "parents",
            "members": 2,
            "present": 2,
            "votes_for": 2,
            "votes_against": 0,
            "abstentions": 0,
        }
    ]
    barrier = threading.Barrier(2)
    results = []

    def record(user):
        try:
            barrier.wait()
            workflow.record_decision(consent, by=user, decided_on=timezone.localdate(), votes=vote)
            results.append("recorded")
        except ValidationError as error:
            results.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["already_recorded", "recorded"]
    assert (
        ProcedureStep.objects.get(pk=consent.pk).outcome,
        GeledingVote.objects.filter(step=consent).count(),
    ) == ("granted", 1)


def test_two_new_drafts_at_once_give_one_draft_and_a_message(school, director):
    protocol = ProtocolFactory(stichting=school.stichting)
    adopted = ProtocolVersionFactory(protocol=protocol, status=ProtocolVersion.Status.ADOPTED)
    SectionFactory(version=adopted)
    barrier = threading.Barrier(2)
    results = []

    def make_draft():
        try:
            barrier.wait()
            drafts.new_draft(adopted, by=director)
            results.append("made")
        except ValidationError as error:
            results.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=make_draft) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["draft_exists", "made"]
    assert protocol.versions.filter(status=ProtocolVersion.Status.DRAFT).count() == 1


def test_two_imports_at_once_give_one_draft_and_a_message(school, director):
    result = ImportResult(title="Pesten", sections=[], procedure=[])
    sections = [{"heading": "Inleiding", "audience": "", "body": "Tekst."}]
    barrier = threading.Barrier(2)
    results = []

    def save():
        try:
            barrier.wait()
            drafts.save_import(
                result=result, stichting=school.stichting, school=school, sections=sections
            )
            results.append("made")
        except ValidationError as error:
            results.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["draft_exists", "made"]
    assert ProtocolVersion.objects.filter(status=ProtocolVersion.Status.DRAFT).count() == 1
