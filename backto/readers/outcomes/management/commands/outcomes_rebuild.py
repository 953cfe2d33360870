"""`backto outcomes_rebuild`: compute every episode's outcome row (models.OutcomeRow) from its
records. The actions keep the rows current and outcomes compute any row that is not fresh, so
this is for after loading data around the actions (a bulk load, an upgrade that adds the rows)
or to repair them: until then outcomes are right but slower. One transaction a chunk of
episodes; one audit event."""

import sys
from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from backto.access.patients.models import Episode
from backto.audit.log import audit
from backto.audit.models import Action
from backto.readers.outcomes.rows import outcome_rows_rebuild


class Command(BaseCommand):
    help = "Compute every episode's program outcome row from its records."

    def handle(self, *args: Any, **options: Any) -> None:
        with tqdm(
            total=Episode.objects.count(),
            desc="Outcome rows",
            unit="episode",
            disable=options["verbosity"] < 1,
            file=sys.stderr,
        ) as bar:
            count = outcome_rows_rebuild(progress=bar.update)
        audit(
            by=None,
            action=Action.UPDATE,
            object_type="outcomerow",
            detail=f"rebuilt {count}",
            username="backto outcomes_rebuild",
        )
        self.stdout.write(f"Outcome rows rebuilt for {count} episodes.")
