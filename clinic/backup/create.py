"""Writing a backup archive: a consistent database dump plus every stored file."""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import storages
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from clinic.backup.common import (
    COMPRESS_LEVEL,
    DUMP_NAMES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    DatabaseState,
    Log,
    StoredFile,
    _quiet,
    _read_state,
    _run_pg,
)

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


def _split_missing(files: list[StoredFile]) -> tuple[list[StoredFile], list[StoredFile]]:
    present: list[StoredFile] = []
    missing: list[StoredFile] = []
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
    entries: list[dict[str, Any]],
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
    # pg_version exists on PostgreSQL connections only (checked by the vendor test above).
    return str(connection.pg_version)  # type: ignore[attr-defined]
