"""Slow work as background tasks (django-tasks): what follows an adoption, and rendering
the decision log's PDF.

`workflow.adopt` enqueues the first three after its transaction commits, so the board's request
answers as soon as the decision is saved; asking for a decision log PDF that is not stored yet
enqueues the last. With the immediate backend (`make run`, tests) they run right
after the commit, in the same process; with the database backend (production) a `db_worker`
process picks them up. A task that fails runs again later (schools/retries.py), so each must be
safe to run twice; whatever a task that gave up did not do is caught up by the daily job
(`store_missing_pdfs`; `acknowledgements.request` asks nobody twice).

Arguments are primary keys: a task's arguments are stored as JSON in the queue.
"""

import logging

from django_tasks import task

from protocols import acknowledgements, notices, pdf
from protocols.models import Protocol, ProtocolVersion

logger = logging.getLogger(__name__)


def store_pdfs(version_pk: int) -> int:
    """Store the final version's PDF once per school it applies to; returns how many were new.

    Idempotent: PDFs already stored are left alone. A school whose PDF fails is logged and
    skips none of the others; the daily job tries it again.
    """
    version = ProtocolVersion.objects.select_related("protocol").get(pk=version_pk)
    done = set(version.pdfs.values_list("school", flat=True))
    stored = 0
    for school in version.protocol.schools_covered():
        if school.pk in done:
            continue
        try:
            pdf.stored_pdf(version, school=school)
        except Exception:
            logger.exception("Storing the PDF of version %s for %s failed", version.pk, school)
        else:
            stored += 1
    return stored


def store_missing_pdfs() -> int:
    """Store the PDFs that adopted (current) versions still miss; returns how many."""
    adopted = ProtocolVersion.objects.filter(status=ProtocolVersion.Status.ADOPTED)
    return sum(store_pdfs(pk) for pk in adopted.values_list("pk", flat=True))


@task()
def store_adopted_pdfs(version_pk: int) -> int:
    """Render and store the adopted version's PDF for every school it applies to."""
    return store_pdfs(version_pk)


@task()
def announce_adoption(version_pk: int) -> int:
    """Tell those in the procedure that the version was adopted; returns how many were told."""
    return notices.version_adopted(ProtocolVersion.objects.get(pk=version_pk))


@task()
def request_acknowledgements(version_pk: int) -> int:
    """Ask staff to confirm reading a substantive change; returns how many were asked."""
    return acknowledgements.request(ProtocolVersion.objects.get(pk=version_pk))


@task()
def store_decision_log_pdf(protocol_pk: int) -> str:
    """Render the protocol's decision log as it is now and store the PDF; returns its name."""
    return pdf.store_log_pdf(Protocol.objects.get(pk=protocol_pk)).file.name
