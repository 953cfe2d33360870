"""`backto backup PATH`: the database and the uploaded files in a new folder, with a manifest and
a checksum of every file; never over an existing backup; recorded and audited."""

import hashlib
import json
import os
import stat
from datetime import datetime, timedelta

import pytest
from django.core import checks
from django.core.management import CommandError, execute_from_command_line
from django.db import connection, transaction
from django.utils import timezone

from backto.audit.models import AuditEvent
from backto.capabilities.backup.models import BackupRecord
from tests.backup.conftest import backup, table_counts
from tests.core.test_demo import run_demo


@pytest.mark.django_db(transaction=True)
def test_a_backup_holds_the_database_the_media_and_a_manifest(tmp_path, media_root):
    run_demo("--patients", "2")
    counts = table_counts(connection)
    output = backup(tmp_path / "nightly")

    folder = tmp_path / "nightly"
    assert f"Backed up to {folder}" in output and "sha256sum -c SHA256SUMS" in output
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["format"] == "backto-backup" and manifest["backto_version"]
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"] == counts  # every table, counted in the snapshot
    assert manifest["tables"]["patients_patient"] == 2
    assert "0001_initial" in manifest["migrations"]["patients"]
    made = datetime.fromisoformat(manifest["created_at"])
    assert timedelta(0) <= timezone.now() - made < timedelta(minutes=1)
    files = {entry["path"]: entry for entry in manifest["files"]}
    database_file = manifest["database"]["file"]
    assert set(files) == {
        database_file,
        "media/exercises/heel-raises.mp4",
        "media/clinic-logos/lakeside.png",
    }
    video = (media_root / "exercises" / "heel-raises.mp4").read_bytes()
    assert files["media/exercises/heel-raises.mp4"]["size"] == len(video)
    assert (folder / "media/exercises/heel-raises.mp4").read_bytes() == video

    # SHA256SUMS covers every file, the manifest too, in the format `sha256sum -c` reads.
    sums = dict(
        reversed(line.split("  ", 1)) for line in (folder / "SHA256SUMS").read_text().splitlines()
    )
    assert set(sums) == {*files, "manifest.json"}
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
        assert name == "manifest.json" or files[name]["sha256"] == digest

    # Children's records: only the owner reads the backup.
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / database_file).stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".nightly.partial")]

    record = BackupRecord.objects.get()
    assert record.location == str(folder) and record.database_vendor == connection.vendor
    assert record.size_bytes == sum(entry["size"] for entry in files.values())
    assert record.media_files == 2
    event = AuditEvent.objects.get(object_type="backuprecord")
    assert event.action == "export" and event.actor_username == "backto backup"
    assert str(folder) in event.detail


@pytest.mark.django_db(transaction=True)
def test_it_never_overwrites_a_backup(tmp_path, media_root):
    backup(tmp_path / "b")
    before = {p: p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    with pytest.raises(CommandError, match="already exists: a backup is never overwritten"):
        backup(tmp_path / "b")
    assert {p: p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()} == before
    (tmp_path / "a-file").write_text("not a backup")
    with pytest.raises(CommandError, match="already exists"):
        backup(tmp_path / "a-file")
    assert BackupRecord.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_backup_folder_inside_the_media_folder_is_refused(media_root):
    with pytest.raises(CommandError, match="inside the media folder"):
        backup(media_root / "backups" / "today")
    assert not (media_root / "backups").exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_without_uploads_has_only_the_database(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "no-media-yet"
    backup(tmp_path / "b")
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert [entry["path"] for entry in manifest["files"]] == [manifest["database"]["file"]]
    assert sorted(os.listdir(tmp_path / "b")) == [
        "SHA256SUMS",
        manifest["database"]["file"],
        "manifest.json",
    ]


@pytest.mark.django_db
def test_it_takes_its_own_snapshot_outside_a_transaction(tmp_path, media_root):
    with transaction.atomic(), pytest.raises(CommandError, match="outside a transaction"):
        backup(tmp_path / "b")
    assert not (tmp_path / "b").exists()


@pytest.mark.django_db(transaction=True)
def test_it_says_where_it_cannot_write(tmp_path, media_root):
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(CommandError, match=r"Cannot write a backup in .*a-file"):
        backup(tmp_path / "a-file" / "nightly")
    assert not BackupRecord.objects.exists()


def refuses_to_start(app_configs, **kwargs):
    return [checks.Error("A setting the system checks dislike.", id="tests.E001")]


@pytest.mark.django_db(transaction=True)
def test_a_failing_system_check_does_not_stop_the_nightly_backup(tmp_path, media_root):
    checks.register(refuses_to_start)
    try:
        # As from the shell (call_command would skip the checks).
        execute_from_command_line(["backto", "backup", str(tmp_path / "nightly"), "-v0"])
    finally:
        checks.registry.registry.registered_checks.discard(refuses_to_start)
    assert (tmp_path / "nightly" / "SHA256SUMS").exists()
