"""Parents and pupils reach their school's protocol (issue 11) and report form (issue 9)."""

import pytest
from django.urls import reverse

from tests.factories import GuardianFactory, PupilFactory

pytestmark = pytest.mark.django_db


def test_a_parent_reaches_the_schools_protocol_from_the_menu_and_the_home_page(client, school):
    parent = GuardianFactory(pupil=PupilFactory(school=school), has_gezag=True).user
    client.force_login(parent)
    home = client.get(reverse("schools:home")).content.decode()
    url = reverse("protocols:public_school", args=[school.slug])
    assert home.count(f'href="{url}"') == 2  # the menu and the school on the home page
