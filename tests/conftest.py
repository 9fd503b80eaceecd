"""Shared fixtures: a school with a director and a teacher, and an outsider elsewhere.

The outsider holds the strongest roles at *another* stichting, so any leak shows up.
"""

import pytest
from django.db import connection

from schools.models import Role
from tests.factories import (
    ClassGroupFactory,
    MembershipFactory,
    SchoolFactory,
    StaffFactory,
    UserFactory,
)


@pytest.fixture
def school(db):
    return SchoolFactory()


@pytest.fixture
def group(school):
    return ClassGroupFactory(school=school)


@pytest.fixture
def director(school):
    return MembershipFactory(school=school, role=Role.DIRECTOR).user


@pytest.fixture
def teacher(school, group):
    user = MembershipFactory(school=school, role=Role.STAFF).user
    StaffFactory(user=user, school=school, groups=[group])
    return user


@pytest.fixture
def board_member(school):
    return MembershipFactory(role=Role.BOARD, school=None, stichting=school.stichting).user


@pytest.fixture
def outsider(db):
    """Director and board member of a school in another stichting."""
    other = SchoolFactory()
    user = UserFactory()
    MembershipFactory(user=user, school=other, role=Role.DIRECTOR)
    MembershipFactory(user=user, school=None, stichting=other.stichting, role=Role.BOARD)
    return user


@pytest.fixture(autouse=True)
def private_files_in_a_temporary_folder(settings, tmp_path_factory):
    """Files a test stores (PDFs, uploads) land in a folder of its own, never in the checkout."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def empty_the_consent_ledger_before_a_flush(request):
    """Tests that flush the database (live server, transactional) empty the ledger first.

    The ledger refuses deletes (consent/migrations/0001); PostgreSQL's flush truncates, which
    the trigger does not see, but SQLite's deletes row by row, so the ledger's own purge goes
    first, the one delete it allows.
    """
    flushes = {"transactional_db", "live_server"} & set(request.fixturenames)
    if not flushes or connection.vendor != "sqlite":
        yield
        return
    request.getfixturevalue("transactional_db")  # set up first, so flushed after this ends
    yield
    from consent import ledger
    from consent.models import ActivityAnswer, ConsentEvent

    ledger.purge_rows(ConsentEvent.objects.all())
    ledger.purge_rows(ActivityAnswer.objects.all())


S3_BUCKET = "portaal-prive"
S3_URL_SECONDS = 45


@pytest.fixture
def s3_bucket(settings, tmp_path):
    """Private files in an S3 bucket of moto's in-process mock (real S3 leaves the process).

    Configured from the environment as a deployment would be (config/settings.py), with a
    URL lifetime other than the default, so a test sees the setting at work. Anything written
    to local disk by mistake would land in MEDIA_ROOT, a temporary folder here.
    """
    import boto3
    from moto import mock_aws

    from config.settings import private_storage_from_env

    settings.MEDIA_ROOT = tmp_path
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-1")
        client.create_bucket(
            Bucket=S3_BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "private": private_storage_from_env(
                {
                    "S3_BUCKET": S3_BUCKET,
                    "S3_REGION": "eu-west-1",
                    "S3_ACCESS_KEY_ID": "testing",
                    "S3_SECRET_ACCESS_KEY": "testing",
                    "S3_URL_SECONDS": str(S3_URL_SECONDS),
                }
            ),
        }
        yield client


@pytest.fixture
def task_worker(settings, monkeypatch):
    """Tasks queue in the database, as in production; calling this runs a real `db_worker`
    until nothing is ready.

    The worker closes connections it finds outside autocommit, as a request would. Inside a
    test's transaction that is the test's own, which PostgreSQL then refuses for the rest of
    the test, so only that is switched off; the worker's claiming and running stay real.
    """
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    return run
