"""A background task that fails is tried again later, and reported when it gives up."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db
runs = []


@task()
def fails_twice(label: str) -> str:
    runs.append(label)
    if len(runs) <= 2:
        raise ConnectionError("mail server away")
    return f"done {label}"


@task()
def always_fails(label: str) -> None:
    runs.append(label)
    raise ValueError(f"version {label} is gone")


@pytest.fixture(autouse=True)
def fresh_runs(settings):
    runs.clear()
    settings.ADMINS = [("Beheer", "beheer@stichting.example")]
    settings.PORTAL_TASK_ATTEMPTS = 3
    settings.PORTAL_TASK_RETRY_DELAY = timedelta(minutes=5)


def time_passes():
    """The worker finds a deferred task once its time has come."""
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))


def test_a_failed_task_waits_longer_each_time_and_succeeds_later(task_worker, mailoutbox):
    fails_twice.enqueue("a")
    task_worker()
    row = DBTaskResult.objects.get()
    first_wait = row.run_after - timezone.now()
    assert (row.status, len(row.worker_ids), runs) == (TaskResultStatus.READY, 1, ["a"])
    assert timedelta(minutes=4) < first_wait <= timedelta(minutes=5)

    task_worker()
    assert runs == ["a"], "not before its time"

    time_passes()
    task_worker()
    row.refresh_from_db()
    assert timedelta(minutes=9) < row.run_after - timezone.now() <= timedelta(minutes=10)

    time_passes()
    task_worker()
    row.refresh_from_db()
    assert (row.status, row.return_value, len(row.worker_ids)) == (
        TaskResultStatus.SUCCESSFUL,
        "done a",
        3,
    )
    assert mailoutbox == []


def test_a_task_that_fails_its_last_attempt_stays_failed_and_is_reported(task_worker, mailoutbox):
    always_fails.enqueue("17")
    for _ in range(5):
        task_worker()
        time_passes()
    row = DBTaskResult.objects.get()
    assert (row.status, len(runs)) == (TaskResultStatus.FAILED, 3)
    assert "version 17 is gone" in row.traceback
    [report] = mailoutbox
    assert report.to == ["beheer@stichting.example"]
    assert "always_fails" in report.subject
    assert "failed 3 time(s)" in report.body
    assert "['17']" in report.body
    assert "ValueError: version 17 is gone" in report.body


def test_a_task_that_fails_on_the_immediate_backend_is_reported_at_once(mailoutbox):
    always_fails.enqueue("9")
    [report] = mailoutbox
    assert runs == ["9"]
    assert "failed 1 time(s)" in report.body
