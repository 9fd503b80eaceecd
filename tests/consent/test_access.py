"""Consent records are fetched through `for_user`: outsiders see nothing."""

import pytest

from consent import ledger
from consent.models import ActivityRequest, ConsentEvent, Purpose, TakedownTask
from tests.consent.conftest import TODAY
from tests.factories import ActivityRequestFactory, GuardianFactory, PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def withdrawal(pupil, mother, public_purpose):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY)
    return ledger.record_choice(
        subject=pupil, purpose=public_purpose, choice=False, by=mother, today=TODAY
    )


def test_events_for_user_parent_director_and_outsider(withdrawal, mother, director, outsider):
    assert (
        ConsentEvent.objects.for_user(mother).count(),
        ConsentEvent.objects.for_user(director).count(),
        ConsentEvent.objects.for_user(outsider).count(),
    ) == (2, 2, 0)


def test_events_for_user_parent_of_another_child_sees_nothing(withdrawal, school):
    other = GuardianFactory(pupil=PupilFactory(school=school)).user
    assert list(ConsentEvent.objects.for_user(other)) == []


def test_takedown_tasks_for_director_not_teacher_or_outsider(
    withdrawal, director, teacher, outsider
):
    assert (
        TakedownTask.objects.for_user(director).count(),
        TakedownTask.objects.for_user(teacher).count(),
        TakedownTask.objects.for_user(outsider).count(),
    ) == (1, 0, 0)


def test_purposes_for_user_outsider_sees_none(public_purpose, mother, outsider):
    assert (list(Purpose.objects.for_user(mother)), list(Purpose.objects.for_user(outsider))) == (
        [public_purpose],
        [],
    )


def test_purposes_managed_by_director_only_their_schools_own(public_purpose, director, school):
    own = ledger.create_purpose(
        stichting=school.stichting,
        school=school,
        name="Schoolkrant",
        slug="krant",
        text="Foto's in de schoolkrant.",
        by=director,
    )
    assert list(Purpose.objects.for_user(director, manage=True)) == [own]


def test_activity_requests_for_user(pupil, mother, school, outsider):
    request = ActivityRequestFactory(school=school, pupils=[pupil])
    assert (
        list(ActivityRequest.objects.for_user(mother)),
        list(ActivityRequest.objects.for_user(outsider)),
    ) == ([request], [])
