"""`check --deploy` for running on more than one app server (README "More than one app server")."""

from django.conf import settings
from django.core import checks

PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Several app servers need one cache: each would count and invalidate on its own."""
    if settings.DEBUG or getattr(settings, "APP_SERVERS", 1) <= 1:
        return []
    if settings.CACHES["default"]["BACKEND"] not in PROCESS_CACHES:
        return []
    return [
        checks.Warning(
            "APP_SERVERS is above 1 but the cache lives in each process: the public report "
            "page's rate limit is counted per process and cached pages are invalidated on "
            "one server only.",
            hint="Set CACHE_URL to redis://… or db:// (then run `manage.py createcachetable`).",
            id="schools.W012",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_private_storage(app_configs, **kwargs):
    """Files in S3 are private: no public ACL, and handed out only as signed URLs."""
    private = settings.STORAGES.get("private", {})
    if not private.get("BACKEND", "").startswith("storages.backends.s3"):
        return []
    options = private.get("OPTIONS", {})
    problems = []
    if not options.get("querystring_auth", True):
        problems.append(
            checks.Error(
                "STORAGES['private'] hands out S3 URLs without a signature.",
                hint="Set querystring_auth to True.",
                id="schools.E012",
            )
        )
    if str(options.get("default_acl") or "").startswith("public"):
        problems.append(
            checks.Error(
                "STORAGES['private'] stores files with a public ACL.",
                hint="Set default_acl to None and block public access to the bucket.",
                id="schools.E013",
            )
        )
    return problems
