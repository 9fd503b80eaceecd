"""Parents and pupils reach their school's protocol (issue 11) and report form (issue 9)."""

import pytest
from django.urls import reverse

from tests.factories import GuardianFactory, PupilFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def test_a_parent_reaches_the_schools_protocol_from_the_menu_and_the_home_page(client, school):
    parent = GuardianFactory(pupil=PupilFactory(school=school), has_gezag=True).user
    client.force_login(parent)
    home = client.get(reverse("schools:home")).content.decode()
    url = reverse("protocols:public_school", args=[school.slug])
    assert home.count(f'href="{url}"') == 2  # the menu and the school on the home page


def menu_links(html: str) -> list[str]:
    menu = html.split('<ul class="navbar-nav me-auto">', 1)[1].split("</ul>", 1)[0]
    return [link.rsplit(">", 1)[-1] for link in menu.split("</a>")[:-1]]


def test_a_director_of_one_school_finds_my_school_in_the_menu(client, school, director):
    client.force_login(director)
    html = client.get(reverse("schools:home")).content.decode()
    assert "Mijn school" in menu_links(html)
    assert f'class="nav-link" href="{school.get_absolute_url()}">Mijn school<' in html


def test_a_board_of_many_schools_finds_my_schools_once_in_the_menu(client, school, board_member):
    SchoolFactory.create_batch(3, stichting=school.stichting)
    client.force_login(board_member)
    links = menu_links(client.get(reverse("schools:home")).content.decode())
    assert (links.count("Mijn scholen"), links.count("Mijn school")) == (1, 0)
