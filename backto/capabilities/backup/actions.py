"""Making a backup and restoring one: the two operations behind `backto backup` and
`backto restore`. The operator at the shell acts, so there is no `by=` user: the backup's audit
event names the command instead."""

import os
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone

from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.backup import postgres, sqlite
from backto.capabilities.backup.archive import (
    FORMAT,
    FORMAT_VERSION,
    MediaRestore,
    Progress,
    copy_media,
    entry_for,
    media_entries,
    no_progress,
    publish,
    refuse_nonempty_media,
    reserve,
    verify,
    write_manifest,
)
from backto.capabilities.backup.database import (
    pending_migrations,
    refuse_atomic,
    refuse_bad_table_names,
    refuse_newer_migrations,
    refuse_nonempty,
    refuse_vendor,
)
from backto.capabilities.backup.models import BackupRecord
from backto.capabilities.backup.queries import backto_version

BACKENDS: dict[str, ModuleType] = {"sqlite": sqlite, "postgresql": postgres}


def _backend(vendor: str) -> ModuleType:
    if vendor not in BACKENDS:
        raise CommandError(f"BackTo backs up SQLite and PostgreSQL databases, not {vendor}.")
    return BACKENDS[vendor]


@dataclass(frozen=True)
class BackupMade:
    path: Path
    manifest: dict[str, Any]
    size: int
    record: BackupRecord | None
    record_error: str  # why the backup could not be recorded (it is complete all the same)


def backup_make(*, path: Path, progress: Progress = no_progress) -> BackupMade:
    """Snapshot the database and copy the media into a new folder at `path` (see archive.py),
    then record it and audit it. The app goes on serving meanwhile."""
    connection = connections[DEFAULT_DB_ALIAS]
    refuse_atomic(connection)
    backend = _backend(connection.vendor)
    target = path.expanduser().absolute()
    media_root = Path(settings.MEDIA_ROOT).absolute()
    if target == media_root or media_root in target.parents:
        raise CommandError(f"{target} is inside the media folder {media_root}; choose another.")
    partial = reserve(target)
    try:
        made_at = timezone.now()
        database = backend.snapshot(connection, partial / backend.DATABASE_FILE, progress)
        # The media after the database: a file uploaded meanwhile is there, unnamed; BackTo
        # never deletes an upload, so every file the snapshot names is there too.
        files = [
            entry_for(partial, backend.DATABASE_FILE),
            *copy_media(media_root, partial, progress),
        ]
        state = database["state"]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "backto_version": backto_version(),
            "created_at": made_at.isoformat(),
            "host": socket.gethostname(),
            "database": database["database"],
            "media_root": str(media_root),
            "migrations": state.migrations,
            "tables": state.counts,
        }
        write_manifest(partial, manifest, files)
        _owner_only(partial)
        publish(partial, target)
    except OSError as error:  # a full disk, a permission
        shutil.rmtree(partial, ignore_errors=True)
        raise CommandError(f"The backup failed ({error}); nothing was left at {target}.") from None
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    size = sum(entry.size for entry in files)
    record, record_error = _record(made_at, target, size, connection.vendor, len(files) - 1)
    return BackupMade(target, {**manifest, "files": files}, size, record, record_error)


def _owner_only(folder: Path) -> None:
    """Children's health records: only the owner reads the backup."""
    for directory, _subdirs, files in os.walk(folder):
        os.chmod(directory, 0o700)
        for name in files:
            os.chmod(Path(directory) / name, 0o600)


def _record(
    made_at: Any, target: Path, size: int, vendor: str, media_files: int
) -> tuple[BackupRecord | None, str]:
    """The backup record and its audit event. A database that cannot take them (one not yet
    migrated to this BackTo, say, backed up before `backto migrate`) keeps a complete backup."""
    try:
        with transaction.atomic():
            record = BackupRecord.objects.create(
                made_at=made_at,
                host=socket.gethostname(),
                location=str(target),
                size_bytes=size,
                database_vendor=vendor,
                media_files=media_files,
            )
            audit(
                by=None,
                username="backto backup",
                action=Action.EXPORT,
                obj=record,
                detail=f"database and {media_files} media files to {record.where}",
            )
    except DatabaseError as error:
        return None, str(error)
    return record, ""


@dataclass(frozen=True)
class RestoreDone:
    manifest: dict[str, Any]
    pending_migrations: int  # what `backto migrate` still has to do: the backup is older


def _checked(folder: Path, progress: Progress) -> tuple[dict[str, Any], ModuleType]:
    manifest = verify(folder, progress)
    refuse_bad_table_names(manifest)
    backend = _backend(manifest["database"]["vendor"])
    if manifest["database"]["file"] != backend.DATABASE_FILE:
        raise CommandError(f"The manifest names an unexpected database file for {backend}.")
    return manifest, backend


def backup_check(*, path: Path, progress: Progress = no_progress) -> dict[str, Any]:
    """Everything a restore checks in the backup itself, changing nothing: every checksum, the
    manifest, and that the database file opens and holds the rows the manifest counts. Returns
    the manifest."""
    folder = path.expanduser().absolute()
    manifest, backend = _checked(folder, progress)
    backend.check_copy(folder / backend.DATABASE_FILE, manifest)
    return manifest


def backup_restore(
    *, path: Path, using: str = DEFAULT_DB_ALIAS, progress: Progress = no_progress
) -> RestoreDone:
    """Restore a backup into an empty database and an empty media folder, all or nothing.

    Every check comes before the first write: checksums, the kind of database, the migrations
    this code knows, the database file, an empty target. Then the media go into place and the
    database is restored in one transaction; if that fails, the media are taken out again."""
    folder = path.expanduser().absolute()
    manifest, backend = _checked(folder, progress)
    connection = connections[using]
    refuse_vendor(connection, manifest)
    refuse_newer_migrations(manifest)
    backend.check_copy(folder / backend.DATABASE_FILE, manifest)
    refuse_atomic(connection)
    refuse_nonempty(connection)
    media_root = Path(settings.MEDIA_ROOT).absolute()
    refuse_nonempty_media(media_root)
    media = MediaRestore(folder, media_root, media_entries(manifest))
    try:
        media.stage(progress)
        media.put_in_place()
        backend.restore(connection, folder / backend.DATABASE_FILE, manifest, progress)
    except BaseException:
        media.undo()
        raise
    return RestoreDone(manifest, pending_migrations(connection))
