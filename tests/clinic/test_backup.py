"""Backup and restore: the seeded demo clinic survives the round trip byte for byte.

Each install (a database and a photo storage) is driven through `manage.py` in its own process,
with its own DATABASE_URL and DJANGO_MEDIA_ROOT, as an operator would; the test process never
shares a connection with them, so nothing here depends on pytest-django's test database.
"""

import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import pytest
from django.db.migrations.loader import MigrationLoader

from clinic.backup import MANIFEST, BackupError, backup_verify

BASE_DIR = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRESQL = DATABASE_URL.startswith(("postgres://", "postgresql://"))

# Migrates and seeds the demo clinic; the generated password goes to a temporary file, not to
# the developer's var/.
SEED = """
import sys
from pathlib import Path

import django

django.setup()
from django.core.management import call_command

from demo import clinic as demo

demo.CREDENTIALS_FILE = Path(sys.argv[1])
call_command("migrate", verbosity=0)
call_command("seed_demo", verbosity=0)
"""

# Every row of every table, ordered by primary key, and the SHA-256 of every stored photo file
# read back through the storage API.
SNAPSHOT = """
import hashlib
import json

import django

django.setup()
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder

from treatments.models import ClinicalPhoto

rows = {
    model._meta.label: list(model._base_manager.order_by("pk").values())
    for model in apps.get_models(include_auto_created=True)
    if model._meta.managed and not model._meta.proxy
}
files = {}
for photo in ClinicalPhoto.objects.all():
    for stored in (photo.image, photo.display, photo.thumbnail):
        with stored.open("rb") as handle:
            files[stored.name] = hashlib.sha256(handle.read()).hexdigest()
print(json.dumps({"rows": rows, "files": files}, cls=DjangoJSONEncoder, sort_keys=True))
"""


@dataclass(frozen=True)
class Install:
    """One clinic install: a database URL and a media folder, run through manage.py."""

    database_url: str
    media_root: Path

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_URL", "BACKUP_DIR"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="clinic.settings",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_DEBUG="0",
            DJANGO_LOG_LEVEL="WARNING",
            DATABASE_URL=self.database_url,
            DJANGO_MEDIA_ROOT=str(self.media_root),
            DEMO_PASSWORD="demo-pass-for-backup-tests",
        )
        return env

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args],
            cwd=BASE_DIR,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return self.run("manage.py", *args)

    def seed(self, credentials: Path) -> None:
        result = self.run("-c", SEED, str(credentials))
        assert result.returncode == 0, result.stderr

    def backup(self, archive: Path) -> None:
        result = self.manage("backup", "--archive", str(archive))
        assert result.returncode == 0, result.stderr

    def snapshot(self) -> dict:
        result = self.run("-c", SNAPSHOT)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    @property
    def photos(self) -> Path:
        return self.media_root / "photos"


def sqlite_install(folder: Path) -> Install:
    folder.mkdir(parents=True, exist_ok=True)
    return Install(f"sqlite:///{folder / 'clinic.sqlite3'}", folder / "media")


def sqlite_file(install: Install) -> Path:
    return Path(install.database_url.removeprefix("sqlite://"))


def file_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def assert_same_clinic(restored: dict, original: dict) -> None:
    for label in ("patients.Patient", "patients.ScarAssessment", "treatments.TreatmentSession"):
        assert restored["rows"][label], f"the demo clinic should have {label} rows"
    assert len(original["rows"]["patients.Patient"]) == 30
    assert original["rows"]["scheduling.Appointment"]
    assert original["rows"]["treatments.ClinicalPhoto"]
    # Every patient, score, session, appointment, photo row (and every other table) ...
    assert restored["rows"].keys() == original["rows"].keys()
    for label, rows in original["rows"].items():
        assert restored["rows"][label] == rows, f"{label} differs after restore"
    # ... and every photo file, read back through the storage API.
    assert len(original["files"]) == 3 * len(original["rows"]["treatments.ClinicalPhoto"])
    assert restored["files"] == original["files"]


# ----------------------------------------------------------------------------------------------
# SQLite: one seeded clinic, one archive, shared by the tests of this module
# ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Install:
    install = sqlite_install(tmp_path_factory.mktemp("source"))
    install.seed(tmp_path_factory.mktemp("credentials") / "demo-credentials.txt")
    return install


@pytest.fixture(scope="module")
def archive(seeded, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("backups") / "clinic.tar.gz"
    seeded.backup(path)
    return path


@pytest.fixture(scope="module")
def original(seeded) -> dict:
    return seeded.snapshot()


def test_backup_is_one_private_archive_with_a_manifest_of_every_file(seeded, archive, original):
    assert archive.stat().st_mode & 0o777 == 0o600

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile(MANIFEST))
        contents = {
            m.name: hashlib.sha256(tar.extractfile(m).read()).hexdigest()
            for m in tar.getmembers()
            if m.name != MANIFEST
        }
    assert contents == {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert manifest["database"] == {
        "vendor": "sqlite",
        "path": "database/clinic.sqlite3",
        "server_version": manifest["database"]["server_version"],
    }
    photos = {e["name"] for e in manifest["files"] if e.get("storage") == "clinical_photos"}
    assert photos == set(original["files"])
    assert manifest["missing_files"] == []
    assert manifest["created_at"]
    assert manifest["app"]["version"] == "0.1.0"
    # The migration state: the latest applied migration of each app, here all of them.
    on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    for app in ("patients", "treatments", "scheduling", "clinic", "auth"):
        assert manifest["migrations"][app] == max(name for a, name in on_disk if a == app)
    for label, rows in original["rows"].items():
        assert manifest["counts"][label] == len(rows), label
    assert manifest["counts"]["patients.Patient"] == 30


@pytest.fixture(scope="module")
def restored(archive, tmp_path_factory) -> tuple[Install, subprocess.CompletedProcess]:
    install = sqlite_install(tmp_path_factory.mktemp("restored"))
    return install, install.manage("restore", str(archive))


def test_restore_into_a_fresh_install_gives_back_every_row_and_photo(seeded, restored, original):
    install, result = restored
    assert result.returncode == 0, result.stderr
    assert "Restored data verified against the manifest." in result.stdout

    assert_same_clinic(install.snapshot(), original)
    # The photo files themselves, byte for byte, under the same names.
    assert file_bytes(install.photos) == file_bytes(seeded.photos)


def test_restore_refuses_a_database_that_already_has_patients(seeded, archive):
    before = sqlite_file(seeded).read_bytes()

    result = seeded.manage("restore", str(archive))

    assert result.returncode != 0
    assert "the database already has 30 patient(s)" in result.stderr
    assert "the clinical_photos storage already holds files" in result.stderr
    assert sqlite_file(seeded).read_bytes() == before


def test_restore_refuses_a_photo_storage_that_holds_files(archive, tmp_path):
    install = sqlite_install(tmp_path)
    (install.photos / "7").mkdir(parents=True)
    (install.photos / "7" / "someone-else.jpg").write_bytes(b"not ours")

    result = install.manage("restore", str(archive))

    assert result.returncode != 0
    assert "the clinical_photos storage already holds files" in result.stderr
    assert "patient" not in result.stderr
    assert not sqlite_file(install).exists()
    assert file_bytes(install.photos) == {"7/someone-else.jpg": b"not ours"}


def test_force_restores_over_a_non_empty_install(restored, archive, original):
    install, first = restored
    assert first.returncode == 0, first.stderr
    patient = json.dumps(original["rows"]["patients.Patient"][0])
    assert "DEMO-0001" in patient

    refused = install.manage("restore", str(archive))
    assert refused.returncode != 0
    forced = install.manage("restore", "--force", str(archive))

    assert forced.returncode == 0, forced.stderr
    assert "Files written to storage: 0." in forced.stdout  # identical files are kept
    assert_same_clinic(install.snapshot(), original)


def _tampered_copy(archive: Path, target: Path) -> str:
    """The archive with one byte of one photo changed and the manifest left as it was."""
    changed = ""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if not changed and member.name.startswith("files/clinical_photos/"):
                data = data[:100] + bytes([data[100] ^ 0x01]) + data[101:]
                changed = member.name
            copy.addfile(member, io.BytesIO(data))
    return changed


def test_a_tampered_archive_is_refused_before_anything_is_restored(archive, tmp_path):
    tampered = tmp_path / "tampered.tar.gz"
    changed = _tampered_copy(archive, tampered)
    install = sqlite_install(tmp_path / "target")

    result = install.manage("restore", str(tampered))

    assert result.returncode != 0
    assert f"{changed} does not match its SHA-256 in the manifest" in result.stderr
    assert "Nothing was restored" in result.stderr
    assert not sqlite_file(install).exists()
    assert not install.photos.exists()

    verify = install.manage("restore", "--verify-only", str(tampered))
    assert verify.returncode != 0
    assert changed in verify.stderr


def test_a_sqlite_backup_taken_while_the_app_writes_is_consistent(seeded, tmp_path):
    # A copy of the seeded clinic that gains a row (a sign-in session) every moment the backup
    # runs, from another connection, as the running app would.
    busy = sqlite_install(tmp_path / "busy")
    shutil.copyfile(sqlite_file(seeded), sqlite_file(busy))
    shutil.copytree(seeded.media_root, busy.media_root)
    stop = threading.Event()
    written = 0

    def write() -> None:
        nonlocal written
        database = sqlite3.connect(sqlite_file(busy), timeout=30)
        while not stop.is_set():
            with database:
                database.execute(
                    "INSERT INTO django_session (session_key, session_data, expire_date) "
                    "VALUES (?, 'x', '2099-01-01 00:00:00')",
                    (secrets.token_hex(16),),
                )
            written += 1
        database.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        archive = tmp_path / "busy.tar.gz"
        busy.backup(archive)
    finally:
        stop.set()
        writer.join()

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile(MANIFEST))
    assert 0 < manifest["counts"]["sessions.Session"] <= written
    # Restore re-counts every table against the manifest, so this also shows the counts and the
    # file list were read from the same snapshot as the dump.
    target = sqlite_install(tmp_path / "target")
    result = target.manage("restore", str(archive))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(sqlite_file(target)) as database:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# ----------------------------------------------------------------------------------------------
# The archive is checked before any name reaches the storage
# ----------------------------------------------------------------------------------------------


def _archive_with(tmp_path: Path, manifest: dict, files: dict[str, bytes]) -> Path:
    path = tmp_path / "crafted.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in {**files, MANIFEST: json.dumps(manifest).encode()}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _manifest_for(files: list[dict]) -> dict:
    database = {
        "path": "database/clinic.sqlite3",
        "size": 0,
        "sha256": hashlib.sha256().hexdigest(),
    }
    return {
        "format": "scar-clinic-backup",
        "format_version": 1,
        "database": {"vendor": "sqlite", "path": database["path"]},
        "files": [database, *files],
        "storages": ["clinical_photos"],
        "migrations": {},
        "counts": {},
    }


@pytest.mark.parametrize("name", ["../../etc/cron.d/x", "/etc/passwd", "3/../../x.jpg", "3//x"])
def test_a_file_name_that_could_leave_the_storage_is_refused(tmp_path, name):
    data = b"payload"
    entry = {
        "path": f"files/clinical_photos/{name}",
        "storage": "clinical_photos",
        "name": name,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    archive = _archive_with(
        tmp_path, _manifest_for([entry]), {"database/clinic.sqlite3": b"", entry["path"]: data}
    )

    with pytest.raises(BackupError, match="Unexpected file"):
        backup_verify(archive=archive)


def test_a_file_not_listed_in_the_manifest_is_refused(tmp_path):
    archive = _archive_with(
        tmp_path,
        _manifest_for([]),
        {"database/clinic.sqlite3": b"", "files/clinical_photos/1/extra.jpg": b"x"},
    )

    with pytest.raises(BackupError, match=r"extra\.jpg is not listed in the manifest"):
        backup_verify(archive=archive)


def test_something_that_is_not_a_backup_is_refused(tmp_path):
    path = tmp_path / "photo.tar.gz"
    path.write_bytes(b"\xff\xd8 not a tar file")

    with pytest.raises(BackupError, match="cannot read the archive"):
        backup_verify(archive=path)


# ----------------------------------------------------------------------------------------------
# PostgreSQL: the same round trip into a second, freshly created database
# ----------------------------------------------------------------------------------------------


def _maintenance_connection():
    import psycopg

    config = dj_database_url.parse(DATABASE_URL)
    return psycopg.connect(
        dbname="postgres",
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        autocommit=True,
    )


@pytest.fixture
def postgresql_installs(tmp_path):
    """Two freshly created databases next to DATABASE_URL's: a source and a restore target."""
    base = dj_database_url.parse(DATABASE_URL)["NAME"]
    names = [f"{base}_roundtrip_source", f"{base}_roundtrip_restored"]
    with _maintenance_connection() as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    stem = DATABASE_URL.rsplit("/", 1)[0]
    yield [Install(f"{stem}/{name}", tmp_path / name / "media") for name in names]
    with _maintenance_connection() as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(
    not ON_POSTGRESQL, reason="runs when DATABASE_URL points to PostgreSQL (pg_dump/pg_restore)"
)
def test_postgresql_round_trip_into_a_fresh_database(postgresql_installs, tmp_path):
    source, target = postgresql_installs
    source.seed(tmp_path / "demo-credentials.txt")
    original = source.snapshot()
    archive = tmp_path / "clinic.tar.gz"

    started = time.monotonic()
    source.backup(archive)
    result = target.manage("restore", str(archive))
    elapsed = time.monotonic() - started

    assert result.returncode == 0, result.stderr
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile(MANIFEST))
    assert manifest["database"]["vendor"] == "postgresql"
    assert manifest["database"]["path"] == "database/clinic.pgdump"
    assert_same_clinic(target.snapshot(), original)
    assert file_bytes(target.photos) == file_bytes(source.photos)
    print(f"PostgreSQL demo clinic backup + restore: {elapsed:.1f} s")
