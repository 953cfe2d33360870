"""`backto measures_summary_rebuild`: recompute every episode's measure summary (what the caseload
and program outcomes read) from its questionnaires. The actions keep it current; run this after
loading data around them, or to repair it. Audited as one event."""

import sys
from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from backto.measures.actions import measure_summaries_rebuild
from backto.patients.models import Episode


class Command(BaseCommand):
    help = "Recompute every episode's measure summary from its questionnaires."

    def handle(self, *args: Any, **options: Any) -> None:
        with tqdm(
            total=Episode.objects.count(),
            desc="Episode summaries",
            unit="episode",
            disable=options["verbosity"] < 1,
            file=sys.stderr,
        ) as bar:
            count = measure_summaries_rebuild(by=None, progress=bar.update)
        self.stdout.write(f"Rebuilt the measure summaries of {count} episodes.")
