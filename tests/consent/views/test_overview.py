"""The consent overview: everyone this user decides for, unanswered first, open requests."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consent import ledger
from tests.factories import (
    ActivityRequestFactory,
    GuardianFactory,
    PupilFactory,
    PurposeFactory,
    PurposeVersionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("consent:overview")


def test_overview_shows_unanswered_purposes_first(
    client, mother, pupil, public_purpose, parent_app
):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother)
    client.force_login(mother)
    page = client.get(URL).content.decode()
    card = page[page.index(f'id="card-pupil-{pupil.pk}"') :]
    assert card.index("Ouderapp") < card.index("Website")
    assert "1 doel nog niet beantwoord" in page
    assert reverse("consent:child_consent", args=[pupil.pk]) in page


def test_overview_parent_without_gezag_sees_why(client, pupil, public_purpose):
    parent = GuardianFactory(pupil=pupil, has_gezag=False).user
    client.force_login(parent)
    page = client.get(URL).content.decode()
    assert (pupil.full_name in page, "gezag" in page, "Nog te beantwoorden" in page) == (
        True,
        True,
        False,
    )


def test_overview_child_of_sixteen_decides_personally(client, school, public_purpose):
    today = timezone.localdate()
    child = PupilFactory(school=school, birth_date=today.replace(year=today.year - 17))
    parent = GuardianFactory(pupil=child).user
    client.force_login(parent)
    assert "beslist zelf" in client.get(URL).content.decode()


def test_overview_pupil_of_sixteen_sees_themselves(client, school, public_purpose):
    own = PupilFactory(school=school, birth_date=date(2008, 1, 1), user=UserFactory())
    client.force_login(own.user)
    page = client.get(URL).content.decode()
    assert ("Website" in page, reverse("consent:own_consent") in page) == (True, True)


def test_overview_staff_member_sees_own_consent(client, colleague, staff_purpose):
    client.force_login(colleague.user)
    page = client.get(URL).content.decode()
    assert ("Smoelenboek" in page, 'data-state="unanswered"' in page) == (True, True)


def test_overview_lists_open_activity_request(client, mother, pupil, school):
    ActivityRequestFactory(
        school=school, pupils=[pupil], deadline=timezone.localdate() + timedelta(days=7)
    )
    client.force_login(mother)
    page = client.get(URL).content.decode()
    assert "Avondvierdaagse" in page


def test_overview_shows_nothing_of_another_school(client, outsider, pupil, mother):
    client.force_login(outsider)
    page = client.get(URL).content.decode()
    assert pupil.first_name not in page


def test_overview_is_404_for_outsider(client, pupil):
    # Nobody to decide for and no school: there is no overview to show.
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("n", [1, 4])
def test_overview_query_count_is_constant(client, school, n, django_assert_num_queries):
    parent = UserFactory()
    purposes = PurposeFactory.create_batch(n, stichting=school.stichting)
    for purpose in purposes:
        PurposeVersionFactory(purpose=purpose)
    for child in PupilFactory.create_batch(n, school=school):
        GuardianFactory(user=parent, pupil=child)
        ActivityRequestFactory(
            school=school, pupils=[child], deadline=timezone.localdate() + timedelta(days=3)
        )
        for purpose in purposes:
            ledger.record_choice(subject=child, purpose=purpose, choice=True, by=parent)
    client.force_login(parent)
    with django_assert_num_queries(13):
        client.get(URL)
