"""Checking and restoring a backup archive: every SHA-256 before the database is touched."""

import hashlib
import json
import os
import posixpath
import sqlite3
import tarfile
import tempfile
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from clinic.backup.common import (
    CHUNK_BYTES,
    DUMP_NAMES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    Log,
    StoredFile,
    _file_fields,
    _models,
    _quiet,
    _read_state,
    _run_pg,
    _storage_alias,
)

# ----------------------------------------------------------------------------------------------
# Verify and restore
# ----------------------------------------------------------------------------------------------


def backup_verify(*, archive: Path, database_to: Path | None = None) -> dict[str, Any]:
    """Checks every file in the archive against the manifest's size and SHA-256.

    Raises BackupError naming the first file that differs, is missing or is not listed. With
    database_to, the (verified) dump is written there on the way. Returns the manifest.
    """
    with _open_archive(archive) as tar:
        manifest = _read_manifest(tar)
        expected = {entry["path"]: entry for entry in manifest["files"]}
        seen: set[str] = set()
        for member in tar:
            if member.name == MANIFEST:
                continue
            entry = expected.get(member.name)
            if entry is None or not member.isfile() or member.name in seen:
                raise BackupError(f"{archive}: {member.name} is not listed in the manifest.")
            seen.add(member.name)
            source = tar.extractfile(member)
            if source is None:
                raise BackupError(f"{member.name}: not a regular file in the archive.")
            sink = None
            if database_to is not None and member.name == manifest["database"]["path"]:
                sink = database_to.open("wb")
            try:
                size, digest = _hash_stream(source, sink)
            finally:
                if sink is not None:
                    sink.close()
            if size != entry["size"] or digest != entry["sha256"]:
                raise BackupError(
                    f"{archive}: {member.name} does not match its SHA-256 in the manifest "
                    "(the archive is damaged or was altered). Nothing was restored."
                )
        absent = sorted(expected.keys() - seen)
        if absent:
            raise BackupError(f"{archive}: {absent[0]} is in the manifest but not in the archive.")
    return manifest


def backup_restore(
    *, archive: Path, using: str = "default", force: bool = False, log: Log = _quiet
) -> dict[str, Any]:
    """Restores an archive into an empty install: verify, database, files, verify again.

    Refuses (BackupError, nothing changed) when the database already has patients or the photo
    storage holds files, unless force; and always when any file fails its SHA-256.
    """
    connection = connections[using]
    with _open_archive(archive) as tar:
        manifest = _read_manifest(tar)
    _check_compatible(manifest, connection, force=force)
    if not force:
        try:
            _check_empty(connection, manifest)
        except DatabaseError as error:
            raise BackupError(
                f"Cannot read the target database ({error}). Create it empty first."
            ) from error

    with tempfile.TemporaryDirectory(prefix="clinic-restore-") as work:
        dump = Path(work) / DUMP_NAMES[connection.vendor]
        backup_verify(archive=archive, database_to=dump)
        log(f"Archive verified: {len(manifest['files'])} files match the manifest.")
        if connection.vendor == "sqlite":
            _sqlite_restore(connection, dump)
        else:
            _postgresql_restore(connection, dump)
        log("Database restored.")
    written = _restore_files(archive, manifest, force=force)
    log(f"Files written to storage: {written}.")
    _check_restored(connection, manifest)
    log("Restored data verified against the manifest.")
    return manifest


def _open_archive(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, mode="r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive}: cannot read the archive ({error}).") from error


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.getmember(MANIFEST)
        body = tar.extractfile(member)
        if body is None:
            raise KeyError(MANIFEST)
        manifest: dict[str, Any] = json.loads(body.read())
    except (KeyError, ValueError, AttributeError, tarfile.TarError) as error:
        raise BackupError(f"No readable {MANIFEST} in the archive: not a clinic backup.") from error
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError("The archive is not a clinic backup this version can read.")
    for entry in manifest["files"]:
        _check_entry(entry, manifest)
    return manifest


def _check_entry(entry: dict[str, Any], manifest: dict[str, Any]) -> None:
    # Names go to the storage API, never to a path join of ours; still, refuse anything that
    # could escape the storage's root.
    path = entry["path"]
    if path == manifest["database"]["path"]:
        if path not in {f"database/{name}" for name in DUMP_NAMES.values()}:
            raise BackupError(f"Unexpected database file {path!r} in the manifest.")
        return
    name = entry.get("name", "")
    parts = name.split("/")
    if (
        entry.get("storage") not in settings.STORAGES
        or not name
        or name.startswith("/")
        or any(part in {"", ".", ".."} for part in parts)
        or path != StoredFile(entry["storage"], name).path
        or posixpath.normpath(name) != name
    ):
        raise BackupError(f"Unexpected file {path!r} in the manifest.")


def _check_compatible(
    manifest: dict[str, Any], connection: BaseDatabaseWrapper, *, force: bool
) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"The archive holds a {vendor} database; this install uses {connection.vendor}. "
            "Set DATABASE_URL to a database of the same kind."
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(
        f"{app}.{name}" for app, name in manifest["migrations"].items() if (app, name) not in known
    )
    if unknown and not force:
        commit = manifest["app"].get("git_commit") or "the archive's version"
        raise BackupError(
            f"The archive was made by a newer version of the app (migrations unknown here: "
            f"{', '.join(unknown)}). Restore with the code at {commit}, or pass --force."
        )


def _check_empty(connection: BaseDatabaseWrapper, manifest: dict[str, Any]) -> None:
    problems = []
    patients = _patient_count(connection)
    if patients:
        problems.append(f"the database already has {patients} patient(s)")
    for alias in sorted(_photo_storages(manifest)):
        if _storage_has_files(storages[alias]):
            problems.append(f"the {alias} storage already holds files")
    if problems:
        raise BackupError(
            "Restore goes into an empty install, but "
            + " and ".join(problems)
            + ". Nothing was changed. Pass --force to overwrite them."
        )


def _patient_count(connection: BaseDatabaseWrapper) -> int:
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        # A database file that does not exist yet is empty; do not create it by asking.
        if not path.exists() or path.stat().st_size == 0:
            return 0
    patient = apps.get_model("patients", "Patient")
    if patient._meta.db_table not in connection.introspection.table_names():
        return 0
    count: int = patient._base_manager.using(connection.alias).count()
    return count


def _photo_storages(manifest: dict[str, Any]) -> set[str]:
    in_code = {
        _storage_alias(file_field.storage)
        for model in _models()
        for file_field in _file_fields(model)
    }
    return in_code | set(manifest["storages"])


def _storage_has_files(storage: Storage, path: str = "") -> bool:
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return False
    if files:
        return True
    return any(_storage_has_files(storage, posixpath.join(path, d)) for d in directories)


def _sqlite_restore(connection: BaseDatabaseWrapper, dump: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError("Restore needs a SQLite database file, not an in-memory database.")
    connections.close_all()
    target_path = Path(name)
    target_path.parent.mkdir(parents=True, exist_ok=True)
    if not target_path.exists():
        # A new database file holds health data from the start: owner-only.
        os.close(os.open(target_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    # The backup API copies the file page by page into the target, taking the target's locks
    # and journal into account, so a leftover -wal or -journal file cannot corrupt the result.
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _postgresql_restore(connection: BaseDatabaseWrapper, dump: Path) -> None:
    connections.close_all()
    _run_pg(
        "pg_restore",
        connection.settings_dict,
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            # All or nothing: a failure leaves the target as it was.
            "--single-transaction",
            "--exit-on-error",
            str(dump),
        ],
    )


def _restore_files(archive: Path, manifest: dict[str, Any], *, force: bool) -> int:
    written = 0
    with _open_archive(archive) as tar:
        for entry in manifest["files"]:
            if "storage" not in entry:
                continue
            storage, name = storages[entry["storage"]], entry["name"]
            if storage.exists(name):
                if not force:
                    raise BackupError(f"{entry['path']} already exists in storage.")
                if _stored_digest(storage, name) == entry["sha256"]:
                    continue
                storage.delete(name)
            source = tar.extractfile(tar.getmember(entry["path"]))
            saved = storage.save(name, File(source, name=name))
            if saved != name:
                raise BackupError(f"The storage saved {name} as {saved}; restore stopped.")
            written += 1
    return written


def _check_restored(connection: BaseDatabaseWrapper, manifest: dict[str, Any]) -> None:
    for entry in manifest["files"]:
        if "storage" not in entry:
            continue
        if _stored_digest(storages[entry["storage"]], entry["name"]) != entry["sha256"]:
            raise BackupError(f"{entry['path']} differs from the manifest after restore.")
    connection.close()
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        state = _read_state(cursor, tables, quote=connection.ops.quote_name)
    if state.counts != manifest["counts"]:
        differ = sorted(
            label
            for label in state.counts.keys() | manifest["counts"].keys()
            if state.counts.get(label) != manifest["counts"].get(label)
        )
        raise BackupError(f"Row counts differ from the manifest after restore: {differ}.")
    if state.migrations != manifest["migrations"]:
        raise BackupError("Applied migrations differ from the manifest after restore.")


def _stored_digest(storage: Storage, name: str) -> str:
    with storage.open(name, "rb") as source:
        return _hash_stream(source)[1]


def _hash_stream(source: IO[bytes], sink: IO[bytes] | None = None) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK_BYTES):
        digest.update(chunk)
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
    return size, digest.hexdigest()
