"""`backto research_export --study CODE --from DATE --to DATE --out FILE.zip --by USERNAME
[--discharged-only] [--create]`: the page's research export from the command line, with a
progress bar, as the named person (who needs the research_export permission; the export is
audited as theirs). `--create` names the study first when the clinic has none by that code."""

import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.readers.research.actions import check_code, research_study_create
from backto.readers.research.deidentify import TooFewToExport
from backto.readers.research.export import STEPS, research_export
from backto.readers.research.models import ResearchStudy
from backto.readers.research.queries import CohortFilter


def _day(name: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--{name}: {value!r} is not a date; write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Export a cohort's item-level data for a research study (a zip; audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--study", required=True, metavar="CODE", help="The study's code.")
        parser.add_argument(
            "--from",
            dest="start",
            required=True,
            metavar="DATE",
            help="Programs started from (YYYY-MM-DD).",
        )
        parser.add_argument(
            "--to", dest="end", required=True, metavar="DATE", help="… to (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--out", required=True, metavar="FILE.zip", help="The zip file to write."
        )
        parser.add_argument(
            "--by", required=True, metavar="USERNAME", help="The username of the person exporting."
        )
        parser.add_argument("--discharged-only", action="store_true")
        parser.add_argument("--create", action="store_true", help="Name the study if it is new.")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _day("from", options["start"]), _day("to", options["end"])
        if start > end:
            raise CommandError("--to: the end of the period must not come before its start.")
        person = User.objects.filter(username=options["by"], is_active=True).first()
        if person is None or not has_permission(person, Permission.RESEARCH_EXPORT):
            raise CommandError(
                f"--by: {options['by']!r} is not an active account with the research_export "
                "permission (a program coordinator)."
            )
        try:
            code = check_code(options["study"])
        except ValidationError as error:
            raise CommandError(f"--study: {error.message_dict['study'][0]}") from None
        study = ResearchStudy.objects.filter(clinic=person.clinic, code=code).first()
        if study is None:
            if not options["create"]:
                raise CommandError(
                    f"--study: the clinic has no study {code}; add --create to name it."
                )
            study = research_study_create(by=person, code=code)
        out = Path(options["out"])
        with tqdm(
            total=STEPS,
            desc=f"Research export {code}",
            unit="step",
            disable=options["verbosity"] < 1,
            file=sys.stderr,
        ) as bar:
            try:
                export = research_export(
                    by=person,
                    study=study,
                    cohort_filter=CohortFilter(start, end, options["discharged_only"]),
                    progress=bar.update,
                )
            except TooFewToExport as reason:
                raise CommandError(str(reason)) from None
        out.write_bytes(export.archive)
        self.stdout.write(
            f"{out}: {export.participants} children exported, {export.withheld} withheld, "
            f"of {export.cohort_children} in the cohort."
        )
