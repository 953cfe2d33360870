"""`backto summaries_rebuild`: recompute the rows kept per episode from its records — its measure
summary (what the caseload and outcomes read of its questionnaires) and its session dose (what
outcomes read of its sessions). The actions keep them current; run this after loading data
around them, or to repair them. Each kind is one transaction and one audit event."""

import sys
from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from backto.access.patients.models import Episode
from backto.capabilities.careplan.actions import session_doses_rebuild
from backto.capabilities.measures.actions import measure_summaries_rebuild


class Command(BaseCommand):
    help = "Recompute every episode's measure summary and session dose from its records."

    def handle(self, *args: Any, **options: Any) -> None:
        episodes = Episode.objects.count()
        for label, rebuild in (
            ("Measure summaries", measure_summaries_rebuild),
            ("Session doses", session_doses_rebuild),
        ):
            with tqdm(
                total=episodes,
                desc=label,
                unit="episode",
                disable=options["verbosity"] < 1,
                file=sys.stderr,
            ) as bar:
                count = rebuild(by=None, progress=bar.update)
            self.stdout.write(f"{label} rebuilt for {count} episodes.")
