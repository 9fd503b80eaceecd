"""The daily job runs every app's daily function from one list (schools/jobs.py)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from schools.jobs import run_daily_jobs

pytestmark = pytest.mark.django_db

RAN = []


def good_job(today):
    RAN.append(("good", today))
    return "3 thing(s) done."


def failing_job(today):
    raise RuntimeError("the disk is full")


def later_job(today):
    RAN.append(("later", today))
    return "1 thing(s) done."


JOBS = [
    "tests.schools.test_daily_jobs.good_job",
    "tests.schools.test_daily_jobs.failing_job",
    "tests.schools.test_daily_jobs.later_job",
]


@pytest.fixture(autouse=True)
def clear_ran():
    RAN.clear()


@override_settings(PORTAL_DAILY_JOBS=JOBS)
def test_a_failing_daily_function_does_not_stop_the_others():
    outcomes = run_daily_jobs(date(2027, 1, 4))
    assert [(o.ok, o.report) for o in outcomes] == [
        (True, "3 thing(s) done."),
        (False, "RuntimeError: the disk is full"),
        (True, "1 thing(s) done."),
    ]
    assert RAN == [("good", date(2027, 1, 4)), ("later", date(2027, 1, 4))]


@override_settings(PORTAL_DAILY_JOBS=JOBS)
def test_the_command_reports_per_app_and_exits_non_zero_when_one_failed():
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="failing_job"):
        call_command("run_daily_jobs", stdout=out, stderr=err)
    assert out.getvalue().splitlines() == ["tests: 3 thing(s) done.", "tests: 1 thing(s) done."]
    assert err.getvalue().strip() == "tests: FAILED: RuntimeError: the disk is full"


@override_settings(PORTAL_DAILY_JOBS=JOBS[:1])
def test_the_command_says_how_many_jobs_ran():
    out = StringIO()
    call_command("run_daily_jobs", stdout=out)
    assert out.getvalue().splitlines() == [
        "tests: 3 thing(s) done.",
        "Daily jobs done: 1 job(s) ran.",
    ]
