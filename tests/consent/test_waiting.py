"""Consent's items of "Wacht op jou"."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from consent import ledger, waiting
from tests.factories import ActivityRequestFactory

pytestmark = pytest.mark.django_db


def titles(user):
    with translation.override("en"):
        return [item.title for item in waiting.items_for(user)]


def test_parent_sees_unanswered_purposes_per_child(pupil, mother, public_purpose, parent_app):
    ledger.record_choice(subject=pupil, purpose=parent_app, choice=True, by=mother)
    assert titles(mother) == [f"Choose consent for {pupil.first_name}: 1 purpose not answered yet"]


def test_parent_without_gezag_sees_nothing(pupil, public_purpose):
    from tests.factories import GuardianFactory

    parent = GuardianFactory(pupil=pupil, has_gezag=False).user
    assert titles(parent) == []


def test_parent_sees_open_activity_request(pupil, mother, school):
    ActivityRequestFactory(
        school=school, pupils=[pupil], deadline=timezone.localdate() + timedelta(days=5)
    )
    assert titles(mother) == [f"Answer for {pupil.first_name}: Avondvierdaagse"]


def test_director_sees_open_takedown_task(pupil, mother, director, public_purpose):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother)
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=False, by=mother)
    assert titles(director) == [
        f"Take down publications after a withdrawal: Website ({pupil.school.name})"
    ]


def test_outsider_sees_no_takedown_task(pupil, mother, outsider, public_purpose):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother)
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=False, by=mother)
    assert titles(outsider) == []


def test_staff_member_sees_own_unanswered_consent(colleague, staff_purpose):
    assert titles(colleague.user) == [
        "Choose your consent as a staff member: 1 purpose not answered yet"
    ]
