import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from clinic.backup import BackupError, archive_default_path, backup_create


class Command(BaseCommand):
    help = (
        "Writes one archive (mode 0600) with a consistent database dump, every stored photo and "
        "a manifest of SHA-256 hashes. It holds health data: encrypt it before it leaves the host."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--archive",
            type=Path,
            help="Path of the archive to write (default: clinic-YYYYmmdd-HHMMSS.tar.gz in --dir).",
        )
        parser.add_argument(
            "--dir",
            type=Path,
            help="Folder for the archive (default: BACKUP_DIR, which defaults to var/backups).",
        )
        parser.add_argument(
            "--allow-missing",
            action="store_true",
            help="Back up even if the database names files the storage lacks (listed in the "
            "manifest).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        archive = options["archive"] or archive_default_path(
            directory=options["dir"] or settings.BACKUP_DIR
        )
        try:
            manifest = backup_create(
                archive=archive,
                using=options["database"],
                allow_missing=options["allow_missing"],
                log=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        for missing in manifest["missing_files"]:
            self.stderr.write(f"Missing from storage: {missing['storage']}/{missing['name']}")
        patients = manifest["counts"].get("patients.Patient", 0)
        stored = len(manifest["files"]) - 1  # all but the database dump
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {archive} ({archive.stat().st_size:,} bytes; {patients} "
                f"patients, {stored} stored files) in {time.monotonic() - started:.1f} s."
            )
        )
        self.stdout.write(
            "It holds health data: encrypt it before it leaves this host (see README)."
        )
