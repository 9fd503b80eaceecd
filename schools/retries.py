"""A background task that fails is tried again, and reported when it keeps failing.

django-tasks marks a failed task's row failed and moves on. With the database backend this
module puts the same row back in the queue, later each time (`PORTAL_TASK_RETRY_DELAY` times
the attempts so far), until it has run `PORTAL_TASK_ATTEMPTS` times; the row keeps its
arguments, and its workers (one per attempt) count the attempts. A task that fails its last
attempt stays failed in the admin (Task results, with its traceback) and is reported to
`ADMINS` by e-mail and in the log. The immediate backend cannot defer a task, so a failure
there is reported at once; what it did not do is caught up by the daily jobs.

Every task must therefore be safe to run again after a failure part-way through.
"""

import logging

from django.conf import settings
from django.core.mail import mail_admins
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def retry_or_report(sender, task_result, **kwargs) -> None:
    """`task_finished` receiver: queue a failed task again, or report it when it gave up."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    attempts = task_result.attempts
    if issubclass(sender, DatabaseBackend) and attempts < settings.PORTAL_TASK_ATTEMPTS:
        later = timezone.now() + settings.PORTAL_TASK_RETRY_DELAY * attempts
        DBTaskResult.objects.filter(pk=task_result.id, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=later, finished_at=None
        )
        logger.warning(
            "Task %s (%s) failed attempt %d; it runs again after %s",
            task_result.task.name,
            task_result.id,
            attempts,
            later.isoformat(timespec="seconds"),
        )
        return
    error = task_result.errors[-1] if task_result.errors else None
    summary = f"{task_result.task.name} ({task_result.id})"
    logger.error("Task %s failed %d time(s) and is not tried again", summary, attempts)
    mail_admins(
        f"Background task failed: {task_result.task.name}",
        f"The task {summary} failed {attempts} time(s) and is not tried again.\n"
        f"Arguments: {task_result.args!r} {task_result.kwargs!r}\n\n"
        + (error.traceback if error else ""),
    )


def connect() -> None:
    task_finished.connect(retry_or_report, dispatch_uid="schools.retries")
