"""The cron command: `python manage.py run_daily_jobs`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from protocols import workflow
from protocols.models import ProcedureStep, StepKind
from schools.models import Council, Notice
from tests.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def step_due_in_three_days(school, director):
    """A version whose directors' step has its term ending in three days."""
    CouncilFactory(kind=Council.Kind.GMR, school=None, stichting=school.stichting)
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    SectionFactory(version=version)
    workflow.submit(version, by=director, change_summary="Nieuw.", legal_basis="consent")
    step = version.steps.get(kind=StepKind.ADVICE)
    ProcedureStep.objects.filter(pk=step.pk).update(due_on=timezone.localdate() + timedelta(days=3))
    return step


def run():
    out = StringIO()
    call_command("run_daily_jobs", stdout=out)
    return out.getvalue().strip()


def test_run_daily_jobs_twice_on_one_day_sends_nothing_twice(
    step_due_in_three_days, director, mailoutbox
):
    first = run()
    second = run()
    assert (first.splitlines()[0], second.splitlines()[0]) == (
        "protocols: 1 reminder(s) sent.",
        "protocols: 0 reminder(s) sent.",
    )
    assert (len(mailoutbox), Notice.objects.count()) == (1, 1)


def test_run_daily_jobs_mails_the_reminder_in_dutch(step_due_in_three_days, director, mailoutbox):
    run()
    version = step_due_in_three_days.version
    assert [m.to for m in mailoutbox] == [[director.email]]
    assert mailoutbox[0].subject.startswith("Termijn loopt af op ")
    assert mailoutbox[0].subject.endswith(f": Protocol sociale media versie {version.number}")
    assert "Leg de uitkomst vóór die datum vast in het portaal" in mailoutbox[0].body


def test_run_daily_jobs_reminds_a_council_of_its_term(school, director, mailoutbox):
    gmr = CouncilFactory(kind=Council.Kind.GMR, school=None, stichting=school.stichting)
    member = CouncilMemberFactory(council=gmr).user
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    SectionFactory(version=version)
    first = workflow.submit(version, by=director, change_summary="Nieuw.", legal_basis="consent")
    workflow.record_decision(
        first, by=director, decided_on=timezone.localdate(), outcome="positive"
    )
    version.steps.filter(kind=StepKind.CONSENT).update(due_on=timezone.localdate())
    run()
    assert [m.to for m in mailoutbox] == [[member.email]]
