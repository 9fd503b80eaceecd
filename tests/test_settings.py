"""The portal refuses to serve without a real SECRET_KEY, yet management commands still run."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serving_without_secret_key_is_refused():
    result = run("import config.wsgi")
    assert "Set SECRET_KEY before serving the portal" in result.stderr


def test_serving_with_secret_key_starts():
    result = run("import config.wsgi", SECRET_KEY="a-long-random-test-key", ALLOWED_HOSTS="x")
    assert result.returncode == 0, result.stderr


def test_management_commands_run_without_secret_key():
    code = (
        "import django; django.setup(); "
        "from django.core.management import call_command; call_command('check')"
    )
    result = run(code)
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's; SQLite has none")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_favicon_ico_answers_with_the_portals_icon(client):
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"].endswith("favicon.svg")) == (301, True)
