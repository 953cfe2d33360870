"""`backto restore PATH`: into an empty database and an empty media folder; every checksum
verified first; refused, with the reason named, for a database with rows, a damaged backup, the
other kind of database or a newer BackTo's backup; all or nothing."""

import json
import sqlite3
from collections.abc import Callable, Iterator
from functools import partial
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from backto.capabilities.backup.database import quote_identifier
from tests.backup.conftest import (
    RESTORED,
    backup,
    restore,
    rewrite_manifest,
    table_counts,
)
from tests.core.test_demo import run_demo


def every_row(db) -> dict[str, list]:
    """Every row of every table, in a stable order: two databases compare value for value."""
    rows = {}
    with db.cursor() as cursor:
        for table in db.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote_identifier(table)}")  # noqa: S608
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def files_in(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def made(tmp_path, media_root) -> Path:
    """A backup of a small demo clinic with two uploads."""
    run_demo("--patients", "2")
    backup(tmp_path / "backup")
    return tmp_path / "backup"


@pytest.fixture
def new_media(settings, tmp_path) -> Path:
    """The media folder of the server restored to: empty (it does not exist yet)."""
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    return settings.MEDIA_ROOT


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_round_trip_gives_back_every_row_and_file(
    tmp_path, media_root, empty_database, settings
):
    run_demo("--patients", "12")
    before = table_counts(connection)
    rows = every_row(connection)
    backup(tmp_path / "backup")
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    output = restore(tmp_path / "backup", "--database", RESTORED)

    assert "Restored" in output
    after = table_counts(empty_database)
    assert after == before
    assert after["patients_patient"] == 12 and sum(after.values()) > 2000
    assert every_row(empty_database) == rows
    applied = set(MigrationRecorder(connection).applied_migrations())
    assert set(MigrationRecorder(empty_database).applied_migrations()) == applied
    assert files_in(tmp_path / "restored-media") == files_in(media_root)
    assert "backto migrate" not in output  # nothing pending: same code, same migrations


@pytest.fixture
def as_migrated(transactional_db) -> Iterator[Callable[[], None]]:
    """Puts the test database back as `backto migrate` leaves it: rows only in the bookkeeping
    tables. On SQLite, sealed audit events refuse DELETE, so the test runner's flush could not
    empty them: there the database is copied back, page for page, as the test found it (and
    again when the test ends)."""
    if connection.vendor != "sqlite":
        yield lambda: call_command("flush", interactive=False, verbosity=0)
        return
    connection.ensure_connection()
    found = sqlite3.connect(":memory:")
    connection.connection.backup(found)
    put_back = partial(found.backup, connection.connection)
    try:
        yield put_back
    finally:
        put_back()
        found.close()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_it_replaces_a_freshly_migrated_database_and_the_audit_chain_verifies(
    tmp_path, media_root, as_migrated, settings
):
    run_demo("--patients", "3")
    call_command("audit", "seal", stdout=StringIO())
    call_command("audit", "checkpoint", stdout=StringIO())
    before = every_row(connection)
    assert before["audit_auditcheckpoint"]
    backup(tmp_path / "backup")
    as_migrated()
    assert table_counts(connection)["patients_patient"] == 0
    assert table_counts(connection)["django_content_type"] > 0
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    restore(tmp_path / "backup")

    assert every_row(connection) == before
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "The audit log verifies" in out.getvalue() and "0 not sealed" in out.getvalue()
    assert files_in(tmp_path / "restored-media") == files_in(media_root)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_database_that_is_not_empty(made, new_media):
    before = every_row(connection)
    with pytest.raises(CommandError, match=r"is not empty: the table \w+ has rows"):
        restore(made)
    assert every_row(connection) == before
    assert not new_media.exists()


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_media_folder_that_holds_files(made, empty_database, media_root):
    with pytest.raises(CommandError, match=r"media folder .* already holds files"):
        restore(made, "--database", RESTORED)
    assert table_counts(empty_database) == {}


@pytest.mark.parametrize(
    "damaged", ["media/exercises/heel-raises.mp4", "database", "manifest.json"]
)
@pytest.mark.django_db(transaction=True)
def test_a_damaged_file_is_named_and_nothing_is_touched(made, empty_database, new_media, damaged):
    if damaged == "database":
        damaged = json.loads((made / "manifest.json").read_text())["database"]["file"]
    path = made / damaged
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))

    with pytest.raises(CommandError, match=f"^{damaged} is damaged: its checksum differs"):
        restore(made, "--database", RESTORED)
    with pytest.raises(CommandError, match=f"^{damaged} is damaged"):
        restore(made, "--check")
    assert table_counts(empty_database) == {}
    assert not new_media.exists()


@pytest.mark.django_db(transaction=True)
def test_a_missing_file_is_named(made, empty_database, new_media):
    (made / "media/clinic-logos/lakeside.png").unlink()
    with pytest.raises(CommandError, match=r"media/clinic-logos/lakeside\.png is missing"):
        restore(made, "--database", RESTORED)
    assert table_counts(empty_database) == {}


@pytest.mark.django_db(transaction=True)
def test_check_verifies_a_backup_and_changes_nothing(made, empty_database, new_media):
    output = restore(made, "--check")
    assert "is a complete backup: every checksum holds" in output
    assert "2 media files" in output
    assert table_counts(empty_database) == {}
    assert not new_media.exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_other_kind_of_database_is_refused(made, empty_database, new_media):
    other = {
        "sqlite": ("postgresql", "database.pgdump"),
        "postgresql": ("sqlite", "database.sqlite3"),
    }
    vendor, name = other[connection.vendor]
    old = json.loads((made / "manifest.json").read_text())["database"]["file"]
    (made / old).rename(made / name)

    def from_the_other_kind(manifest):
        manifest["database"] = {"vendor": vendor, "file": name}
        for entry in manifest["files"]:
            entry["path"] = name if entry["path"] == old else entry["path"]

    rewrite_manifest(made, from_the_other_kind)
    with pytest.raises(
        CommandError, match=f"This is a {vendor} backup and the database is {connection.vendor}"
    ):
        restore(made, "--database", RESTORED)
    assert table_counts(empty_database) == {}
    assert not new_media.exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_from_a_newer_backto_is_refused(made, empty_database, new_media):
    def from_the_future(manifest):
        manifest["backto_version"] = "9.0"
        manifest["migrations"]["patients"].append("0999_from_the_future")

    rewrite_manifest(made, from_the_future)
    with pytest.raises(CommandError, match=r"made by a newer BackTo \(9.0\).*patients.0999"):
        restore(made, "--database", RESTORED)
    assert table_counts(empty_database) == {}


@pytest.mark.django_db(transaction=True)
def test_a_manifest_that_points_outside_the_backup_is_refused(made, empty_database, tmp_path):
    def escape(manifest):
        manifest["files"][-1]["path"] = "media/../../outside.png"

    rewrite_manifest(made, escape)
    with pytest.raises(CommandError, match="names a file outside the backup"):
        restore(made, "--database", RESTORED)
    assert not (tmp_path / "outside.png").exists()


@pytest.mark.django_db(transaction=True)
def test_a_manifest_not_written_by_backto_is_refused(made, empty_database):
    rewrite_manifest(made, lambda manifest: manifest.pop("tables"))
    with pytest.raises(CommandError, match="not as BackTo writes it: tables: Field required"):
        restore(made, "--database", RESTORED)
    assert table_counts(empty_database) == {}


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_fails_in_the_database_leaves_nothing_behind(
    made, empty_database, new_media
):
    if connection.vendor == "postgresql":
        # The rows are counted inside the restore's transaction, before COMMIT.
        rewrite_manifest(made, lambda m: m["tables"].update(patients_patient=3))
        expected = "(?s)rolled back.*patients_patient holds 2 rows, the backup counted 3"
        blocker = None
    else:
        # Another program holds the new database's write lock for longer than its timeout.
        options = empty_database.settings_dict["OPTIONS"]
        empty_database.settings_dict["OPTIONS"] = {**options, "timeout": 0.2}
        empty_database.ensure_connection()
        blocker = sqlite3.connect(empty_database.settings_dict["NAME"], isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        expected = "stayed locked for 0.2 s: another program is using it"
    try:
        with pytest.raises(CommandError, match=expected):
            restore(made, "--database", RESTORED)
    finally:
        if blocker is not None:
            blocker.close()
    assert table_counts(empty_database) == {}
    assert files_in(new_media) == {}  # the media went in, and came out again
