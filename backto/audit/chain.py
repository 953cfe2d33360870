"""The audit log's hash chain: sealing events into it and recording its head.

Events are written as they always were, by the request or action that caused them, with no
chain columns set (no lock shared between requests). The sealer, a task the sweep queues every
five minutes (`backto audit seal` runs it directly), takes every committed event not sealed yet,
oldest id first, and gives it the next sequence number and

    chain_hash = SHA-256( previous event's chain_hash (64 hex digits, ASCII) + "\\n"
                          + canonical(event) )

where the first event's previous hash is 64 zeros. `canonical` is the UTF-8 JSON array, without
spaces, of

    ["backto-audit-v1", chain_seq, id, at, clinic_id, actor_id, actor_username, actor_kind,
     action, object_type, object_id, patient_id, ip_address, detail]

with `at` in UTC as ISO 8601 with microseconds ("2026-06-16T14:30:00.123456+00:00"), the client
address in Python's `ipaddress` form, NULL as null and numbers as JSON numbers. Anyone can
recompute it from the table alone (no secret is involved): see `backto audit verify`.

Once a day the sealer also records the chain's head (sequence number and hash) as a checkpoint,
in the audit_auditcheckpoint table and as a JSON line appended to a file outside the database, so
that deleting the newest events (or the whole table) is found: the chain no longer reaches the
checkpoint. docs/adr/0004-audit-hash-chain.md says why it is built this way.
"""

import hashlib
import ipaddress
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from backto.audit.models import AuditCheckpoint, AuditEvent

FORMAT = "backto-audit-v1"
GENESIS = "0" * 64
# Every field of an event but its seal, in the order they are hashed (after the sequence number).
CONTENT = (
    "id",
    "at",
    "clinic_id",
    "actor_id",
    "actor_username",
    "actor_kind",
    "action",
    "object_type",
    "object_id",
    "patient_id",
    "ip_address",
    "detail",
)
SEAL_BATCH = 200  # events a transaction: SQLite's write lock is held for one batch (about 10 ms)
# pg_advisory_xact_lock key: one sealer at a time across every server ("backto" + 1).
_LOCK_KEY = 0x6261636B746F01
_SEAL = (
    "UPDATE audit_auditevent SET chain_seq = %s, chain_hash = %s "
    "WHERE id = %s AND chain_seq IS NULL"
)


def canonical(seq: int, event: dict[str, Any]) -> bytes:
    """The bytes of an event that its hash covers (see the module's docstring)."""
    at: datetime = event["at"]
    values = [
        FORMAT,
        seq,
        event["id"],
        at.astimezone(UTC).isoformat(timespec="microseconds"),
        event["clinic_id"],
        event["actor_id"],
        event["actor_username"],
        event["actor_kind"],
        event["action"],
        event["object_type"],
        event["object_id"],
        event["patient_id"],
        _address(event["ip_address"]),
        event["detail"],
    ]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()


def _address(value: str | None) -> str | None:
    """One spelling per address, whichever database stored it (PostgreSQL's inet rewrites some)."""
    if value is None:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return value


def link(previous: str, seq: int, event: dict[str, Any]) -> str:
    """The hash of the event at `seq`, chained to the one before it."""
    return hashlib.sha256(previous.encode("ascii") + b"\n" + canonical(seq, event)).hexdigest()


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str


def chain_head() -> Head:
    """The last sealed event's place and hash (0 and the genesis hash for an empty chain)."""
    last = (
        AuditEvent.objects.filter(chain_seq__isnull=False)
        .order_by("-chain_seq")
        .values_list("chain_seq", "chain_hash")
        .first()
    )
    return Head(seq=last[0] or 0, hash=last[1] or "") if last else Head(seq=0, hash=GENESIS)


def _one_sealer_at_a_time() -> None:
    """Inside a transaction: wait for any other sealer's to end. SQLite's transactions already
    take the write lock when they begin (transaction_mode IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def seal(*, batch: int = SEAL_BATCH) -> int:
    """Seal every committed event not sealed yet, oldest id first, `batch` events a
    transaction. Returns how many were sealed. Safe to run on several servers at once."""
    sealed = 0
    while True:
        count = _seal_batch(batch)
        sealed += count
        if count < batch:
            return sealed


@transaction.atomic
def _seal_batch(size: int) -> int:
    _one_sealer_at_a_time()
    head = chain_head()
    events = list(
        AuditEvent.objects.filter(chain_seq__isnull=True).order_by("id").values(*CONTENT)[:size]
    )
    seq, previous = head.seq, head.hash
    seals = []
    for event in events:
        seq += 1
        previous = link(previous, seq, event)
        seals.append((seq, previous, event["id"]))
    if seals:
        with connection.cursor() as cursor:
            cursor.executemany(_SEAL, seals)
    return len(seals)


def checkpoint_file() -> Path | None:
    """Where checkpoints are appended outside the database: settings.AUDIT_CHECKPOINT_FILE, by
    default VAR_DIR/audit-checkpoints.jsonl. None in tests unless a test names a file."""
    configured = getattr(settings, "AUDIT_CHECKPOINT_FILE", None)
    if configured:
        return Path(configured)
    if settings.TESTING:
        return None
    return Path(settings.VAR_DIR) / "audit-checkpoints.jsonl"


@transaction.atomic
def checkpoint(*, now: datetime | None = None) -> AuditCheckpoint | None:
    """Record the chain's head now, in the table and in the checkpoint file (None, and nothing
    recorded, while nothing is sealed). The row is committed only once the file has the line."""
    _one_sealer_at_a_time()
    head = chain_head()
    if head.seq == 0:
        return None
    record = AuditCheckpoint.objects.create(
        at=now or timezone.now(), chain_seq=head.seq, chain_hash=head.hash
    )
    path = checkpoint_file()
    if path is not None:
        _append(path, record)
    return record


def _append(path: Path, record: AuditCheckpoint) -> None:
    line = json.dumps(
        {
            "at": record.at.astimezone(UTC).isoformat(),
            "seq": record.chain_seq,
            "hash": record.chain_hash,
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())


def checkpoint_if_due(*, now: datetime | None = None) -> AuditCheckpoint | None:
    """The daily checkpoint: record one unless one was recorded today (the server's time zone)."""
    now = now or timezone.now()
    latest = AuditCheckpoint.objects.order_by("-at", "-id").values_list("at", flat=True).first()
    if latest is not None and timezone.localdate(latest) == timezone.localdate(now):
        return None
    return checkpoint(now=now)
