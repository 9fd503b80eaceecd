"""Settings for the school portal, read from environment variables (see .env.example).

Defaults are safe for production (DEBUG off, secure cookies); `make run` sets DEBUG=1.
"""

import os
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Serving without a real key is refused in config/wsgi.py and asgi.py; management commands
# (makemigrations, check) run fine on a throwaway key that signs nothing that lasts.
SECRET_KEY_IS_SET = bool(os.environ.get("SECRET_KEY"))
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "insecure-development-key-only-for-debug" if DEBUG else get_random_secret_key()
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    # Two-factor login (TOTP app + recovery codes) and login throttling: see "Accounts and
    # security" in docs/decisions.md.
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "schools",
    "protocols",
    "consent",
    "incidents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Refuses an oversized body by its Content-Length before anything reads it.
    "schools.middleware.RequestBodyLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # What the access layer reads about the user is read once per request (schools.access).
    "schools.middleware.AccessScopeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "schools.middleware.TwoFactorMiddleware",
    "schools.middleware.SessionIdleMiddleware",
    "schools.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "schools.context_processors.access_context",
            ],
        },
    },
]

# SQLite by default so `make run` needs nothing installed; PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a lock instead of failing with "database is locked", and take the write lock
    # when a transaction begins, so two writers queue rather than deadlock on an upgrade.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The portal's queries are short; PostgreSQL's JIT spent 0.6 s compiling the board's
    # consent coverage at 30,000 pupils (benchmarks/README.md) and never paid that back.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "schools.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "schools:home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out account or address before the password is
    # checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dutch first, English selectable; dates as dd-mm-jjjj in Amsterdam time.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portaal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Behind a TLS-terminating proxy in production; all of these are on unless DEBUG.
SECURE = env_bool("SECURE", not DEBUG)
SECURE_SSL_REDIRECT = SECURE
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SECURE else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# The health check is plain HTTP from the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# --- Accounts and security (README "Security"; docs/decisions.md "Accounts and security") ---

# Two-factor login (django-otp, django-two-factor-auth): required for the roles in
# schools.security.MFA_ROLES and platform admins, offered to everyone else. Tests switch the
# requirement off in config/test_settings.py and on again in their own tests.
MFA_REQUIRED = env_bool("MFA_REQUIRED", True)
# `make run` only: the demo accounts (e-mail ending in .demo) may skip enrolment. `check
# --deploy` reports an error when this is on without DEBUG.
MFA_DEMO_WAIVER = env_bool("MFA_DEMO_WAIVER", False)
TWO_FACTOR_PATCH_ADMIN = False

# Failed logins (django-axes): after AXES_FAILURE_LIMIT failures an account, and separately
# an address, waits LOGIN_COOLOFF_MINUTES. The message is the same whether the account exists.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "schools.views.login_locked_out"
# Addresses are matched case-insensitively at login, so the counter must be too.
AXES_USERNAME_CALLABLE = "schools.security.login_username"
AXES_CLIENT_IP_CALLABLE = "schools.security.client_ip"
# Sign-ins are logged in schools.SignInEvent (who, when, where, outcome): not twice.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Behind N reverse proxies that each append to X-Forwarded-For, the client's address is the
# N-th from the right; 0 trusts only REMOTE_ADDR.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Sessions end after this much inactivity: staff (a Membership or Staff record) and
# everyone else (parents, pupils). Refreshed at most once a minute.
SESSION_IDLE_MINUTES_STAFF = int(os.environ.get("SESSION_IDLE_MINUTES_STAFF", "30"))
SESSION_IDLE_MINUTES_PARENT = int(os.environ.get("SESSION_IDLE_MINUTES_PARENT", "240"))
SESSION_COOKIE_AGE = 60 * max(SESSION_IDLE_MINUTES_STAFF, SESSION_IDLE_MINUTES_PARENT)

# Content-Security-Policy (django-csp): our own files only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws its form and menu icons as data: SVGs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no page needs these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ]
}

# Request bodies: ordinary posts at most 1 MB, uploads at their documented size (plus room
# for the form around the file), refused by Content-Length before they are read.
MB = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 1 * MB
FILE_UPLOAD_MAX_MEMORY_SIZE = 1 * MB
REQUEST_BODY_LIMIT = 1 * MB
REQUEST_BODY_LIMITS = {
    # URL name: the largest body accepted there.
    # EDEXML up to 20 MB (schools/edexml.py); the form holds a CSV to its own 5 MB.
    "schools:pupil_import": 20 * MB + 256 * 1024,
    "protocols:protocol_import": 5 * MB + 256 * 1024,
    "protocols:document_add": 10 * MB + 256 * 1024,
    "incidents:incident_attachment_add": 10 * MB + 256 * 1024,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The portal's own address, for links in e-mails (which have no request to build them from).
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")

# "Wacht op jou" on the home page: one provider per app, `items_for(user) -> list[Item]`
# (schools/waiting.py). The daily job (`run_daily_jobs`, from cron): one function per app,
# `daily(today) -> str` (schools/jobs.py). An app joins each list with one line.
PORTAL_WAITING_PROVIDERS = [
    "protocols.waiting.items_for",
    "consent.waiting.items_for",
    "incidents.waiting.items_for",
]
PORTAL_DAILY_JOBS = [
    "protocols.jobs.daily",
    "consent.jobs.daily",
    "incidents.jobs.daily",
]
# Panels other apps add to a protocol version's page: `panel(request, version) -> str`.
PORTAL_VERSION_PANELS = [
    "incidents.panels.version_figures",
]
# `load_demo`: after the schools and people, each app's demo, `load(today) -> str`.
PORTAL_DEMO_LOADERS = [
    "protocols.demo.load",
    "consent.demo.load",
    "incidents.demo.load",
]

# Branding of the deployment (footer, accessibility statement).
PORTAL_NAME = os.environ.get("PORTAL_NAME", "Schoolportaal sociale media")
ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "")


# --- More than one app server (issue 12): private files, the cache, sessions -----------------
# README "More than one app server". Private files (stored PDFs, supporting documents,
# incident attachments) go to STORAGES["private"], served only through schools.files.serve()
# after a view's access check: MEDIA_ROOT/private on local disk by default (share it between
# app servers), or an S3-compatible bucket when S3_BUCKET is set. Objects get no ACL (new
# AWS buckets refuse ACLs; the bucket blocks public access) and are handed out as URLs
# signed for S3_URL_SECONDS; an existing name is never overwritten.
def private_storage_from_env(environ) -> dict:
    """STORAGES["private"]: an S3-compatible bucket when S3_BUCKET is set, else local disk."""
    if not environ.get("S3_BUCKET"):
        return {"BACKEND": "schools.files.PrivateFileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": environ["S3_BUCKET"],
            # MinIO and other S3-compatible stores; browsers follow the signed URLs there.
            "endpoint_url": environ.get("S3_ENDPOINT_URL") or None,
            "region_name": environ.get("S3_REGION") or None,
            # Empty: boto3's own chain (AWS_ACCESS_KEY_ID, an instance role, ...).
            "access_key": environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": int(environ.get("S3_URL_SECONDS") or "60"),
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }


STORAGES["private"] = private_storage_from_env(os.environ)


def cache_from_url(url: str) -> dict:
    """CACHES["default"] from CACHE_URL: redis://…, db:// (or `database`), empty = this process.

    `db://NAME` names the table (default `portal_cache`; `manage.py createcachetable` makes
    it). Anything else is refused, so a typo never falls back to a cache nobody shares.
    """
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    scheme = url.split("://", 1)[0].lower() if "://" in url else url.lower()
    if scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme in {"db", "database"}:
        table = url.split("://", 1)[1].strip("/") if "://" in url else ""
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": table or "portal_cache",
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ValueError(f"CACHE_URL: unknown cache {scheme!r}; use redis://, db:// or leave empty.")


# The cache counts the public report page's rate limit (incidents/views/public.py) and keeps
# rendered HTML: with several app servers it must be shared (Redis or the database), or each
# server counts and invalidates on its own. `check --deploy` warns when APP_SERVERS > 1 and
# the cache lives in one process. django-axes counts failed logins in the database.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": cache_from_url(CACHE_URL),
    # Rendered protocol text, under a digest of what it is drawn from (never stale, so never
    # shared): each process keeps its own, and a deploy with changed templates starts afresh.
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "template-fragments",
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
}
APP_SERVERS = int(os.environ.get("APP_SERVERS", "1"))
# Sessions live in the database, which every app server shares; with Redis they are read
# from the cache first (written to both), which makes Redis as needed as the database.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHES["default"]["BACKEND"].endswith("RedisCache")
    else "django.contrib.sessions.backends.db"
)

# Background tasks (django-tasks). `immediate` runs a task right after the request's commit,
# in the same process: what `make run` and the tests need, nothing more to start. `database`
# queues tasks in the database (django-tasks-db) for `manage.py db_worker` processes on any
# machine; a task waits there while no worker runs, so nothing is lost.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ValueError(f"TASKS_BACKEND: use immediate or database, not {TASKS_BACKEND!r}.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
# A failed task runs again after 5 minutes, then 10, ...; after its last attempt it is reported
# to ADMINS (schools/retries.py).
PORTAL_TASK_ATTEMPTS = int(os.environ.get("TASK_ATTEMPTS", "3"))
PORTAL_TASK_RETRY_DELAY = timedelta(minutes=int(os.environ.get("TASK_RETRY_MINUTES", "5")))
# Who hears of a task that keeps failing (and of server errors): "Name <address>, ...".
ADMINS = [parseaddr(address) for address in env_list("ADMINS", [])]
