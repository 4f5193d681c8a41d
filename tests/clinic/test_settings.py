import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from clinic.env import envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("Yes", True), ("0", False), ("off", False)]
)
def test_envbool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("CLINIC_TEST_FLAG", raw)
    assert envbool("CLINIC_TEST_FLAG", default=not expected) is expected


def test_envbool_refuses_a_typo_naming_the_variable(monkeypatch):
    monkeypatch.setenv("CLINIC_TEST_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="CLINIC_TEST_FLAG"):
        envbool("CLINIC_TEST_FLAG", default=False)


def test_envint_refuses_a_non_number(monkeypatch):
    monkeypatch.setenv("CLINIC_TEST_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="CLINIC_TEST_INT must be a whole number"):
        envint("CLINIC_TEST_INT", 3)


def test_envlist_splits_on_commas(monkeypatch):
    monkeypatch.setenv("CLINIC_TEST_LIST", "a.example, b.example,,")
    assert envlist("CLINIC_TEST_LIST", []) == ["a.example", "b.example"]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean_env.update(env, DJANGO_SETTINGS_MODULE="clinic.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy_without_a_warning():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="clinic.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def _database_options(**env: str) -> dict:
    result = _manage(
        "shell",
        "-c",
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))",
        DJANGO_DEBUG="1",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


POSTGRES_URL = "postgres://clinic@db.example.org:5432/clinic"


def test_postgresql_binds_parameters_on_the_server_so_that_frequent_queries_are_prepared():
    options = _database_options(DATABASE_URL=POSTGRES_URL)
    assert options == {"server_side_binding": True, "prepare_threshold": 5}


def test_server_side_binding_can_be_turned_off_for_a_transaction_pooler():
    assert _database_options(DATABASE_URL=POSTGRES_URL, DJANGO_DB_SERVER_SIDE_BINDING="0") == {}
    tuned = _database_options(DATABASE_URL=POSTGRES_URL, DJANGO_DB_PREPARE_THRESHOLD="2")
    assert tuned["prepare_threshold"] == 2


def test_sqlite_has_neither_option_only_its_immediate_transactions():
    options = _database_options(DATABASE_URL="sqlite:////tmp/clinic-settings-test.sqlite3")
    assert options == {"transaction_mode": "IMMEDIATE"}


@pytest.mark.django_db
def test_on_postgresql_the_connection_prepares_a_query_run_often():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        for _ in range(6):
            cursor.execute("SELECT count(*) FROM auth_user WHERE id > %s", [0])
            cursor.fetchone()
    assert connection.connection.prepare_threshold == 5
    # psycopg's record of the statements it prepared on this connection.
    prepared = connection.connection._prepared._names
    assert any(b"auth_user" in key[0] for key in prepared)
