"""`backto score [FILE|-] [--format jsonl|csv]`: batch scoring for researchers.

JSON lines (or CSV) in, one scored line out per input line; see docs/instruments.md (and
docs/functional-tests.md for functional test lines, JSON lines only). Exit status 1
when any line could not be scored, 0 otherwise. Never touches the database, so it works on a
machine that has never run `backto migrate`.
"""

import io
import sys
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backto.clinical.batch import BatchError, BatchSummary, score_csv, score_jsonl


class Command(BaseCommand):
    help = (
        'Score questionnaire answers in bulk. Reads JSON lines ({"id", "instrument", '
        '"answers"}, or {"id", "test", ...} for a functional test) or CSV (header '
        "id,instrument,<linkIds...>) from FILE or standard input and "
        "writes one result per line. Exit status 1 when any line could not be scored."
    )
    requires_system_checks: list[str] = []  # no database, no checks: a pure batch tool
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", default="-", help="Input file, or - (the default) for stdin."
        )
        parser.add_argument(
            "--format",
            choices=["jsonl", "csv"],
            default="jsonl",
            help="jsonl (default): one JSON object per line; csv: a header row, then one row each.",
        )

    def handle(self, *args: Any, file: str, format: str, **options: Any) -> None:
        stdin: IO[Any] = options.get("stdin") or sys.stdin

        def write(chunk: str) -> None:
            self.stdout.write(chunk, ending="")

        try:
            summary = self._run(file, format, stdin, write)
        except BatchError as error:
            raise CommandError(str(error)) from None
        self.stdout.flush()
        if summary.failed:
            raise CommandError(
                f"{summary.failed} of {summary.lines} lines could not be scored "
                "(see the error field of each)",
                returncode=1,
            )

    def _run(self, file: str, format: str, stdin: IO[Any], write: Any) -> BatchSummary:
        if file == "-":
            if format == "csv":
                source = stdin
                if hasattr(stdin, "buffer"):
                    source = io.TextIOWrapper(stdin.buffer, encoding="utf-8-sig", newline="")
                return score_csv(source, write)
            return score_jsonl(getattr(stdin, "buffer", stdin), write)
        path = Path(file)
        try:
            if format == "csv":
                with path.open(encoding="utf-8-sig", newline="") as handle:
                    return score_csv(handle, write)
            with path.open("rb") as binary:
                return score_jsonl(binary, write)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror or error}") from None
