"""`backto audit verify | seal | checkpoint`: the audit log's hash chain.

verify walks the chain and prints one line per problem (a missing event, a changed one, a
checkpoint the chain no longer matches or reaches), then the events not sealed yet; exit status 1
when anything is wrong. seal and checkpoint do at once what the sweep does every five minutes
and once a day. docs/permissions.md says what the chain guarantees.
"""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from backto.audit.chain import checkpoint, checkpoint_file, seal
from backto.audit.verify import expected_total, verify


class Command(BaseCommand):
    progress_from = 10_000  # a progress bar for logs of this many sealed events or more
    help = "The audit log's hash chain: `backto audit verify`, `seal` or `checkpoint`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, title="verbs")
        check = sub.add_parser(
            "verify",
            help="Check the chain; exit status 1 and one line per problem when it is broken.",
            description="Walk the audit log's hash chain in order and name every missing or "
            "changed event, and every checkpoint it no longer matches or reaches; report the "
            "events not sealed yet. Exit status 1 when anything is wrong.",
        )
        check.add_argument(
            "--checkpoint-file",
            type=Path,
            default=None,
            help="The file of checkpoints to compare (default: the one the sealer appends to, "
            "settings.AUDIT_CHECKPOINT_FILE).",
        )
        sub.add_parser("seal", help="Seal every committed event not sealed yet, now.")
        sub.add_parser("checkpoint", help="Record the chain's head now (table and file).")

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        if verb == "seal":
            self.stdout.write(f"Sealed {seal()} events.")
        elif verb == "checkpoint":
            self._checkpoint()
        else:
            self._verify(options["checkpoint_file"] or checkpoint_file())

    def _checkpoint(self) -> None:
        record = checkpoint()
        if record is None:
            self.stdout.write("Nothing is sealed yet: no checkpoint recorded.")
            return
        where = checkpoint_file()
        self.stdout.write(
            f"Checkpoint: seq {record.chain_seq}, hash {record.chain_hash}"
            + (f" (also in {where})" if where else "")
        )

    def _verify(self, path: Path | None) -> None:
        total = expected_total()
        with tqdm(
            total=total,
            desc="Verifying",
            unit="event",
            file=sys.stderr,
            disable=total < self.progress_from,
        ) as bar:
            report = verify(checkpoint_file=path, progress=bar.update)
        for problem in report.problems:
            self.stdout.write(f"PROBLEM {problem}")
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        summary = (
            f"{report.checked} sealed events (the chain's head: seq {report.head_seq}), "
            f"{report.checkpoints} checkpoints compared, {report.unsealed} not sealed yet"
        )
        if not report.ok:
            raise CommandError(
                f"The audit log FAILED verification: {len(report.problems)} problems; "
                f"{summary}. The first: {report.problems[0]}"
            )
        self.stdout.write(
            self.style.SUCCESS(f"The audit log verifies: {summary}; head {report.head_hash}.")
        )
