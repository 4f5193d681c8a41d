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
