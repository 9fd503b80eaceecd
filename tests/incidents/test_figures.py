"""Figures without names, in a fixed number of queries, and the Inspectie export."""

import csv
import io
from datetime import date

import pytest

from incidents import figures, workflow
from incidents.models import Incident
from tests.factories import (
    CategoryFactory,
    IncidentFactory,
    InvolvementFactory,
    MeasureFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    PupilFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db


def _incidents(school, n, category):
    made = []
    for _ in range(n):
        incident = IncidentFactory(school=school, categories=[category])
        InvolvementFactory(incident=incident, role="suspect")
        MeasureFactory(incident=incident, kind="warning")
        made.append(incident)
    return made


def test_school_figures_count_per_category_platform_and_measure(school, categories):
    _incidents(school, 2, categories["kwetsen"])
    result = figures.for_school(school)
    assert (result.total, result.per_category, result.per_platform, result.per_measure) == (
        2,
        [("Kwetsen", 2)],
        [("WhatsApp", 2)],
        [("Waarschuwing", 2)],
    )


def test_school_figures_count_per_month(school, categories):
    IncidentFactory(school=school, occurred_at=_at(2026, 9, 3), categories=[categories["kwetsen"]])
    IncidentFactory(school=school, occurred_at=_at(2026, 9, 20), categories=[categories["kwetsen"]])
    IncidentFactory(school=school, occurred_at=_at(2026, 10, 2), categories=[categories["kwetsen"]])
    assert figures.for_school(school).per_month == [(date(2026, 9, 1), 2), (date(2026, 10, 1), 1)]


def test_school_figures_leave_out_cases_routed_to_the_board(school, categories):
    # A count of "seksueel grensoverschrijdend gedrag" would tell the school's staff that
    # a case about one of them exists (DOMAIN 31-33); the board counts it.
    _incidents(school, 1, categories["kwetsen"])
    IncidentFactory(school=school, to_board=True, categories=[categories["kwetsen"]])
    assert (figures.for_school(school).total, figures.for_board(school.stichting).total) == (1, 2)


def test_board_figures_count_every_school_of_the_stichting_and_no_other(school, categories):
    sister = SchoolFactory(stichting=school.stichting)
    _incidents(school, 1, categories["kwetsen"])
    _incidents(sister, 2, categories["kwetsen"])
    _incidents(SchoolFactory(), 4, CategoryFactory())
    assert figures.for_board(school.stichting).total == 3


@pytest.mark.parametrize("n", [1, 12])
def test_figures_run_a_fixed_number_of_queries(school, categories, n, django_assert_num_queries):
    _incidents(school, n, categories["kwetsen"])
    with django_assert_num_queries(3):
        found = figures.for_school(school)
    assert (found.total, sum(count for _month, count in found.per_month)) == (n, n)


def test_figures_without_incidents_are_empty_in_one_query(school, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = figures.for_school(school)
    assert (found.total, found.per_month, found.per_category, found.per_measure) == (0, [], [], [])


@pytest.mark.parametrize("n", [1, 12])
def test_inspectie_export_runs_a_fixed_number_of_queries(
    school, categories, n, django_assert_num_queries
):
    _incidents(school, n, categories["kwetsen"])
    with django_assert_num_queries(4):
        rows = figures.inspectie_rows(Incident.objects.filter(school=school))
    assert len(rows) == n + 1


def test_inspectie_export_holds_no_names_or_free_text(school, categories):
    pupil = PupilFactory(school=school, first_name="Jantje", last_name="Zonnebloem")
    incident = IncidentFactory(
        school=school, categories=[categories["kwetsen"]], description="Jantje werd gepest."
    )
    InvolvementFactory(incident=incident, pupil=pupil, role="victim")
    exported = figures.inspectie_csv(Incident.objects.filter(school=school))
    assert ("Jantje" in exported, "Zonnebloem" in exported, "gepest" in exported) == (
        False,
        False,
        False,
    )


def test_inspectie_export_counts_roles_without_names(school, categories):
    incident = IncidentFactory(school=school, categories=[categories["kwetsen"]])
    InvolvementFactory(incident=incident, role="victim")
    InvolvementFactory(incident=incident, role="suspect")
    InvolvementFactory(incident=incident, role="witness", kind="account", pupil=None)
    row = figures.inspectie_rows(Incident.objects.filter(pk=incident.pk))[1]
    header = figures.INSPECTIE_HEADER
    counted = {
        k: row[header.index(k)] for k in ("pupils_victim", "pupils_suspect", "others_involved")
    }
    assert counted == {"pupils_victim": "1", "pupils_suspect": "1", "others_involved": "1"}


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+31", "'+31"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Kwetsen", "Kwetsen"),
    ],
)
def test_inspectie_export_cells_cannot_start_a_formula(value, expected):
    assert figures.safe_cell(value) == expected


def test_inspectie_export_quotes_a_category_name_that_starts_a_formula(school):
    category = CategoryFactory(stichting=school.stichting, name="=cmd|' /C calc'!A0")
    IncidentFactory(school=school, categories=[category])
    rows = list(
        csv.reader(io.StringIO(figures.inspectie_csv(Incident.objects.all())), delimiter=";")
    )
    assert rows[1][figures.INSPECTIE_HEADER.index("categories")] == "'=cmd|' /C calc'!A0"


def test_figures_since_a_protocol_version_was_adopted(school, categories):
    version = ProtocolVersionFactory(
        protocol=ProtocolFactory(stichting=school.stichting),
        status="adopted",
    )
    version.effective_date = date(2026, 9, 1)
    version.save()
    IncidentFactory(school=school, occurred_at=_at(2026, 8, 20), categories=[categories["kwetsen"]])
    IncidentFactory(school=school, occurred_at=_at(2026, 9, 2), categories=[categories["kwetsen"]])
    IncidentFactory(school=SchoolFactory(), occurred_at=_at(2026, 9, 2))
    assert figures.since(version).total == 1


@pytest.mark.parametrize("covers", ["stichting", "some schools", "own school"])
def test_figures_since_count_the_schools_the_protocol_covers_and_no_other(
    school, categories, covers
):
    sister, elsewhere = SchoolFactory(stichting=school.stichting), SchoolFactory()
    protocol = ProtocolFactory(
        stichting=school.stichting, school=school if covers == "own school" else None
    )
    if covers == "some schools":
        protocol.applies_to.set([school])
    version = ProtocolVersionFactory(protocol=protocol, status="adopted")
    version.effective_date = date(2026, 9, 1)
    version.save()
    for where in (school, sister, elsewhere):
        IncidentFactory(
            school=where, occurred_at=_at(2026, 9, 2), categories=[categories["kwetsen"]]
        )
    found = figures.since(version)
    expected = 2 if covers == "stichting" else 1
    assert (found.total, found.per_category) == (expected, [("Kwetsen", expected)])


def test_figures_count_anonymised_incidents(school, categories, director):
    incident = IncidentFactory(school=school, categories=[categories["kwetsen"]])
    workflow.anonymise(incident)
    assert figures.for_school(school).per_category == [("Kwetsen", 1)]


def _at(year, month, day):
    from datetime import datetime

    from django.utils import timezone

    return timezone.make_aware(datetime(year, month, day, 12, 0))
