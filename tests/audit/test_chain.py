"""The audit log's hash chain: sealing, checkpoints, and `backto audit verify` naming the first
missing or changed event after each kind of tampering in the security finding."""

import importlib
import io
import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from backto.audit import chain
from backto.audit.chain import checkpoint, checkpoint_if_due, seal
from backto.audit.management.commands.audit import Command
from backto.audit.models import AppendOnlyError, AuditCheckpoint, AuditEvent
from tests.audit.chain_helpers import (
    get_past_the_triggers,
    problems,
    raw,
    verify_output,
    write_events,
)

pytestmark = pytest.mark.django_db
WAYS_PAST_THE_TRIGGERS = ["disable", "replication_role"]  # the same on SQLite: drop them


@pytest.fixture
def checkpoint_file(tmp_path, settings):
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"
    return settings.AUDIT_CHECKPOINT_FILE


def sealed_log(count: int) -> list[AuditEvent]:
    events = write_events(count)
    assert seal() == count
    checkpoint()
    return events


# --- a clean log ------------------------------------------------------------------------------


def test_a_clean_log_verifies(as_user, client, pat, gina, maya, episode, checkpoint_file):
    as_user(pat).get(reverse("patient_overview", args=[maya.pk]), REMOTE_ADDR="2001:db8::7")
    as_user(gina).get(reverse("patient_overview", args=[maya.pk]))
    client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    assert seal() > 5
    checkpoint()
    ok, out = verify_output()
    assert ok, out
    assert problems(out) == []
    assert "The audit log verifies" in out and "0 not sealed yet" in out
    assert "2 checkpoints compared" in out  # the table's and the file's


def test_it_reports_the_events_not_sealed_yet_without_failing(checkpoint_file):
    sealed_log(3)
    [late, *_] = write_events(2)
    ok, out = verify_output()
    assert ok, out
    assert (
        f"note: 2 events not sealed yet, the chain vouches for none of them (the oldest: event {late.pk}"
        in out
    )


def test_an_empty_log_verifies_and_says_nothing_is_checkpointed():
    ok, out = verify_output()
    assert ok, out
    assert "note: no checkpoint yet" in out


# --- sealing -----------------------------------------------------------------------------------


def test_sealing_numbers_events_in_id_order_once():
    events = write_events(5)
    assert seal(batch=2) == 5
    assert seal() == 0
    assert list(AuditEvent.objects.order_by("id").values_list("chain_seq", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]
    [later] = write_events(1)
    assert seal() == 1
    assert AuditEvent.objects.get(pk=later.pk).chain_seq == 6
    assert verify_output()[0]
    assert events[0].pk < later.pk


def test_an_event_committed_after_a_later_one_joins_the_end_of_the_chain():
    AuditEvent.objects.bulk_create([AuditEvent(id=1000, action="view")])
    seal()
    # A transaction that took id 999 and committed after 1000 was sealed: never skipped.
    AuditEvent.objects.bulk_create([AuditEvent(id=999, action="view")])
    assert seal() == 1
    assert dict(AuditEvent.objects.values_list("id", "chain_seq")) == {1000: 1, 999: 2}
    assert verify_output()[0]


def test_the_hash_is_the_documented_one():
    """docs/adr/0004-audit-hash-chain.md and backto/audit/chain.py describe these bytes: an
    auditor can recompute them without BackTo."""
    event = {
        "id": 42,
        "at": datetime(2026, 6, 16, 14, 30, 0, 123456, tzinfo=UTC),
        "clinic_id": 1,
        "actor_id": 7,
        "actor_username": "pat",
        "actor_kind": "staff",
        "action": "view",
        "object_type": "patient",
        "object_id": "3",
        "patient_id": 3,
        "ip_address": "2001:DB8:0::7",
        "detail": "Señal",
    }
    assert (
        chain.canonical(1, event)
        == (
            '["backto-audit-v1",1,42,"2026-06-16T14:30:00.123456+00:00",1,7,"pat","staff","view",'
            '"patient","3",3,"2001:db8::7","Señal"]'
        ).encode()
    )
    assert chain.link(chain.GENESIS, 1, event) == (
        "04686904ff02b4def56165e15bbdacdfa6d299a60274779882a7a710fa0f1f8f"
    )


def test_the_hash_and_the_trigger_cover_every_field_of_an_event():
    """A new field on AuditEvent must be hashed and guarded: this fails until it is (a later
    migration that recreates the SQLite trigger replaces 0003 here)."""
    trigger = importlib.import_module("backto.audit.migrations.0003_chain_and_checkpoints")
    fields = {f.column for f in AuditEvent._meta.concrete_fields} - {"chain_seq", "chain_hash"}
    assert set(chain.CONTENT) == fields
    assert set(trigger.CONTENT) == fields


# --- what the database and the ORM refuse -----------------------------------------------------


def test_the_database_allows_sealing_and_nothing_else():
    [event] = write_events(1)
    attempts = [
        ("UPDATE audit_auditevent SET detail = 'forged' WHERE id = %s", [event.pk]),
        (
            "UPDATE audit_auditevent SET chain_seq = 1, chain_hash = %s, detail = 'forged' "
            "WHERE id = %s",
            ["0" * 64, event.pk],
        ),
    ]
    for sql, params in attempts:
        with pytest.raises(DatabaseError), transaction.atomic():
            raw(sql, params)
    seal()
    attempts = [
        ("UPDATE audit_auditevent SET chain_hash = %s WHERE id = %s", ["0" * 64, event.pk]),
        (
            "UPDATE audit_auditevent SET chain_seq = NULL, chain_hash = NULL WHERE id = %s",
            [event.pk],
        ),
        ("DELETE FROM audit_auditevent WHERE id = %s", [event.pk]),
    ]
    for sql, params in attempts:
        with pytest.raises(DatabaseError), transaction.atomic():
            raw(sql, params)
    record = checkpoint()
    assert record is not None
    for sql in (
        "UPDATE audit_auditcheckpoint SET chain_seq = 9",
        "DELETE FROM audit_auditcheckpoint",
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            raw(sql)


def test_the_orm_refuses_to_delete_or_update_through_any_manager():
    write_events(2)
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.all().update(detail="forged")
    seal()
    checkpoint()
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint._base_manager.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint.objects.get().save()


# --- tampering, and verify naming the first broken or missing event --------------------------


@pytest.mark.parametrize("how", WAYS_PAST_THE_TRIGGERS)
def test_verify_names_an_event_deleted_through_the_base_manager(how):
    events = sealed_log(5)
    doomed = AuditEvent._base_manager.filter(pk=events[2].pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        doomed._raw_delete(connection.alias)  # how Django's collector deletes, past delete()
    get_past_the_triggers(how)
    assert doomed._raw_delete(connection.alias) == 1
    ok, out = verify_output()
    assert not ok
    assert problems(out) == [
        f"PROBLEM seq 3: missing, deleted (between event {events[1].pk} and event {events[3].pk})"
    ]
    assert out.endswith(
        f"The first: seq 3: missing, deleted (between event {events[1].pk} and event "
        f"{events[3].pk})\n"
    )


@pytest.mark.parametrize("how", WAYS_PAST_THE_TRIGGERS)
def test_verify_names_events_deleted_with_raw_sql(how):
    events = sealed_log(6)
    get_past_the_triggers(how)
    raw("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [events[0].pk, events[3].pk])
    ok, out = verify_output()
    assert not ok
    assert problems(out) == [
        f"PROBLEM seq 1: missing, deleted (before event {events[1].pk})",
        f"PROBLEM seq 4: missing, deleted (between event {events[2].pk} and event {events[4].pk})",
    ]


# A row put back with its content changed, with its seal or without one.
REPLACE_KEEPING_THE_SEAL = (
    "INSERT OR REPLACE INTO audit_auditevent (id, at, clinic_id, actor_id, actor_username, "
    "actor_kind, action, object_type, object_id, patient_id, ip_address, detail, chain_seq, "
    "chain_hash) SELECT id, at, clinic_id, actor_id, actor_username, actor_kind, action, "
    "object_type, object_id, patient_id, ip_address, 'forged', chain_seq, chain_hash "
    "FROM audit_auditevent WHERE id = %s"
)
REPLACE_UNSEALED = (
    "INSERT OR REPLACE INTO audit_auditevent (id, at, clinic_id, actor_id, actor_username, "
    "actor_kind, action, object_type, object_id, patient_id, ip_address, detail, chain_seq, "
    "chain_hash) SELECT id, at, clinic_id, actor_id, actor_username, actor_kind, action, "
    "object_type, object_id, patient_id, ip_address, 'forged', NULL, NULL "
    "FROM audit_auditevent WHERE id = %s"
)


@pytest.mark.parametrize("keep_the_seal", [True, False])
def test_verify_names_an_event_rewritten_with_insert_or_replace(keep_the_seal):
    if connection.vendor != "sqlite":
        pytest.skip("INSERT OR REPLACE is SQLite's; PostgreSQL's ON CONFLICT is an UPDATE")
    events = sealed_log(4)
    replace = REPLACE_KEEPING_THE_SEAL if keep_the_seal else REPLACE_UNSEALED
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(replace, [events[1].pk])
    # Before the chain, the UPDATE trigger alone stood in the way, and REPLACE went past it.
    raw("DROP TRIGGER audit_event_no_replace")
    raw(replace, [events[1].pk])
    assert AuditEvent.objects.get(pk=events[1].pk).detail == "forged"
    ok, out = verify_output()
    assert not ok
    if keep_the_seal:
        assert problems(out) == [
            f"PROBLEM seq 2 (event {events[1].pk}, {events[1].at.astimezone(UTC):%Y-%m-%d %H:%M:%S} "
            "UTC, pat view patient 1): broken: its hash does not match its content and the hash "
            "before it; this event, or the one before it, was changed"
        ]
    else:
        assert problems(out) == [
            f"PROBLEM seq 2: missing, deleted (between event {events[0].pk} and event "
            f"{events[2].pk})"
        ]


def test_postgresql_refuses_an_upsert_over_an_event():
    if connection.vendor != "postgresql":
        pytest.skip("ON CONFLICT DO UPDATE is PostgreSQL's INSERT OR REPLACE")
    [event] = sealed_log(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(
            "INSERT INTO audit_auditevent (id, at, actor_username, actor_kind, action, "
            "object_type, object_id, detail) VALUES (%s, now(), '', '', 'view', '', '', '') "
            "ON CONFLICT (id) DO UPDATE SET detail = 'forged'",
            [event.pk],
        )


@pytest.mark.parametrize("how", WAYS_PAST_THE_TRIGGERS)
def test_verify_names_an_event_whose_detail_was_edited(how):
    events = sealed_log(5)
    get_past_the_triggers(how)
    raw("UPDATE audit_auditevent SET detail = 'nothing to see' WHERE id = %s", [events[2].pk])
    ok, out = verify_output()
    assert not ok
    [problem] = problems(out)
    assert problem.startswith(f"PROBLEM seq 3 (event {events[2].pk}, ")
    assert "broken: its hash does not match its content" in problem


def test_verify_names_the_event_after_one_edited_and_rehashed():
    events = sealed_log(5)
    get_past_the_triggers()
    event = AuditEvent.objects.filter(pk=events[1].pk).values(*chain.CONTENT, "chain_seq").get()
    event["detail"] = "nothing to see"
    previous = AuditEvent.objects.get(pk=events[0].pk).chain_hash
    raw(
        "UPDATE audit_auditevent SET detail = %s, chain_hash = %s WHERE id = %s",
        [event["detail"], chain.link(previous or "", 2, event), events[1].pk],
    )
    ok, out = verify_output()
    assert not ok
    [problem] = problems(out)
    assert problem.startswith(f"PROBLEM seq 3 (event {events[2].pk}, ")
    assert "this event, or the one before it, was changed" in problem


def test_verify_finds_the_newest_events_deleted(checkpoint_file):
    events = sealed_log(6)
    get_past_the_triggers()
    raw("DELETE FROM audit_auditevent WHERE id >= %s", [events[4].pk])
    ok, out = verify_output()
    assert not ok
    [first, *_] = problems(out)
    assert first.startswith(
        "PROBLEM seq 5 to 6: missing: the chain ends at seq 4 but the checkpoint of "
    )
    assert first.endswith("recorded seq 6: the newest events were deleted")


def test_verify_finds_the_whole_log_deleted_from_the_checkpoint_file(checkpoint_file):
    sealed_log(3)
    at = f"{AuditCheckpoint.objects.get().at.astimezone(UTC):%Y-%m-%d %H:%M}"
    get_past_the_triggers()
    if connection.vendor == "postgresql":
        raw("TRUNCATE audit_auditevent, audit_auditcheckpoint")  # the table owner's way
    else:
        raw("DELETE FROM audit_auditevent")
        raw("DELETE FROM audit_auditcheckpoint")
    ok, out = verify_output()
    assert not ok
    assert problems(out) == [
        f"PROBLEM seq 1 to 3: missing: the chain ends at seq 0 but the checkpoint of {at} "
        f"({checkpoint_file}) recorded seq 3: the newest events were deleted",
        f"PROBLEM 1 of the 1 checkpoints in {checkpoint_file} are not in the database (the first: "
        f"{at}, seq 3): checkpoints were deleted",
    ]


def test_a_log_rewritten_and_chained_again_is_found_by_the_checkpoint_file(checkpoint_file):
    events = sealed_log(4)
    get_past_the_triggers()
    # Whoever owns the database rewrites an event, seals the whole log again and drops the
    # checkpoints it kept: the chain is whole, the file outside the database is not fooled.
    raw("UPDATE audit_auditevent SET chain_seq = NULL, chain_hash = NULL")
    raw("UPDATE audit_auditevent SET detail = 'nothing to see' WHERE id = %s", [events[1].pk])
    raw("DELETE FROM audit_auditcheckpoint")
    assert seal() == 4
    ok, out = verify_output()
    assert not ok
    found = problems(out)
    assert len(found) == 2
    assert found[0].startswith(f"PROBLEM seq 4 (event {events[3].pk}, ")
    assert found[0].endswith(f"({checkpoint_file}): the log up to it was rewritten")
    assert found[1].endswith("checkpoints were deleted")


def test_a_checkpoint_file_line_that_is_not_a_checkpoint_is_a_problem(checkpoint_file):
    sealed_log(2)
    with checkpoint_file.open("a") as file:
        file.write("{not json\n")
    ok, out = verify_output()
    assert not ok
    assert problems(out) == [f"PROBLEM {checkpoint_file} line 2: not a checkpoint: '{{not json'"]


def test_verify_compares_a_checkpoint_file_named_on_the_command_line(tmp_path):
    events = sealed_log(3)
    copy = tmp_path / "copy.jsonl"
    copy.write_text(json.dumps({"at": "2026-06-16T12:00:00+00:00", "seq": 3, "hash": "0" * 64}))
    ok, out = verify_output("--checkpoint-file", str(copy))
    assert not ok
    assert f"PROBLEM seq 3 (event {events[2].pk}, " in out
    assert f"differs from the checkpoint of 2026-06-16 12:00 ({copy})" in out


# --- the sweep, the daily checkpoint, the command -------------------------------------------


def test_the_sweep_seals_and_records_one_checkpoint_a_day(checkpoint_file):
    today = timezone.now()  # held still: the suite also runs a few minutes before midnight
    with time_machine.travel(today, tick=False):
        write_events(3)
        call_command("reminders")
        assert not AuditEvent.objects.filter(chain_seq__isnull=True).exists()
        assert AuditCheckpoint.objects.count() == 1
        write_events(1)
        call_command("reminders")
        assert AuditCheckpoint.objects.count() == 1  # one a day
        assert AuditEvent.objects.filter(chain_seq=4).exists()
    with time_machine.travel(today + timedelta(days=1), tick=False):
        call_command("reminders")
        assert checkpoint_if_due() is None
    seqs = AuditCheckpoint.objects.order_by("at").values_list("chain_seq", flat=True)
    assert list(seqs) == [3, 4]
    lines = [json.loads(line) for line in checkpoint_file.read_text().splitlines()]
    assert [line["seq"] for line in lines] == [3, 4]
    assert lines[1]["hash"] == AuditEvent.objects.get(chain_seq=4).chain_hash


def test_nothing_sealed_means_no_checkpoint(checkpoint_file):
    assert checkpoint() is None
    assert not checkpoint_file.exists()


def test_the_command_seals_and_checkpoints_at_once(checkpoint_file):
    write_events(2)
    out = io.StringIO()
    call_command("audit", "seal", stdout=out)
    call_command("audit", "checkpoint", stdout=out)
    head = AuditEvent.objects.get(chain_seq=2).chain_hash
    assert out.getvalue() == (
        f"Sealed 2 events.\nCheckpoint: seq 2, hash {head} (also in {checkpoint_file})\n"
    )


def test_verify_shows_a_progress_bar_on_a_large_log(monkeypatch, capsys):
    sealed_log(3)
    monkeypatch.setattr(Command, "progress_from", 1)
    call_command("audit", "verify")
    assert "Verifying: 100%" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_sealers_on_several_servers_and_writers_at_once_make_one_chain():
    if connection.vendor != "postgresql":
        # SQLite has one writer at a time by design; and its test flush could not delete
        # sealed events (the trigger refuses).
        pytest.skip("several servers share one PostgreSQL")
    write_events(300)
    errors: list[BaseException] = []

    def run(work: Callable[[], object]) -> None:
        try:
            work()
        except BaseException as error:  # reported below, with the thread's traceback lost
            errors.append(error)
        finally:
            connection.close()

    def write_more() -> None:
        for _ in range(100):
            write_events(1)

    threads = [threading.Thread(target=run, args=(lambda: seal(batch=20),)) for _ in range(3)]
    threads.append(threading.Thread(target=run, args=(write_more,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seal()
    seqs = sorted(AuditEvent.objects.values_list("chain_seq", flat=True))
    assert seqs == list(range(1, 401))
    assert verify_output()[0]
