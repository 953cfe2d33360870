"""Helpers for the backup tests: run the commands, count every table, make an empty database
beside the test database (a file on SQLite, a second database in the same cluster on
PostgreSQL), and give each test its own media folder."""

import hashlib
import json
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from backto.capabilities.backup.database import quote_identifier

RESTORED = "restored"


def backup(path: Path) -> str:
    out = StringIO()
    call_command("backup", str(path), verbosity=0, stdout=out, stderr=StringIO())
    return out.getvalue()


def restore(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("restore", str(path), *args, verbosity=0, stdout=out, stderr=StringIO())
    return out.getvalue()


def table_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT count(*) FROM {quote_identifier(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def rewrite_manifest(folder: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Edit a backup's manifest and write SHA256SUMS to match, as a careless (or hostile) hand
    would: the checksums alone no longer catch it."""
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    change(manifest)
    manifest_path.write_text(json.dumps(manifest, indent=2))
    digest = hashlib.sha256(manifest_path.read_bytes()).hexdigest()
    lines = [f"{digest}  manifest.json"] + [
        f"{f['sha256']}  {f['path']}" for f in manifest["files"]
    ]
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n")


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    """The clinic's uploads: an exercise video and a clinic logo, in nested folders."""
    root = tmp_path / "media"
    (root / "exercises").mkdir(parents=True)
    (root / "clinic-logos").mkdir()
    (root / "exercises" / "heel-raises.mp4").write_bytes(bytes(range(256)) * 400)
    (root / "clinic-logos" / "lakeside.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 500)
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def empty_database(transactional_db: Any, tmp_path: Path) -> Iterator[BaseDatabaseWrapper]:
    """A database with no tables, under the alias "restored"."""
    default = connections["default"]
    postgres = default.vendor == "postgresql"
    if postgres:
        name = f"{default.settings_dict['NAME']}_restored"
        with default.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote_identifier(name)}")
            cursor.execute(f"CREATE DATABASE {quote_identifier(name)}")
    else:
        name = str(tmp_path / "restored.sqlite3")
    # Made by hand rather than declared in settings: Django's test case allows it.
    restored = type(default)({**default.settings_dict, "NAME": name}, alias=RESTORED)
    connections[RESTORED] = restored
    try:
        yield restored
    finally:
        restored.close()
        del connections[RESTORED]
        if postgres:
            with default.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote_identifier(name)} WITH (FORCE)")
