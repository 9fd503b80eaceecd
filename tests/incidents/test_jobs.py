"""The daily job: retention with legal hold, phones not returned, task reminders."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from incidents import jobs, workflow
from incidents.models import (
    Attachment,
    DeletionLog,
    Entry,
    Incident,
    Involvement,
    RetentionPolicy,
)
from tests.factories import IncidentFactory, InvolvementFactory, MeasureFactory, PupilFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


def _closed(school, closed_on: date, **kwargs) -> Incident:
    incident = IncidentFactory(school=school, status=Incident.Status.CLOSED, **kwargs)
    incident.closed_at = timezone.make_aware(datetime.combine(closed_on, datetime.min.time()))
    incident.save()
    return incident


def test_retention_anonymises_a_case_closed_two_years_ago(school, categories):
    pupil = PupilFactory(school=school, first_name="Jantje")
    incident = _closed(school, date(2024, 12, 1), categories=[categories["kwetsen"]])
    InvolvementFactory(incident=incident, pupil=pupil)
    Entry.objects.create(incident=incident, text="Gesprek met Jantje.", at=timezone.now())
    jobs.daily(TODAY)
    incident.refresh_from_db()
    involvement = Involvement.objects.get(incident=incident)
    assert (
        incident.anonymised_at is not None,
        incident.description,
        incident.reported_by,
        involvement.pupil,
        involvement.role,
        incident.entries.count(),
        list(incident.categories.values_list("code", flat=True)),
    ) == (True, "", None, None, "victim", 0, ["kwetsen"])


def test_retention_keeps_a_case_closed_less_than_two_years_ago(school):
    incident = _closed(school, date(2024, 12, 2))
    jobs.daily(TODAY)
    incident.refresh_from_db()
    assert (incident.anonymised_at, incident.description != "") == (None, True)


def test_retention_never_touches_an_open_case(school):
    incident = IncidentFactory(school=school, created_at=timezone.now() - timedelta(days=3000))
    jobs.daily(TODAY)
    incident.refresh_from_db()
    assert incident.anonymised_at is None


def test_retention_respects_a_legal_hold(school, director):
    incident = _closed(school, date(2020, 1, 1))
    workflow.set_legal_hold(incident, by=director, hold=True, reason="Rechtszaak loopt.")
    jobs.daily(TODAY)
    incident.refresh_from_db()
    assert (incident.anonymised_at, Incident.objects.filter(pk=incident.pk).exists()) == (
        None,
        True,
    )


def test_retention_deletes_a_case_after_five_years(school):
    incident = _closed(school, date(2021, 12, 1))
    jobs.daily(TODAY)
    assert Incident.objects.filter(pk=incident.pk).exists() is False


def test_retention_follows_the_stichtings_own_policy(school):
    RetentionPolicy.objects.create(
        stichting=school.stichting, anonymise_after_months=6, delete_after_months=12
    )
    incident = _closed(school, date(2026, 6, 1))
    jobs.daily(TODAY)
    incident.refresh_from_db()
    assert incident.anonymised_at is not None


def test_retention_removes_attachment_files(school, media_root):
    incident = _closed(school, date(2024, 1, 1))
    attachment = Attachment(
        incident=incident, original_name="a.txt", content_type="text/plain", size=5
    )
    attachment.file.save("a.txt", ContentFile(b"hallo"), save=True)
    path = media_root / "private" / attachment.file.name
    jobs.daily(TODAY)
    assert (path.exists(), Attachment.objects.count()) == (False, 0)


def test_retention_logs_counts_and_rule_without_names(school):
    _closed(school, date(2024, 1, 1), description="Jantje werd gepest.")
    _closed(school, date(2021, 1, 1))
    jobs.daily(TODAY)
    logged = sorted(DeletionLog.objects.values_list("action", "count", "rule"))
    assert logged == [
        ("anonymised", 1, "RetentionPolicy: anonymised 24 months after closing"),
        ("deleted", 1, "RetentionPolicy: deleted 60 months after closing"),
    ]


def test_daily_job_twice_on_one_day_does_nothing_twice(school):
    _closed(school, date(2024, 1, 1))
    first = jobs.daily(TODAY)
    second = jobs.daily(TODAY)
    assert (first, second, DeletionLog.objects.count()) == (
        "1 incident(s) anonymised, 0 deleted; 0 phone(s) not returned; 0 task reminder(s) sent.",
        "0 incident(s) anonymised, 0 deleted; 0 phone(s) not returned; 0 task reminder(s) sent.",
        1,
    )


def test_phone_not_returned_by_the_end_of_the_day_is_flagged_once(incident, anti_bullying):
    MeasureFactory(
        incident=incident, kind="phone", starts_on=date(2026, 11, 30), ends_on=date(2026, 11, 30)
    )
    jobs.daily(TODAY)
    jobs.daily(TODAY)
    assert [m.to for m in mail.outbox if "Phone" in m.subject or "Telefoon" in m.subject] == [
        [u.email] for u in incident.routed_to.order_by("pk")
    ]


def test_phone_returned_is_not_flagged(incident):
    MeasureFactory(
        incident=incident,
        kind="phone",
        starts_on=date(2026, 11, 30),
        ends_on=date(2026, 11, 30),
        returned_at=timezone.now(),
    )
    assert "0 phone(s) not returned" in jobs.daily(TODAY)


def test_task_due_is_reminded_once(incident, director, anti_bullying):
    workflow.add_task(
        incident, by=director, title="Ouders bellen", owner=anti_bullying, due_on=TODAY
    )
    mail.outbox.clear()
    jobs.daily(TODAY)
    jobs.daily(TODAY)
    assert [m.to for m in mail.outbox] == [[anti_bullying.email]]
