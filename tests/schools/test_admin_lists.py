"""The admin's pupil and user lists cost the same at 1 and at many rows, and count nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PupilFactory, UserFactory

pytestmark = pytest.mark.django_db


def queries_for(client, path) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize(
    ("changelist", "factory"),
    [
        ("admin:schools_pupil_changelist", PupilFactory),
        ("admin:schools_user_changelist", UserFactory),
    ],
)
def test_admin_list_runs_the_same_queries_for_one_row_and_many(admin_client, changelist, factory):
    # A search: with show_full_result_count on, Django would count the whole table as well.
    path = reverse(changelist) + "?q=e"
    factory()
    one = queries_for(admin_client, path)
    factory.create_batch(30)
    many = queries_for(admin_client, path)
    counts = [sql for sql in many if "COUNT(*)" in sql.upper()]
    assert (len(many), len(counts)) == (len(one), 1)
