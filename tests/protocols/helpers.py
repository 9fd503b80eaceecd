"""Plain helpers shared by the protocols tests; fixtures live in conftest.py."""

from django.utils import timezone

from protocols import workflow
from protocols.models import ProcedureStep, StepKind

Outcome = ProcedureStep.Outcome


def today():
    return timezone.localdate()


def submit(version, by, **kwargs):
    return workflow.submit(
        version, by=by, change_summary="Nieuw protocol.", legal_basis="consent", **kwargs
    )


def advance_to_consent(version, director, **kwargs):
    """Submit, give positive advice; returns the open council step."""
    step = submit(version, director, **kwargs)
    workflow.record_decision(step, by=director, decided_on=today(), outcome=Outcome.POSITIVE)
    return version.steps.get(kind=StepKind.CONSENT)


def votes_of_three(parents=(3, 3, 0, 0), staff=(3, 3, 0, 0)):
    """Votes as (present, for, against, abstentions) for sections of three members.

    By default everyone is present and votes for.
    """
    return [
        {
            "geleding": geleding,
            "members": 3,
            "present": present,
            "votes_for": votes_for,
            "votes_against": against,
            "abstentions": abstentions,
        }
        for geleding, (present, votes_for, against, abstentions) in [
            ("parents", parents),
            ("staff", staff),
        ]
    ]
