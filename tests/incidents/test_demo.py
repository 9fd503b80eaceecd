"""`load_demo` gives each demo school incidents at every stage, through the workflow, once."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from incidents.models import Incident
from schools.models import Membership, Role, School, User

pytestmark = pytest.mark.django_db

Status = Incident.Status


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """What the first `load_demo` printed; loaded once per class and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo")
class TestIncidentsDemo:
    def test_load_demo_reports_the_incidents_it_added(self, demo):
        added = int(re.search(r"(\d+) incidents", demo).group(1))
        assert added == Incident.objects.count() > 0

    def test_every_demo_school_has_an_incident_at_each_stage(self):
        stages = {
            school.slug: set(school.incidents.values_list("status", flat=True))
            for school in School.objects.all()
        }
        assert {slug: statuses == set(Status.values) for slug, statuses in stages.items()} == {
            slug: True for slug in stages
        }

    def test_each_stichting_has_a_case_routed_to_the_board(self):
        per_stichting = (
            Incident.objects.filter(to_board=True)
            .values("school__stichting")
            .annotate(n=Count("pk"))
        )
        assert {row["n"] for row in per_stichting} == {1}
        assert len(per_stichting) == 5

    def test_the_board_case_is_routed_to_the_board_only(self):
        case = Incident.objects.filter(to_board=True, school__stichting__slug="klasse").get()
        assert list(case.routed_to.values_list("email", flat=True)) == ["bestuurder@klasse.demo"]

    def test_klasse_has_a_confidential_counsellor(self):
        user = User.objects.get(email="vertrouwenspersoon@klasse.demo")
        assert list(Membership.objects.filter(user=user).values_list("role", "school")) == [
            (Role.CONFIDANT, None)
        ]

    def test_loading_the_demo_again_adds_no_incidents(self):
        out = StringIO()
        before = Incident.objects.count()
        call_command("load_demo", stdout=out)
        assert (Incident.objects.count(), "0 incidents" in out.getvalue()) == (before, True)
