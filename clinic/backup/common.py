"""What backup and restore share: the archive format, file records and storage helpers."""

import os
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models

FORMAT = "scar-clinic-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"sqlite": "clinic.sqlite3", "postgresql": "clinic.pgdump"}
CHUNK_BYTES = 1024 * 1024
# Photos are JPEG already; harder gzip levels cost time and save almost nothing.
COMPRESS_LEVEL = 6

Log = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class StoredFile:
    storage: str  # an alias in settings.STORAGES
    name: str  # the name the storage knows it by

    @property
    def path(self) -> str:
        """Where it sits in the archive."""
        return f"files/{self.storage}/{self.name}"


@dataclass
class DatabaseState:
    """What one consistent snapshot of the database holds."""

    counts: dict[str, int] = field(default_factory=dict)
    migrations: dict[str, str] = field(default_factory=dict)
    files: list[StoredFile] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------
# Shared helpers
# ----------------------------------------------------------------------------------------------


def _models() -> Iterable[type[models.Model]]:
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            yield model


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _storage_alias(storage: Storage) -> str:
    for alias in settings.STORAGES:
        if storages[alias] is storage:
            return alias
    raise BackupError(
        f"A FileField uses a storage ({storage!r}) that is not in settings.STORAGES; "
        "give it an alias there so backups can find its files."
    )


def _run_pg(program: str, settings_dict: dict[str, Any], arguments: list[str]) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(f"{program} is not installed (PostgreSQL client tools are needed).")
    # Django's own psql helper turns the settings into libpq variables (password, SSL, service).
    from django.db.backends.postgresql.client import DatabaseClient

    _, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    connect = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            connect.append(f"{flag}={settings_dict[key]}")
    if settings_dict.get("NAME"):
        connect.append(f"--dbname={settings_dict['NAME']}")
    result = subprocess.run(  # noqa: S603 (absolute path; arguments from settings, no shell)
        [executable, *connect, *arguments],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")


def _read_state(cursor: Any, tables: set[str], *, quote: Callable[[str], str]) -> DatabaseState:
    state = DatabaseState()
    for model in _models():
        table = model._meta.db_table
        if table not in tables:
            continue
        # Identifiers come from model metadata and are quoted; no user input reaches this SQL.
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
        state.counts[model._meta.label] = cursor.fetchone()[0]
        for file_field in _file_fields(model):
            column = quote(file_field.column)
            cursor.execute(
                f"SELECT DISTINCT {column} FROM {quote(table)} "  # noqa: S608
                f"WHERE {column} IS NOT NULL AND {column} <> ''"
            )
            alias = _storage_alias(file_field.storage)
            state.files.extend(StoredFile(alias, row[0]) for row in cursor.fetchall())
    state.files = sorted(set(state.files), key=lambda f: (f.storage, f.name))
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations")
        for app, name in cursor.fetchall():
            # Migration names start with a zero-padded number, so the greatest is the latest.
            state.migrations[app] = max(name, state.migrations.get(app, ""))
    return state
