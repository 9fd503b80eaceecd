"""The incident list, a pupil's timeline and the read log."""

import pytest
from django.urls import reverse

from incidents import workflow
from tests.incidents.views.conftest import OUTSIDERS, nl

pytestmark = pytest.mark.django_db


def test_incident_list_shows_the_directie_the_schools_incidents(client, director, incident):
    client.force_login(director)
    response = client.get(reverse("incidents:incident_list"))
    assert list(response.context["page"].object_list) == [incident]


def test_incident_list_filters_by_status(client, director, report, anti_bullying):
    handled = report("kwetsen")
    workflow.add_entry(handled, by=anti_bullying, text="Gesprek gevoerd.")
    new = report("stalken")
    client.force_login(director)
    response = client.get(reverse("incidents:incident_list"), {"status": "new"})
    assert list(response.context["page"].object_list) == [new]


def test_incident_list_shows_a_reporter_their_own_report_only(client, teacher, report, director):
    own = report("kwetsen")
    report("stalken", by=director)
    client.force_login(teacher)
    response = client.get(reverse("incidents:incident_list"))
    assert list(response.context["page"].object_list) == [own]


def test_incident_list_offers_to_report_at_the_users_school(client, teacher, school):
    client.force_login(teacher)
    content = client.get(reverse("incidents:incident_list")).content.decode()
    assert reverse("incidents:incident_report", args=[school.slug]) in content


@pytest.mark.parametrize("who", OUTSIDERS)
def test_incident_list_shows_outsiders_nothing(client, request, who, incident):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("incidents:incident_list"))
    assert list(response.context["page"].object_list) == []


def test_incident_list_is_404_for_outsider(client, outsider, school, incident):
    client.force_login(outsider)
    response = client.get(reverse("incidents:incident_list"), {"school": school.slug})
    assert response.status_code == 404


@pytest.mark.parametrize("n", [1, 12])
def test_incident_list_query_count_is_constant(
    client, director, report, n, django_assert_num_queries
):
    for _ in range(n):
        report("kwetsen")
    client.force_login(director)
    client.get(reverse("incidents:incident_list"))  # warm up the session
    # ... and the schools and stichtingen whose figures the user may read (two).
    with django_assert_num_queries(9):
        client.get(reverse("incidents:incident_list"))


# --- a pupil's timeline -----------------------------------------------------------------------


def test_pupil_incidents_lists_every_incident_with_the_pupils_role(
    client, director, report, pupil, other_pupil
):
    victim = report("kwetsen", involved=[{"role": "victim", "kind": "pupil", "pupil": pupil}])
    suspect = report(
        "stalken",
        involved=[
            {"role": "suspect", "kind": "pupil", "pupil": pupil},
            {"role": "victim", "kind": "pupil", "pupil": other_pupil},
        ],
    )
    client.force_login(director)
    response = client.get(reverse("incidents:pupil_incidents", args=[pupil.pk]))
    rows = {(i.incident_id, i.role) for i in response.context["timeline"]}
    assert rows == {(victim.pk, "victim"), (suspect.pk, "suspect")}


def test_pupil_incidents_shows_a_handler_only_what_is_routed_to_them(
    client, report, pupil, confidant, anti_bullying
):
    report("kwetsen", to_confidant=True)
    routed = report("stalken")
    client.force_login(anti_bullying)
    response = client.get(reverse("incidents:pupil_incidents", args=[pupil.pk]))
    assert [i.incident_id for i in response.context["timeline"]] == [routed.pk]


def test_pupil_incidents_is_404_for_outsider(client, outsider, incident, pupil):
    client.force_login(outsider)
    assert client.get(reverse("incidents:pupil_incidents", args=[pupil.pk])).status_code == 404


@pytest.mark.parametrize("who", OUTSIDERS)
def test_pupil_incidents_is_404_for_everyone_outside_the_case(
    client, request, who, incident, pupil
):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("incidents:pupil_incidents", args=[pupil.pk])).status_code == 404


@pytest.mark.parametrize("n", [1, 12])
def test_pupil_incidents_query_count_is_constant(
    client, director, report, pupil, n, django_assert_num_queries
):
    for _ in range(n):
        report("kwetsen")
    client.force_login(director)
    url = reverse("incidents:pupil_incidents", args=[pupil.pk])
    client.get(url)
    with django_assert_num_queries(9):
        client.get(url)


# --- the read log -----------------------------------------------------------------------------


def test_incident_read_log_shows_the_directie_who_opened_the_incident(
    client, director, anti_bullying, incident
):
    client.force_login(anti_bullying)
    client.get(incident.get_absolute_url())
    client.force_login(director)
    response = client.get(reverse("incidents:incident_read_log", args=[incident.pk]))
    assert [read.user for read in response.context["page"].object_list] == [anti_bullying]


def test_incident_read_log_is_not_for_the_anti_bullying_coordinator(
    client, anti_bullying, incident
):
    client.force_login(anti_bullying)
    assert client.get(reverse("incidents:incident_read_log", args=[incident.pk])).status_code == 404


def test_incident_read_log_is_404_for_outsider(client, outsider, incident):
    client.force_login(outsider)
    assert client.get(reverse("incidents:incident_read_log", args=[incident.pk])).status_code == 404


@pytest.mark.parametrize("who", OUTSIDERS)
def test_incident_read_log_is_404_for_the_other_outsiders(client, request, who, incident):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("incidents:incident_read_log", args=[incident.pk])).status_code == 404


def test_incident_detail_logs_the_read(client, anti_bullying, incident):
    client.force_login(anti_bullying)
    client.get(incident.get_absolute_url())
    assert list(incident.reads.values_list("user", flat=True)) == [anti_bullying.pk]


def test_nav_shows_incidents_to_staff(client, teacher):
    client.force_login(teacher)
    content = client.get(reverse("schools:home")).content.decode()
    assert reverse("incidents:incident_list") in content and nl("Incidents") in content


def test_incident_list_links_the_figures_a_user_may_read(client, board_member, director, school):
    client.force_login(board_member)
    board_page = client.get(reverse("incidents:incident_list")).content.decode()
    client.force_login(director)
    director_page = client.get(reverse("incidents:incident_list")).content.decode()
    board_url = reverse("incidents:board_figures", args=[school.stichting.slug])
    school_url = reverse("incidents:school_figures", args=[school.slug])
    assert (board_url in board_page, board_url in director_page, school_url in director_page) == (
        True,
        False,
        True,
    )
