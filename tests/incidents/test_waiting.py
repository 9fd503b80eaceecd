"""Incidents in "Wacht op jou": routed cases, open tasks and phones to return."""

from datetime import date

import pytest

from incidents import waiting, workflow
from schools import access
from schools.waiting import Urgency
from tests.factories import GuardianFactory, PupilFactory

pytestmark = pytest.mark.django_db


def test_new_incident_waits_for_those_it_is_routed_to(incident, anti_bullying, school):
    items = waiting.items_for(anti_bullying)
    assert [item.title for item in items] == [f"Nieuwe melding {incident.pk} op {school.name}"]


def test_incident_does_not_wait_for_the_reporter(incident, teacher):
    assert waiting.items_for(teacher) == []


def test_closed_incident_no_longer_waits(incident, director, anti_bullying):
    workflow.set_duty(
        incident, by=director, duty="parents_informed", state="not_applicable", reason="Geen."
    )
    workflow.close(incident, by=director)
    assert waiting.items_for(anti_bullying) == []


def test_open_task_and_phone_wait_for_the_handler(incident, anti_bullying, pupil):
    workflow.add_entry(incident, by=anti_bullying, text="Gesprek gevoerd.")
    workflow.add_task(
        incident,
        by=anti_bullying,
        title="Ouders bellen",
        owner=anti_bullying,
        due_on=date(2026, 1, 5),
    )
    workflow.add_measure(
        incident, by=anti_bullying, kind="phone", pupil=pupil, starts_on=date(2026, 1, 6)
    )
    items = waiting.items_for(anti_bullying)
    assert [(item.title, item.due, item.urgency) for item in items] == [
        (f"Behandel incident {incident.pk} op {incident.school.name}", None, Urgency.NORMAL),
        (f"Ouders bellen (incident {incident.pk})", date(2026, 1, 5), Urgency.HIGH),
        (f"Geef de telefoon uit incident {incident.pk} terug", date(2026, 1, 6), Urgency.HIGH),
    ]


@pytest.mark.parametrize("n", [1, 5])
def test_items_run_a_fixed_number_of_queries(report, anti_bullying, n, django_assert_num_queries):
    for _ in range(n):
        workflow.add_task(report("kwetsen"), by=anti_bullying, title="Bellen", owner=anti_bullying)
    with access.request_scope():
        access.reach(anti_bullying)  # in a request, the menu has read it already
        with django_assert_num_queries(3):
            waiting.items_for(anti_bullying)


def test_who_works_at_no_school_has_nothing_waiting_without_a_query(
    school, django_assert_num_queries
):
    parent = GuardianFactory(pupil=PupilFactory(school=school)).user
    with access.request_scope():
        access.reach(parent)
        with django_assert_num_queries(0):
            assert waiting.items_for(parent) == []
