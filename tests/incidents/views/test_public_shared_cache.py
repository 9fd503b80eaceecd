"""The public report page's rate limit with several app servers: one count, in a shared cache.

Each request is served by "another app server": the cache settings are set again, so Django
builds a new cache client, as a second machine would. Redis is the real one at
127.0.0.1:6379 (TEST_REDIS_URL), not a mock; CI runs it, elsewhere the test skips without it.
"""

import os
import uuid

import pytest
from django.urls import reverse

from config.settings import cache_from_url
from incidents.models import Incident
from incidents.views.public import PUBLIC_LIMIT
from tests.incidents.views.test_public import _data

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in the real Redis, removed afterwards."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"No Redis at {REDIS_URL}; CI runs this test.")
    prefix = f"test-{uuid.uuid4().hex}"
    yield prefix
    keys = list(connection.scan_iter(f"{prefix}*"))
    if keys:
        connection.delete(*keys)
    connection.close()


def _report_on(server, settings, client, school, categories):
    settings.CACHES = {"default": dict(server)}  # a new cache client, as on another machine
    return client.post(
        reverse("incidents:public_report", args=[school.slug]),
        _data(categories),
        REMOTE_ADDR="192.0.2.7",
    )


def test_public_report_limit_is_counted_once_across_app_servers_in_redis(
    client, settings, school, categories, anti_bullying, redis_prefix
):
    server = {**cache_from_url(REDIS_URL), "KEY_PREFIX": redis_prefix}
    for _ in range(PUBLIC_LIMIT):
        _report_on(server, settings, client, school, categories)
    response = _report_on(server, settings, client, school, categories)
    assert (response.status_code, Incident.objects.count()) == (429, PUBLIC_LIMIT)


def test_a_cache_per_process_counts_per_app_server(
    client, settings, school, categories, anti_bullying
):
    """Why `check --deploy` warns (schools.W012): each server would allow the limit again."""
    first, second = (
        {**cache_from_url(""), "LOCATION": f"server-{uuid.uuid4().hex}"} for _ in range(2)
    )
    for _ in range(PUBLIC_LIMIT):
        _report_on(first, settings, client, school, categories)
    response = _report_on(second, settings, client, school, categories)
    assert (response.status_code, Incident.objects.count()) == (302, PUBLIC_LIMIT + 1)
