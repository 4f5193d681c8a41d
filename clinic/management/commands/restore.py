import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from clinic.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "Restores a backup archive into an empty install: checks every SHA-256 first, then "
        "restores the database, writes the photos through the storage API and checks again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="The .tar.gz written by `backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even if the database has patients or the photo storage holds files "
            "(they are overwritten), or if the archive is from a newer version of the app.",
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Only check the archive against its manifest; change nothing.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        archive = options["archive"]
        try:
            if options["verify_only"]:
                manifest = backup_verify(archive=archive)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{archive}: all {len(manifest['files'])} files match the manifest "
                        f"(made {manifest['created_at']})."
                    )
                )
                return
            manifest = backup_restore(
                archive=archive,
                using=options["database"],
                force=options["force"],
                log=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        patients = manifest["counts"].get("patients.Patient", 0)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {archive} (made {manifest['created_at']}): {patients} patients, "
                f"{len(manifest['files']) - 1} stored files in {time.monotonic() - started:.1f} s. "
                "Run `manage.py migrate` if this version of the app is newer than the archive."
            )
        )
