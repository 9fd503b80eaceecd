"""One's own consent: a pupil of 16+ and a staff member decide for themselves only."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from consent.models import Capacity, ConsentEvent
from tests.factories import GuardianFactory, PupilFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("consent:own_consent")


def sixteen_years_before(day):
    return day.replace(year=day.year - 16)


@pytest.fixture
def sixteen_today(school, group):
    """A pupil with an account who turns 16 today."""
    birth = sixteen_years_before(timezone.localdate())
    return PupilFactory(school=school, group=group, birth_date=birth, user=UserFactory())


def test_own_consent_pupil_decides_on_sixteenth_birthday(
    client, sixteen_today, public_purpose, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(sixteen_today.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {f"pupil-{sixteen_today.pk}-purpose_{public_purpose.pk}": "nee"})
    assert list(ConsentEvent.objects.values_list("pupil", "capacity", "choice")) == [
        (sixteen_today.pk, Capacity.PUPIL, False)
    ]
    assert [m.to for m in mailoutbox] == [[sixteen_today.user.email]]


def test_own_consent_pupil_under_sixteen_cannot_choose(client, school, public_purpose):
    child = PupilFactory(school=school, birth_date=date(2015, 1, 1), user=UserFactory())
    client.force_login(child.user)
    page = client.get(URL).content.decode()
    assert ('type="radio"' in page, "beslissen je ouders" in page) == (False, True)
    client.post(URL, {f"pupil-{child.pk}-purpose_{public_purpose.pk}": "ja"})
    assert ConsentEvent.objects.count() == 0


def test_own_consent_staff_member_sets_own_consent(
    client, colleague, staff_purpose, public_purpose
):
    client.force_login(colleague.user)
    page = client.get(URL).content.decode()
    # Staff are asked the staff purposes, not the pupils' ones.
    assert ("Smoelenboek" in page, "Website" in page) == (True, False)
    client.post(URL, {f"staff-{colleague.pk}-purpose_{staff_purpose.pk}": "ja"})
    assert list(ConsentEvent.objects.values_list("staff", "given_by", "capacity")) == [
        (colleague.pk, colleague.user.pk, Capacity.STAFF)
    ]


def test_own_consent_staff_member_sets_only_their_own(client, school, colleague, staff_purpose):
    other = StaffFactory(school=school)
    client.force_login(colleague.user)
    client.post(URL, {f"staff-{other.pk}-purpose_{staff_purpose.pk}": "ja"})
    assert ConsentEvent.objects.count() == 0


def test_own_consent_pupil_who_works_at_school_picks_a_side(
    client, sixteen_today, school, staff_purpose, public_purpose
):
    StaffFactory(user=sixteen_today.user, school=school, function="bijbaan")
    client.force_login(sixteen_today.user)
    both = client.get(URL).content.decode()
    staff_only = client.get(URL, {"as": "staff"}).content.decode()
    assert ("Smoelenboek" in both, "Website" in both) == (True, True)
    assert ("Smoelenboek" in staff_only, "Website" in staff_only) == (True, False)


@pytest.mark.parametrize("who", ["outsider", "director", "parent"])
def test_own_consent_is_404_for_outsider(client, pupil, who, request):
    if who == "parent":
        user = GuardianFactory(pupil=pupil).user
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {}).status_code == 404
