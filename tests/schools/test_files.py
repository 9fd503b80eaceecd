"""Private files, the cache and sessions when the portal runs on more than one app server.

The serving of each app's files is tested with its views (tests/protocols/test_private_files.py,
tests/incidents/views/test_private_files.py); here the settings and checks behind them.
"""

import pytest
from django.core.checks import Error, Warning
from django.core.files.base import ContentFile
from django.urls import Resolver404, resolve

from config.settings import cache_from_url, private_storage_from_env
from schools import checks, files


def test_private_files_on_local_disk_live_under_media_root_private(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = files.private_files.save("proef/a.txt", ContentFile(b"geheim"))
    assert (tmp_path / "private" / name).read_bytes() == b"geheim"


def test_private_files_on_local_disk_have_no_url(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = files.private_files.save("proef/a.txt", ContentFile(b"geheim"))
    with pytest.raises(ValueError):
        files.private_files.url(name)


@pytest.mark.django_db
def test_media_url_serves_nothing(client, director, settings, tmp_path):
    """No URL pattern serves MEDIA_ROOT: a file there is reached only through a view's check."""
    settings.MEDIA_ROOT = tmp_path
    name = files.private_files.save("proef/a.txt", ContentFile(b"geheim"))
    client.force_login(director)
    for path in [f"/{settings.MEDIA_URL}private/{name}", f"/{settings.MEDIA_URL}{name}"]:
        with pytest.raises(Resolver404):
            resolve(path)
        assert client.get(path).status_code == 404


def test_private_storage_is_local_disk_unless_a_bucket_is_set():
    assert private_storage_from_env({}) == {"BACKEND": "schools.files.PrivateFileSystemStorage"}


def test_private_storage_in_s3_is_signed_short_lived_and_without_acl():
    options = private_storage_from_env(
        {"S3_BUCKET": "portaal", "S3_ENDPOINT_URL": "https://minio.example.org"}
    )["OPTIONS"]
    assert (
        options["bucket_name"],
        options["endpoint_url"],
        options["default_acl"],
        options["querystring_auth"],
        options["querystring_expire"],
        options["file_overwrite"],
    ) == ("portaal", "https://minio.example.org", None, True, 60, False)


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache", None),
        ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/1"),
        ("rediss://cache.example.org:6380", "django.core.cache.backends.redis.RedisCache", "rediss://cache.example.org:6380"),
        ("db://", "django.core.cache.backends.db.DatabaseCache", "portal_cache"),
        ("database", "django.core.cache.backends.db.DatabaseCache", "portal_cache"),
        ("db://gedeeld_cache", "django.core.cache.backends.db.DatabaseCache", "gedeeld_cache"),
    ],
)  # fmt: skip
def test_cache_url_chooses_the_backend(url, backend, location):
    cache = cache_from_url(url)
    assert (cache["BACKEND"], cache.get("LOCATION")) == (backend, location)


def test_cache_url_with_a_typo_is_refused():
    with pytest.raises(ValueError, match="CACHE_URL"):
        cache_from_url("reddis://127.0.0.1")


LOCMEM = {"default": cache_from_url("")}
REDIS = {"default": cache_from_url("redis://127.0.0.1:6379/0")}
DATABASE = {"default": cache_from_url("db://")}


@pytest.mark.parametrize(
    ("app_servers", "caches", "debug", "warned"),
    [
        (2, LOCMEM, False, True),
        (2, REDIS, False, False),
        (2, DATABASE, False, False),
        (1, LOCMEM, False, False),
        (2, LOCMEM, True, False),
    ],
)
def test_deploy_check_warns_of_a_cache_per_process_on_several_servers(
    settings, app_servers, caches, debug, warned
):
    settings.APP_SERVERS, settings.CACHES, settings.DEBUG = app_servers, caches, debug
    found = checks.check_shared_cache(None)
    assert ([(type(w), w.id) for w in found]) == ([(Warning, "schools.W012")] if warned else [])


@pytest.mark.parametrize(
    ("change", "ids"),
    [
        ({}, []),
        ({"querystring_auth": False}, ["schools.E012"]),
        ({"default_acl": "public-read"}, ["schools.E013"]),
    ],
)
def test_deploy_check_refuses_public_files_in_s3(settings, change, ids):
    private = private_storage_from_env({"S3_BUCKET": "portaal"})
    private["OPTIONS"].update(change)
    settings.STORAGES = {**settings.STORAGES, "private": private}
    found = checks.check_private_storage(None)
    assert [(type(e), e.id) for e in found] == [(Error, id_) for id_ in ids]


def test_sessions_are_shared_through_the_database_or_redis():
    """Every app server reads the same sessions: never a cache that lives in one process."""
    from django.conf import settings

    assert settings.SESSION_ENGINE in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    }
