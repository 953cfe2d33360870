"""`backto synth --patients N [--days D] [--seed S]`: fill the database with a synthetic
health-system-sized program (see backto/demo/synth.py). Works on SQLite and PostgreSQL."""

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from tqdm import tqdm

from backto.demo.synth import synthesize


class Command(BaseCommand):
    help = (
        "Fill the database with N synthetic children across several clinics: episodes in every "
        "state, diaries, questionnaires, goals, sessions and home programs, bulk-loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patients", type=int, required=True, help="How many children.")
        parser.add_argument(
            "--days", type=int, default=180, help="Days of history for most children (180)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (1).")
        parser.add_argument(
            "--clinics",
            type=int,
            default=0,
            help="How many clinics (default: one per 2,500 children, at least two).",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="Clinics synthesized at once, each in a process of its own (PostgreSQL only; 1).",
        )

    def handle(
        self,
        *args: Any,
        patients: int,
        days: int,
        seed: int,
        clinics: int,
        jobs: int,
        **options: Any,
    ) -> None:
        if not 1 <= patients <= 1_000_000:
            raise CommandError("--patients must be between 1 and 1,000,000.")
        if not 14 <= days <= 3650:
            raise CommandError("--days must be between 14 and 3650.")
        if not 0 <= clinics <= patients:
            raise CommandError("--clinics must be between 1 and the number of children.")
        if not 1 <= jobs <= 64:
            raise CommandError("--jobs must be between 1 and 64.")
        if jobs > 1 and connection.vendor != "postgresql":
            raise CommandError(
                "--jobs above 1 needs PostgreSQL: SQLite takes one writer at a time."
            )
        started = time.perf_counter()
        with tqdm(
            total=patients,
            desc="Synthetic children",
            unit="child",
            disable=options["verbosity"] < 1,
            file=sys.stderr,
        ) as bar:
            result = synthesize(
                patients=patients,
                days=days,
                seed=seed,
                clinics=clinics,
                jobs=jobs,
                progress=bar.update,
            )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{result.patients} children in {result.clinics} clinics, {elapsed:.1f} s:"
        )
        for name, count in sorted(result.rows.items()):
            self.stdout.write(f"  {name}: {count:,}")
