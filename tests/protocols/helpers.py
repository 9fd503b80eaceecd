"""Plain helpers shared by the protocols tests; fixtures live in conftest.py."""

import functools
import io
import zipfile

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


@functools.cache
def zip_bomb_docx(unpacked_mb: int = 500) -> bytes:
    """A .docx-looking zip of about 500 KB whose document.xml unpacks to `unpacked_mb` MB.

    Written in streaming chunks, so building it takes a second and no more memory than a chunk.
    """
    buffer = io.BytesIO()
    chunk = b"<w:t>" + b"a" * (1024 * 1024 - 11) + b"</w:t>"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(unpacked_mb):
                part.write(chunk)
    return buffer.getvalue()


def backdate_submission(version, days=400):
    """Pretend the proposal was submitted `days` ago, so decisions can be dated in between."""
    from datetime import timedelta

    from protocols.models import ProtocolVersion

    submitted_at = timezone.now() - timedelta(days=days)
    ProtocolVersion.objects.filter(pk=version.pk).update(submitted_at=submitted_at)
    version.submitted_at = submitted_at
