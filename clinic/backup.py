"""Backup and restore of the whole clinic: the database and every stored file, in one archive.

An archive is a gzip-compressed tar file holding

    database/clinic.sqlite3 or database/clinic.pgdump   a consistent dump of the database
    files/<storage alias>/<name>                         every file a FileField names
    manifest.json                                        what is inside, with SHA-256 and size

The file list comes from the database snapshot itself (the FileField columns), never from
walking a folder, so it matches the dump and works for S3-compatible storage too. Restore checks
every SHA-256 before it touches the database, then writes the files through the storage API and
checks them again. The hashes catch damage, not a forger (who could rewrite the manifest too):
authenticity comes from the encryption the archive is kept under (see README).
"""

import datetime as dt
import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import DatabaseError, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

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
# Backup
# ----------------------------------------------------------------------------------------------


def archive_default_path(*, directory: Path, now: dt.datetime | None = None) -> Path:
    """clinic-YYYYmmdd-HHMMSS.tar.gz in UTC, so names sort in time order across DST changes."""
    stamp = (now or timezone.now()).astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return directory / f"clinic-{stamp}.tar.gz"


def backup_create(
    *, archive: Path, using: str = "default", allow_missing: bool = False, log: Log = _quiet
) -> dict[str, Any]:
    """Writes one archive (mode 0600) with a consistent dump, every stored file and a manifest.

    A file the database names but the storage lacks stops the backup, unless allow_missing, when
    it is listed under "missing_files" in the manifest. Returns the manifest.
    """
    if archive.exists():
        raise BackupError(f"{archive} already exists; choose another name.")
    archive.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    created_at = timezone.now()
    # The work folder sits next to the archive: same file system for the final rename, and
    # the dump never lands in a shared /tmp. TemporaryDirectory makes it 0700.
    with tempfile.TemporaryDirectory(dir=archive.parent, prefix=".backup-") as work:
        dump = Path(work) / DUMP_NAMES[vendor]
        if vendor == "sqlite":
            state = _sqlite_snapshot(connection, dump)
        else:
            state = _postgresql_snapshot(connection, dump)
        log(f"Database dumped ({dump.stat().st_size:,} bytes).")

        present, missing = _split_missing(state.files)
        if missing and not allow_missing:
            listed = ", ".join(f.path for f in missing[:5])
            raise BackupError(
                f"{len(missing)} stored file(s) named in the database are missing from storage "
                f"({listed}); fix the storage, or pass --allow-missing to back up the rest."
            )

        partial = Path(work) / "archive.tar.gz"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=COMPRESS_LEVEL) as tar:
                entries = [
                    _add_file(
                        tar,
                        f"database/{dump.name}",
                        dump.open("rb"),
                        dump.stat().st_size,
                        created_at,
                    )
                ]
                for stored in present:
                    storage = storages[stored.storage]
                    source = storage.open(stored.name, "rb")
                    size = storage.size(stored.name)
                    entry = _add_file(tar, stored.path, source, size, created_at)
                    entries.append({**entry, "storage": stored.storage, "name": stored.name})
                log(f"Files archived: {len(present)}.")
                manifest = _manifest(
                    connection=connection,
                    created_at=created_at,
                    state=state,
                    entries=entries,
                    missing=missing,
                )
                body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                _add_bytes(tar, MANIFEST, body, created_at)
            raw.flush()
            os.fsync(raw.fileno())
        if archive.exists():
            raise BackupError(f"{archive} appeared while the backup ran; nothing was replaced.")
        os.replace(partial, archive)
    return manifest


def _sqlite_snapshot(connection: BaseDatabaseWrapper, dump: Path) -> DatabaseState:
    # The online backup API copies a consistent snapshot while the app keeps running: with
    # pages=-1 it copies in one step under a read lock, so it never restarts under writes.
    connection.ensure_connection()
    target = sqlite3.connect(dump)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    # Counts and file names come from the copy, so they match it exactly.
    snapshot = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    try:
        cursor = snapshot.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = {row[0] for row in cursor.fetchall()}
        return _read_state(cursor, tables, quote=connection.ops.quote_name)
    finally:
        snapshot.close()


def _postgresql_snapshot(connection: BaseDatabaseWrapper, dump: Path) -> DatabaseState:
    # pg_dump runs in the snapshot this transaction exports, and the counts and file names are
    # read in the same transaction: dump, manifest and files describe one moment.
    if connection.in_atomic_block:
        raise BackupError("Run the backup outside a transaction.")
    connection.ensure_connection()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        _run_pg(
            "pg_dump",
            connection.settings_dict,
            ["--format=custom", f"--snapshot={snapshot_id}", f"--file={dump}"],
        )
        tables = set(connection.introspection.table_names(cursor))
        return _read_state(cursor, tables, quote=connection.ops.quote_name)


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


def _split_missing(files: list[StoredFile]) -> tuple[list[StoredFile], list[StoredFile]]:
    present, missing = [], []
    for stored in files:
        (present if storages[stored.storage].exists(stored.name) else missing).append(stored)
    return present, missing


class _HashingReader:
    """Passes reads through while counting bytes and hashing them."""

    def __init__(self, source: IO[bytes]):
        self.source = source
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _tarinfo(name: str, size: int, when: dt.datetime) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(when.timestamp())
    return info


def _add_file(
    tar: tarfile.TarFile, path: str, source: IO[bytes], size: int, when: dt.datetime
) -> dict[str, Any]:
    with source:
        reader = _HashingReader(source)
        # tarfile reads exactly `size` bytes and fails if the file is shorter.
        tar.addfile(_tarinfo(path, size, when), reader)
    return {"path": path, "size": reader.size, "sha256": reader.sha256.hexdigest()}


def _add_bytes(tar: tarfile.TarFile, path: str, body: bytes, when: dt.datetime) -> None:
    tar.addfile(_tarinfo(path, len(body), when), BytesIO(body))


def _manifest(
    *,
    connection: BaseDatabaseWrapper,
    created_at: dt.datetime,
    state: DatabaseState,
    entries: list[dict],
    missing: list[StoredFile],
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created_at.astimezone(dt.UTC).isoformat(),
        "app": _app_version(),
        "database": {
            "vendor": connection.vendor,
            "path": entries[0]["path"],
            "server_version": _server_version(connection),
        },
        "storages": sorted({e["storage"] for e in entries if "storage" in e}),
        "migrations": dict(sorted(state.migrations.items())),
        "counts": dict(sorted(state.counts.items())),
        "files": entries,
        "missing_files": [{"storage": f.storage, "name": f.name} for f in missing],
    }


def _app_version() -> dict[str, str | None]:
    version = None
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    if pyproject.exists():
        version = tomllib.loads(pyproject.read_text()).get("project", {}).get("version")
    return {"name": "scar-clinic", "version": version, "git_commit": _git_commit()}


def _git_commit() -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        result = subprocess.run(  # noqa: S603 (fixed arguments, absolute path)
            [git, "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None


def _server_version(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    connection.ensure_connection()
    return str(connection.pg_version)


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
        manifest = json.loads(tar.extractfile(member).read())
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
    return patient._base_manager.using(connection.alias).count()


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
