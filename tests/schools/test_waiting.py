""" "Wacht op jou" gathers every app's items through one list of providers (schools/waiting.py)."""

from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse

from schools.waiting import Item, Urgency, items_for

pytestmark = pytest.mark.django_db

PROVIDERS = [
    "tests.schools.test_waiting.first_app",
    "tests.schools.test_waiting.second_app",
]


def first_app(user):
    return [
        Item("Undated", "/a/"),
        Item("Due later", "/b/", due=date(2027, 3, 1)),
    ]


def second_app(user):
    return [
        Item("Due first", "/c/", due=date(2027, 1, 1)),
        Item("Due later, urgent", "/d/", due=date(2027, 3, 1), urgency=Urgency.HIGH),
    ]


@override_settings(PORTAL_WAITING_PROVIDERS=PROVIDERS)
def test_items_of_every_provider_are_sorted_by_due_date_urgent_first_undated_last(director):
    assert [item.title for item in items_for(director)] == [
        "Due first",
        "Due later, urgent",
        "Due later",
        "Undated",
    ]


@override_settings(PORTAL_WAITING_PROVIDERS=[*PROVIDERS[:1]])
def test_a_provider_added_for_a_new_app_shows_its_items_on_the_home_page(client, director):
    client.force_login(director)
    before = client.get(reverse("schools:home")).content.decode()
    with override_settings(PORTAL_WAITING_PROVIDERS=PROVIDERS):
        after = client.get(reverse("schools:home")).content.decode()
    assert ('href="/c/"' in before, 'href="/c/"' in after) == (False, True)
    assert ("Due first" in after, "01-01-2027" in after) == (True, True)


def test_a_visitor_has_nothing_waiting(client):
    from django.contrib.auth.models import AnonymousUser

    assert items_for(AnonymousUser()) == []
