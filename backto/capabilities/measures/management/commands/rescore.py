"""`backto rescore`: score every completed questionnaire again from its stored raw answers and
report any difference from the stored score (after an engine or instrument change).

By default each administration is rescored on the instrument version it was answered on;
`--latest` uses the newest version of the instrument instead. Nothing is written without
`--apply`, which stores the new results (each one audited). Exit status 1 with `--check` when
any score differs, so a deployment can stop on it.
"""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from backto.capabilities.measures.actions import administration_rescore_apply
from backto.capabilities.measures.models import Administration, AdminState
from backto.capabilities.measures.rescoring import rescore


class Command(BaseCommand):
    help = (
        "Rescore completed questionnaires from their raw answers and report differences. "
        "--latest scores on the newest instrument version; --apply stores the new results; "
        "--check exits 1 when anything differs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instrument", help="Only this instrument id (e.g. fdi-child).")
        parser.add_argument(
            "--latest",
            action="store_true",
            help="Score on the newest version of each instrument, not the one answered on.",
        )
        parser.add_argument("--apply", action="store_true", help="Store the new results.")
        parser.add_argument(
            "--check", action="store_true", help="Exit with status 1 when any score differs."
        )

    def handle(
        self,
        *args: Any,
        instrument: str | None,
        latest: bool,
        apply: bool,
        check: bool,
        **options: Any,
    ) -> None:
        query = Administration.objects.filter(state=AdminState.COMPLETED).select_related("episode")
        if instrument:
            query = query.filter(instrument_id=instrument)
        total = query.count()
        differ = gone = 0
        with tqdm(
            total=total, desc="Rescoring", unit="form", file=sys.stderr, disable=total < 200
        ) as bar:
            for administration in query.order_by("pk").iterator(chunk_size=500):
                bar.update(1)
                outcome = rescore(administration, latest=latest)
                if outcome is None:
                    gone += 1
                    self.stdout.write(
                        f"administration {administration.pk} {administration.instrument_id} "
                        f"{administration.instrument_version}: that version is no longer "
                        "installed; kept as stored"
                    )
                    continue
                compared, engine = outcome
                if "errors" in compared.after:
                    gone += 1
                    self.stdout.write(
                        f"administration {administration.pk} {administration.instrument_id}: "
                        f"its answers do not fit version {compared.after['instrument_version']} "
                        f"({'; '.join(compared.after['errors'])}); kept as stored"
                    )
                    continue
                changes = compared.differences
                if not changes and administration.engine_version == engine:
                    continue
                if changes:
                    differ += 1
                    self.stdout.write(
                        f"administration {administration.pk} {administration.instrument_id}: "
                        + "; ".join(changes)
                    )
                if apply:
                    administration_rescore_apply(
                        by=None, administration=administration, result=compared.after, engine=engine
                    )
        verb = "updated" if apply else "would change"
        self.stdout.write(
            f"{total} rescored, {differ} differ ({verb}), {gone} could not be rescored."
        )
        if check and differ:
            raise CommandError(f"{differ} stored scores differ from a rescore.", returncode=1)
