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

from clinic.backup.common import MANIFEST, BackupError
from clinic.backup.create import archive_default_path, backup_create
from clinic.backup.restore import backup_restore, backup_verify

__all__ = [
    "MANIFEST",
    "BackupError",
    "archive_default_path",
    "backup_create",
    "backup_restore",
    "backup_verify",
]
