"""load_demo imports the five source protocols through the import a director uses."""

import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from protocols.models import ProtocolVersion
from schools.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def test_every_organisation_has_one_adopted_protocol(demo):
    adopted = ProtocolVersion.objects.filter(status=ProtocolVersion.Status.ADOPTED)
    assert sorted(adopted.values_list("protocol__stichting__slug", flat=True)) == [
        "amstelveen",
        "klasse",
        "kopwerk",
        "lankforst",
        "meilan",
    ]


def test_klasse_protocol_carries_its_recorded_dates_and_trail(demo):
    version = ProtocolVersion.objects.get(protocol__stichting__slug="klasse", number=1)
    trail = [(r.step, r.date) for r in version.procedure_records.all()]
    assert (version.adopted_on, version.evaluation_date) == (date(2026, 2, 23), date(2028, 2, 23))
    assert trail == [
        ("Directeuren", date(2026, 1, 23)),
        ("GMR", date(2026, 2, 11)),
        ("RvT", None),
        ("Vaststelling CvB", date(2026, 2, 23)),
        ("Evaluatie", date(2028, 2, 23)),
    ]


def test_every_demo_school_shows_its_protocol_publicly(client, demo):
    for school in School.objects.all():
        html = client.get(reverse("protocols:public_school", args=[school.slug])).content.decode()
        assert "Downloaden als pdf" in html, school.slug


def test_kopwerk_school_reads_its_own_name_in_the_model_protocol(client, demo):
    school = School.objects.filter(stichting__slug="kopwerk").first()
    html = client.get(reverse("protocols:public_school", args=[school.slug])).content.decode()
    assert f"Protocol Sociale Media {school.name}" in html
    assert "[naam school]" not in html


def test_loading_twice_imports_nothing_new(demo):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert (
        ProtocolVersion.objects.count(),
        bool(re.search(r"0 protocols imported(, [^.]*)?\.\n$", out.getvalue())),
    ) == (
        6,  # the five sources and Klasse's version 2 before the GMR
        True,
    )


def test_demo_puts_a_second_klasse_version_before_the_gmr(demo):
    from protocols.models import ProcedureStep, StepKind

    version = ProtocolVersion.objects.get(protocol__stichting__slug="klasse", number=2)
    steps = {s.kind: s.status for s in version.steps.all()}
    assert (version.status, steps[StepKind.ADVICE], steps[StepKind.CONSENT]) == (
        ProtocolVersion.Status.IN_PROCEDURE,
        ProcedureStep.Status.DECIDED,
        ProcedureStep.Status.OPEN,
    )
