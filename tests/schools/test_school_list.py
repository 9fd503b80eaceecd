"""A board of many schools: the home page shows a few, the school list all, a page at a time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def board_of(school, schools: int):
    for number in range(school.stichting.schools.count() + 1, schools + 1):
        SchoolFactory(stichting=school.stichting, name=f"School {number:03}", city="Zwolle")
    return sorted(school.stichting.schools.values_list("name", flat=True))


def test_the_home_page_shows_eight_schools_and_leads_to_the_rest(client, school, board_member):
    names = board_of(school, 12)
    client.force_login(board_member)
    response = client.get(reverse("schools:home"))
    html = response.content.decode()
    assert [s.name for s, _roles in response.context["schools"]] == names[:8]
    assert names[8] not in html
    link = f'href="{reverse("schools:school_list")}">en nog 4 scholen: alle scholen en zoeken'
    assert link in html


def test_the_school_list_shows_them_all_and_finds_by_place(client, school, board_member):
    names = board_of(school, 30)
    client.force_login(board_member)
    path = reverse("schools:school_list")
    first, second = client.get(path), client.get(path + "?page=2")
    shown = [[s.name for s, _roles in r.context["page"].object_list] for r in (first, second)]
    found = client.get(path + "?q=Zwolle+01")
    assert shown == [names[:25], names[25:]]
    assert "Je hoort bij 30 scholen." in first.content.decode()
    assert [s.name for s, _roles in found.context["page"].object_list] == [
        f"School {n:03}" for n in range(10, 20)
    ]
    # 29 schools in Zwolle: two pages, and the next page keeps the search.
    assert 'href="?q=Zwolle&amp;page=2"' in client.get(path + "?q=Zwolle").content.decode()


def test_the_school_list_shows_an_outsider_none_of_ours(client, school, outsider):
    client.force_login(outsider)
    response = client.get(reverse("schools:school_list"))
    assert response.status_code == 200
    assert school not in [s for s, _roles in response.context["page"].object_list]
    assert school.name not in response.content.decode()


@pytest.mark.parametrize("name", ["schools:home", "schools:school_list"])
def test_home_and_school_list_cost_the_same_for_3_and_40_schools(
    client, school, board_member, name
):
    client.force_login(board_member)
    counts = []
    for schools in (3, 40):
        board_of(school, schools)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse(name))
        counts.append(len(queries))
    assert counts[0] == counts[1]
