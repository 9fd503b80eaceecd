"""Figures without names per school and for the board, and the export for the Inspectie."""

import pytest
from django.urls import reverse

from tests.incidents.views.conftest import nl

pytestmark = pytest.mark.django_db


def _school_url(school):
    return reverse("incidents:school_figures", args=[school.slug])


def _board_url(school):
    return reverse("incidents:board_figures", args=[school.stichting.slug])


def test_school_figures_count_per_category_without_names(client, director, report, pupil):
    report("kwetsen")
    report("kwetsen")
    report("stalken")
    client.force_login(director)
    response = client.get(_school_url(pupil.school), {"start": "2000-01-01"})
    content = response.content.decode()
    assert (
        response.context["numbers"].per_category,
        pupil.full_name in content,
        pupil.school.name in content,
    ) == ([("Kwetsen", 2), ("Stalken", 1)], False, True)


def test_school_figures_draw_accessible_charts(client, director, incident, school):
    client.force_login(director)
    content = client.get(_school_url(school), {"start": "2000-01-01"}).content.decode()
    assert ('role="img"' in content, "aria-label=" in content, "style=" in content) == (
        True,
        True,
        False,
    )


def test_school_figures_export_for_the_inspectie_has_no_names(
    client, director, incident, school, pupil
):
    client.force_login(director)
    response = client.get(_school_url(school), {"start": "2000-01-01", "download": "csv"})
    text = response.content.decode("utf-8")
    assert (
        text.startswith("\ufeffincident;brin;month"),
        response["Content-Type"],
        pupil.last_name in text,
        incident.description in text,
        len(text.strip().splitlines()),
    ) == (True, "text/csv; charset=utf-8", False, False, 2)


def test_school_figures_are_for_the_anti_bullying_coordinator_too(client, anti_bullying, school):
    client.force_login(anti_bullying)
    assert client.get(_school_url(school)).status_code == 200


def test_school_figures_is_404_for_outsider(client, outsider, school):
    client.force_login(outsider)
    assert client.get(_school_url(school)).status_code == 404


@pytest.mark.parametrize(
    "who", ["other_school_director", "uninvolved_teacher", "council_member", "parent", "teacher"]
)
def test_school_figures_is_404_for_the_other_outsiders(client, request, who, school):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_school_url(school)).status_code == 404


@pytest.mark.parametrize("n", [1, 15])
def test_school_figures_query_count_is_constant(
    client, director, report, school, n, django_assert_num_queries
):
    for _ in range(n):
        report("kwetsen")
    client.force_login(director)
    client.get(_school_url(school))
    with django_assert_num_queries(8):
        client.get(_school_url(school), {"start": "2000-01-01"})


def test_board_figures_count_the_schools_together(client, board_member, report, school):
    report("kwetsen")
    client.force_login(board_member)
    response = client.get(_board_url(school), {"start": "2000-01-01"})
    assert (
        response.context["numbers"].total,
        nl("Incident figures") in response.content.decode(),
    ) == (
        1,
        True,
    )


def test_board_figures_export_counts_every_school(client, board_member, report, school):
    report("kwetsen")
    report("stalken")
    client.force_login(board_member)
    response = client.get(_board_url(school), {"start": "2000-01-01", "download": "csv"})
    assert len(response.content.decode("utf-8").strip().splitlines()) == 3


def test_board_figures_is_404_for_outsider(client, outsider, school):
    client.force_login(outsider)
    assert client.get(_board_url(school)).status_code == 404


@pytest.mark.parametrize(
    "who", ["director", "anti_bullying", "uninvolved_teacher", "council_member", "parent"]
)
def test_board_figures_is_404_for_the_other_outsiders(client, request, who, school):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_board_url(school)).status_code == 404


@pytest.mark.parametrize("n", [1, 15])
def test_board_figures_query_count_is_constant(
    client, board_member, report, school, n, django_assert_num_queries
):
    for _ in range(n):
        report("kwetsen")
    client.force_login(board_member)
    client.get(_board_url(school))
    with django_assert_num_queries(10):
        client.get(_board_url(school), {"start": "2000-01-01"})


def test_figures_refuse_a_period_that_ends_before_it_starts(client, director, school):
    client.force_login(director)
    response = client.get(_school_url(school), {"start": "2026-03-01", "end": "2026-01-01"})
    assert nl("The end lies before the start.") in response.content.decode()
