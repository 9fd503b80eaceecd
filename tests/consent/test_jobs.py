"""The consent part of the daily job: birthdays, reminders, retention."""

from datetime import date

import pytest

from consent import jobs, ledger
from consent.models import ActivityAnswer, ConsentEvent, ConsentPolicy, DeletionLog
from tests.consent.conftest import BIRTHDAY_16, TODAY
from tests.factories import ActivityRequestFactory, PupilFactory

pytestmark = pytest.mark.django_db


def test_sixteenth_birthday_tells_pupil_and_guardians_on_the_day(teen, teen_parent, mailoutbox):
    report = jobs.daily(BIRTHDAY_16)
    assert (report, sorted(m.to[0] for m in mailoutbox)) == (
        "1 pupil(s) turned 16, 0 reminder(s), 0 event(s) deleted",
        sorted([teen.user.email, teen_parent.email]),
    )


def test_sixteenth_birthday_nobody_told_the_day_before(teen, teen_parent, mailoutbox):
    jobs.daily(date(2026, 3, 13))
    assert mailoutbox == []


def test_daily_job_twice_a_day_sends_nothing_twice(teen, teen_parent, mailoutbox):
    jobs.daily(BIRTHDAY_16)
    jobs.daily(BIRTHDAY_16)
    assert len(mailoutbox) == 2


def test_review_reminder_on_the_stichtings_day(school, pupil, mother, father, mailoutbox):
    ConsentPolicy.objects.create(stichting=school.stichting, review_month=10, review_day=1)
    assert (
        jobs.send_review_reminders(date(2026, 9, 30)),
        jobs.send_review_reminders(date(2026, 10, 1)),
    ) == (0, 2)


def test_activity_reminder_to_guardians_who_have_not_answered(
    school, pupil, mother, father, mailoutbox
):
    request = ActivityRequestFactory(school=school, pupils=[pupil], deadline=date(2026, 5, 1))
    assert jobs.send_activity_reminders(date(2026, 4, 28)) == 2
    assert mailoutbox[0].subject == f"Je antwoord is nodig: {request.title}"


def test_activity_reminder_not_when_answered(school, pupil, mother, father, mailoutbox):
    request = ActivityRequestFactory(school=school, pupils=[pupil], deadline=date(2026, 5, 1))
    ledger.record_activity_answer(request=request, pupil=pupil, choice=True, by=mother, today=TODAY)
    assert jobs.send_activity_reminders(date(2026, 4, 28)) == 0


def test_retention_deletes_events_of_pupils_who_left_and_logs(
    school, pupil, mother, public_purpose
):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY)
    request = ActivityRequestFactory(school=school, pupils=[pupil])
    ledger.record_activity_answer(request=request, pupil=pupil, choice=True, by=mother, today=TODAY)
    pupil.leave_date = date(2024, 7, 15)
    pupil.save()
    stays = PupilFactory(school=school, leave_date=date(2024, 7, 17))
    ledger.record_choice(
        subject=stays,
        purpose=public_purpose,
        choice=True,
        by=stays.guardians.create(user=mother, has_gezag=True).user,
        today=TODAY,
    )
    deleted = ledger.apply_retention(date(2026, 7, 16))
    assert (
        deleted,
        list(ConsentEvent.objects.values_list("pupil", flat=True)),
        ActivityAnswer.objects.count(),
        sorted(DeletionLog.objects.values_list("rule", "record", "count")),
    ) == (
        2,
        [stays.pk],
        0,
        [("pupil_left", "activity answers", 1), ("pupil_left", "consent events", 1)],
    )


def test_retention_twice_deletes_nothing_more(pupil, mother, public_purpose):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY)
    pupil.leave_date = date(2020, 7, 15)
    pupil.save()
    assert (ledger.apply_retention(TODAY), ledger.apply_retention(TODAY)) == (1, 0)


def test_retention_follows_the_stichtings_period(school, pupil, mother, public_purpose):
    ConsentPolicy.objects.create(stichting=school.stichting, retention_years=5)
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY)
    pupil.leave_date = date(2023, 7, 15)
    pupil.save()
    assert ledger.apply_retention(TODAY) == 0


def test_retention_removes_the_takedown_task_with_the_withdrawal(pupil, mother, public_purpose):
    from consent.models import TakedownTask

    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY)
    ledger.record_choice(
        subject=pupil, purpose=public_purpose, choice=False, by=mother, today=TODAY
    )
    pupil.leave_date = date(2020, 7, 15)
    pupil.save()
    ledger.apply_retention(TODAY)
    assert (ConsentEvent.objects.count(), TakedownTask.objects.count()) == (0, 0)
