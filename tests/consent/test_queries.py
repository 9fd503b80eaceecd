"""Derived state runs a fixed number of queries, whatever the number of pupils or events."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consent import ledger, waiting
from schools import access
from schools.models import Pupil
from tests.consent.conftest import TODAY
from tests.factories import ActivityRequestFactory, GuardianFactory, PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered_pupils(school, group, public_purpose, parent_app):
    def make(n):
        for pupil in PupilFactory.create_batch(n, school=school, group=group):
            for purpose in (public_purpose, parent_app):
                guardian = GuardianFactory(pupil=pupil).user
                ledger.record_choice(
                    subject=pupil, purpose=purpose, choice=True, by=guardian, today=TODAY
                )
                ledger.record_choice(
                    subject=pupil, purpose=purpose, choice=False, by=guardian, today=TODAY
                )

    return make


@pytest.mark.parametrize("n", [1, 12])
def test_coverage_query_count_is_constant(school, answered_pupils, n, django_assert_num_queries):
    answered_pupils(n)
    with django_assert_num_queries(4):
        ledger.coverage(school, TODAY)


@pytest.mark.parametrize("n", [1, 12])
def test_group_states_query_count_is_constant(
    group, public_purpose, parent_app, answered_pupils, n, django_assert_num_queries
):
    answered_pupils(n)
    with django_assert_num_queries(3):
        ledger.states_for_pupils(
            Pupil.objects.filter(group=group), [public_purpose, parent_app], TODAY
        )


@pytest.mark.parametrize("n", [1, 12])
def test_activity_answers_query_count_is_constant(
    school, group, answered_pupils, n, django_assert_num_queries
):
    answered_pupils(n)
    request = ActivityRequestFactory(school=school)
    request.groups.set([group])
    with django_assert_num_queries(2):
        ledger.activity_answers(request, TODAY)


@pytest.mark.parametrize("n", [1, 4])
def test_waiting_query_count_is_constant(
    school, group, public_purpose, n, django_assert_num_queries
):
    parent = GuardianFactory(pupil=PupilFactory(school=school, group=group)).user
    for _ in range(n - 1):
        GuardianFactory(user=parent, pupil=PupilFactory(school=school, group=group))
    request = ActivityRequestFactory(
        school=school, deadline=timezone.localdate() + timedelta(days=30)
    )
    request.groups.set([group])
    with access.request_scope():
        access.reach(parent)  # in a request, the menu has read it already
        with django_assert_num_queries(8):
            items = waiting.items_for(parent)
    assert len(items) == 2 * n
