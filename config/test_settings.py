"""Test settings: the production settings plus a fast hasher and in-memory mail."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key")
os.environ.setdefault("SECURE", "0")

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Two features that would stand in the way of every other test are off here, and their own
# tests (tests/schools/test_security.py, tests/browser/test_two_factor.py) switch them on
# with override_settings: the second factor, which the staff users the tests make (often
# directors) would otherwise have to set up before reaching any page; and django-axes, which
# refuses `client.login()` because that passes no request to count failures by.
MFA_REQUIRED = False
AXES_ENABLED = False
