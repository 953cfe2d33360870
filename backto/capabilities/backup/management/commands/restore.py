"""`backto restore PATH`: restore a backup made by `backto backup` into an empty database and an
empty media folder, all or nothing (docs/deployment.md, "Backups")."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DEFAULT_DB_ALIAS

from backto.capabilities.backup.actions import backup_check, backup_restore
from backto.capabilities.backup.archive import media_entries, progress_bars


class Command(BaseCommand):
    # Only the database and the media folder matter here: a setting the system checks dislike
    # (an origin, a proxy) must not stop a restore that a scheduled job or a scratch machine runs.
    requires_system_checks: list[str] = []
    help = (
        "Restore a backup folder made by `backto backup` into an empty database (a new one, or "
        "one `backto migrate` has just made) and an empty media folder. Every checksum is "
        "verified first; the restore is all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The backup folder.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only verify the backup (checksums, manifest, database file); change nothing.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database alias to restore into (default: %(default)s).",
        )

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        started = time.monotonic()
        progress = progress_bars(options["verbosity"])
        if options["check"]:
            manifest = backup_check(path=Path(path), progress=progress)
            self.stdout.write(
                self.style.SUCCESS(f"{path} is a complete backup: every checksum holds.")
                + f"\n  {self._summary(manifest)}"
            )
            return
        done = backup_restore(path=Path(path), using=options["database"], progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"Restored {path} in {time.monotonic() - started:.1f} s.")
            + f"\n  {self._summary(done.manifest)}\n"
            "Start BackTo with the same BACKTO_SECRET_KEY as the server it was backed up from."
        )
        if done.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup is older than this BackTo: run `backto migrate` now "
                    f"({done.pending_migrations} migrations to apply)."
                )
            )

    def _summary(self, manifest: dict[str, Any]) -> str:
        return (
            f"made {manifest['created_at']} by BackTo {manifest['backto_version']} on "
            f"{manifest['host']}: {manifest['database']['vendor']}, {len(manifest['tables'])} "
            f"tables, {sum(manifest['tables'].values())} rows, "
            f"{len(media_entries(manifest))} media files"
        )
