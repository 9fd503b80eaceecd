"""Parents and pupils find the report form from the menu, not only staff."""

import pytest
from django.urls import reverse

from tests.factories import GuardianFactory, PupilFactory

pytestmark = pytest.mark.django_db


def test_a_parent_reaches_the_report_form_of_the_childs_school_from_the_menu(client, school):
    parent = GuardianFactory(pupil=PupilFactory(school=school), has_gezag=True).user
    client.force_login(parent)
    url = reverse("incidents:incident_report", args=[school.slug])
    home = client.get(reverse("schools:home")).content.decode()
    assert (f'href="{url}"' in home, "Incident melden" in home) == (True, True)
    assert client.get(url).status_code == 200
