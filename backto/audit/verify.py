"""Checking the audit log's hash chain (`backto audit verify`).

The walk reads the sealed events in sequence order and recomputes each hash from the one before
it. It reports, one line each and in sequence order: a sequence number that is missing (an event
deleted), an event whose hash does not match (it, or the one before it, changed), a checkpoint
the chain no longer matches or no longer reaches (events rewritten, or the newest deleted); then
the checkpoints in the file that the database has lost. After a break the walk carries on from
the stored hash, so each separate change is named once. Events not sealed yet are counted
apart: the chain vouches for nothing about them.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from backto.audit.chain import CONTENT, GENESIS, chain_head, link
from backto.audit.models import AuditCheckpoint, AuditEvent

WALK_BATCH = 2000


@dataclass(frozen=True)
class Checkpoint:
    at: datetime
    seq: int
    hash: str
    source: str  # "database" or the file's path


@dataclass
class Report:
    checked: int = 0  # sealed events read
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checkpoints: int = 0
    unsealed: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def describe(event: dict[str, Any]) -> str:
    at = event["at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    what = " ".join(
        str(part)
        for part in (event["actor_username"] or "-", event["action"], event["object_type"])
        if part
    )
    if event["object_id"]:
        what += f" {event['object_id']}"
    return f"event {event['id']}, {at}, {what}"


def _seqs(first: int, last: int) -> str:
    return f"seq {first}" if first == last else f"seq {first} to {last}"


def read_checkpoint_file(path: Path, problems: list[str]) -> list[Checkpoint]:
    """The checkpoints in the file; an unreadable line is a problem of its own."""
    found = []
    with path.open(encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                found.append(
                    Checkpoint(
                        at=datetime.fromisoformat(data["at"]),
                        seq=int(data["seq"]),
                        hash=str(data["hash"]),
                        source=str(path),
                    )
                )
            except (ValueError, KeyError, TypeError):
                problems.append(f"{path} line {number}: not a checkpoint: {line.strip()[:80]!r}")
    return found


def walk(
    events: Iterable[dict[str, Any]],
    checkpoints: Iterable[Checkpoint],
    report: Report,
    progress: Callable[[int], object] = lambda n: None,
) -> None:
    """Check the sealed `events` (in sequence order) against each other and the checkpoints,
    adding what is wrong to `report.problems`."""
    wanted: dict[int, list[Checkpoint]] = {}
    for point in checkpoints:
        wanted.setdefault(point.seq, []).append(point)
    seq, previous, before = 0, GENESIS, ""
    for event in events:
        progress(1)
        report.checked += 1
        at, stored = event["chain_seq"], event["chain_hash"]
        if at <= seq:
            report.problems.append(f"seq {at} ({describe(event)}): a second event with this seq")
            continue
        if at > seq + 1:
            where = f"between {before} and" if before else "before"
            report.problems.append(
                f"{_seqs(seq + 1, at - 1)}: missing, deleted ({where} event {event['id']})"
            )
        elif stored != link(previous, at, event):
            report.problems.append(
                f"seq {at} ({describe(event)}): broken: its hash does not match its content and "
                "the hash before it; this event, or the one before it, was changed"
            )
        for point in wanted.pop(at, []):
            if point.hash != stored:
                report.problems.append(
                    f"seq {at} ({describe(event)}): differs from the checkpoint of "
                    f"{point.at:%Y-%m-%d %H:%M} ({point.source}): the log up to it was rewritten"
                )
        seq, previous, before = at, stored or "", f"event {event['id']}"
    report.head_seq, report.head_hash = seq, previous
    for at in sorted(wanted):
        if at <= seq:
            continue  # its event is one of the missing ones, already reported
        point = wanted[at][0]
        report.problems.append(
            f"{_seqs(seq + 1, at)}: missing: the chain ends at seq {seq} but the checkpoint of "
            f"{point.at:%Y-%m-%d %H:%M} ({point.source}) recorded seq {at}: the newest events "
            "were deleted"
        )
        break  # the furthest checkpoint says it all


def sealed_events() -> Iterator[dict[str, Any]]:
    """Every sealed event in sequence order, a batch at a time (memory stays flat)."""
    after = 0
    while True:
        batch = list(
            AuditEvent.objects.filter(chain_seq__isnull=False, chain_seq__gt=after)
            .order_by("chain_seq")
            .values(*CONTENT, "chain_seq", "chain_hash")[:WALK_BATCH]
        )
        yield from batch
        if len(batch) < WALK_BATCH:
            return
        after = batch[-1]["chain_seq"]


def verify(
    *, checkpoint_file: Path | None, progress: Callable[[int], object] = lambda n: None
) -> Report:
    """Walk the whole chain; see the module's docstring for what is reported. The chain's own
    problems come first, in sequence order: the first line names the first event at fault."""
    report = Report()
    stored = [
        Checkpoint(at=at, seq=seq, hash=hash_, source="database")
        for at, seq, hash_ in AuditCheckpoint.objects.order_by("at", "id").values_list(
            "at", "chain_seq", "chain_hash"
        )
    ]
    in_file: list[Checkpoint] = []
    file_problems: list[str] = []
    if checkpoint_file is not None and checkpoint_file.exists():
        in_file = read_checkpoint_file(checkpoint_file, file_problems)
        kept = {(p.seq, p.hash) for p in stored}
        lost = [p for p in in_file if (p.seq, p.hash) not in kept]
        if lost:
            file_problems.append(
                f"{len(lost)} of the {len(in_file)} checkpoints in {checkpoint_file} are not in "
                f"the database (the first: {lost[0].at:%Y-%m-%d %H:%M}, seq {lost[0].seq}): "
                "checkpoints were deleted"
            )
    elif checkpoint_file is not None:
        report.notes.append(
            f"no checkpoint file at {checkpoint_file}: only the database's checkpoints were "
            "compared"
        )
    report.checkpoints = len(stored) + len(in_file)
    if not report.checkpoints:
        report.notes.append(
            "no checkpoint yet: until the first (the sweep records one a day, `backto audit "
            "checkpoint` now), deleting the newest events would go unnoticed"
        )
    walk(sealed_events(), [*stored, *in_file], report, progress)
    report.problems += file_problems
    unsealed = AuditEvent.objects.filter(chain_seq__isnull=True)
    report.unsealed = unsealed.count()
    oldest = unsealed.order_by("id").values("id", "at").first()
    if oldest is not None:
        events = "event" if report.unsealed == 1 else "events"
        report.notes.append(
            f"{report.unsealed} {events} not sealed yet, the chain vouches for none of them "
            f"(the oldest: event {oldest['id']}, {oldest['at'].astimezone(UTC):%Y-%m-%d %H:%M} "
            "UTC); the sweep seals them every five minutes, `backto audit seal` now"
        )
    return report


def expected_total() -> int:
    """How many sealed events a walk reads, without counting them (for the progress bar)."""
    return chain_head().seq
