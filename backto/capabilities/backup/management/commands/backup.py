"""`backto backup PATH`: a consistent backup of the database and the uploaded files into a new
folder, while BackTo serves (docs/deployment.md, "Backups")."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backto.capabilities.backup.actions import backup_make
from backto.capabilities.backup.archive import CHECKSUMS, progress_bars
from backto.capabilities.backup.sizes import size_in_words


class Command(BaseCommand):
    # Only the database and the media folder matter here: a setting the system checks dislike
    # (an origin, a proxy) must not stop a backup that a scheduled job or a scratch machine runs.
    requires_system_checks: list[str] = []
    help = (
        "Back up the database and the uploaded files into PATH, a new folder (never "
        "overwritten), while BackTo serves."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", help="The new backup folder, e.g. /var/backups/backto/2026-06-16T0300."
        )

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        started = time.monotonic()
        made = backup_make(path=Path(path), progress=progress_bars(options["verbosity"]))
        manifest = made.manifest
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Backed up to {made.path}")
            + f"\n  database: {manifest['database']['vendor']}, {len(manifest['tables'])} "
            f"tables, {rows} rows\n  media: {len(manifest['files']) - 1} files\n"
            f"  size: {size_in_words(made.size)}, in {time.monotonic() - started:.1f} s\n"
            f"Check it at any time with: cd {made.path} && sha256sum -c {CHECKSUMS}"
        )
        if made.record_error:
            self.stderr.write(
                self.style.WARNING(
                    "The backup is complete, but the database could not record it (run "
                    f"`backto migrate`?): {made.record_error}"
                )
            )
