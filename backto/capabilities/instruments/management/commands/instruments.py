"""`backto instruments` lists the instruments; `backto instruments install FILE` installs a
clinic's licensed item text for one instrument version (all or nothing), from a pack file or a
FHIR Questionnaire; `backto instruments export-fhir ID` writes an instrument with its wording as a
FHIR Questionnaire."""

import getpass
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from backto.access.accounts.models import Clinic
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.instruments.actions import instrument_pack_install
from backto.capabilities.instruments.queries import installed_packs, instrument_with_text
from backto.clinical.fhir_questionnaire import (
    is_fhir_resource,
    pack_from_upload,
    questionnaire_resource,
)
from backto.clinical.instrument_packs import InstrumentPackError, read_upload
from backto.clinical.instrument_registry import UnknownInstrumentError, instrument_registry


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _clinic(slug: str) -> Clinic:
    clinic = Clinic.objects.filter(slug=slug).first()
    if clinic is None:
        known = ", ".join(Clinic.objects.values_list("slug", flat=True)) or "none yet"
        raise CommandError(f"no clinic {slug!r}; clinics: {known}")
    return clinic


class Command(BaseCommand):
    help = (
        "List instruments (id, version, licence, whether the item text ships or is installed), "
        "or install a clinic's licensed item-text pack (a pack file or a FHIR Questionnaire): "
        "backto instruments install PACK_FILE --clinic SLUG; or export an instrument with its "
        "wording as a FHIR R4 Questionnaire: backto instruments export-fhir ID [--clinic SLUG] "
        "[--output FILE]."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            nargs="?",
            choices=["list", "install", "export-fhir"],
            default="list",
            help="list, install or export-fhir",
        )
        parser.add_argument(
            "pack_file",
            nargs="?",
            metavar="FILE_OR_ID",
            help="install: the pack file or FHIR Questionnaire to install (JSON); "
            "export-fhir: the instrument id.",
        )
        parser.add_argument(
            "--clinic",
            help="The clinic (its slug) whose licence the pack is: required to install; "
            "to list, shows that clinic's packs; to export, exports that clinic's wording.",
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="export-fhir: the file to write the Questionnaire to (standard output if none).",
        )

    def handle(
        self,
        *args: Any,
        action: str,
        pack_file: str | None,
        clinic: str | None,
        output: str | None = None,
        **options: Any,
    ) -> None:
        if output and action != "export-fhir":
            raise CommandError("--output is for export-fhir only")
        if action == "install":
            if not pack_file or not clinic:
                raise CommandError("usage: backto instruments install PACK_FILE --clinic SLUG")
            self._install(pack_file, _clinic(clinic))
        elif action == "export-fhir":
            if not pack_file:
                raise CommandError(
                    "usage: backto instruments export-fhir ID [--clinic SLUG] [--output FILE]"
                )
            self._export_fhir(pack_file, clinic, output)
        else:
            if pack_file:
                raise CommandError("backto instruments takes no file; did you mean install?")
            self._list(clinic)

    def _install(self, pack_file: str, clinic: Clinic) -> None:
        try:
            path = Path(pack_file)
            content = read_upload(path)
            row = instrument_pack_install(
                clinic=clinic,
                pack=pack_from_upload(content, source=path.name),
                source_name=path.name,
                username=_who(),
                own_licensee=is_fhir_resource(content),
            )
        except InstrumentPackError as error:
            raise CommandError(f"pack not installed: {error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Installed item text for {row.instrument_id} {row.version} from {row.source_name}"
            )
        )

    def _export_fhir(self, instrument_id: str, clinic: str | None, output: str | None) -> None:
        try:
            if clinic:
                instrument = instrument_with_text(_clinic(clinic), instrument_id)
            else:
                instrument = instrument_registry().get(instrument_id)
        except (UnknownInstrumentError, InstrumentPackError) as error:
            raise CommandError(str(error)) from None
        resource = questionnaire_resource(instrument, base_url=settings.SITE_URL)
        text = json.dumps(resource, indent=2, ensure_ascii=False) + "\n"
        if instrument.pack is not None:
            wording = f"the wording installed at {clinic}"
        elif instrument.text_available:
            wording = "its wording as shipped"
        else:
            wording = "neutral labels only: " + (
                f"{clinic} has not installed its wording"
                if clinic
                else "add --clinic SLUG for a clinic's installed wording"
            )
        described = f"{instrument.id} {instrument.version} ({wording})"
        if instrument.pack is not None:  # a clinic's licensed wording leaves BackTo: on record
            audit(
                by=None,
                action=Action.EXPORT,
                object_type="instrumentpack",
                object_id=instrument.id,
                detail=f"{described} as a FHIR Questionnaire",
                username=_who(),
            )
        if output is None:
            self.stdout.write(text, ending="")
            self.stderr.write(f"FHIR Questionnaire {described}", style_func=str)  # a note
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{output}: cannot be written: {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Wrote FHIR Questionnaire {described} to {output}"))

    def _list(self, clinic: str | None) -> None:
        try:
            packs = installed_packs(_clinic(clinic)) if clinic else {}
            database_ready = True
        except DatabaseError:
            packs, database_ready = {}, False
        rows = [("id", "version", "respondent", "status", "licence holder", "item text")]
        footnotes = []
        for instrument in instrument_registry().all_versions():
            if instrument.licence.text_ships:
                text = "ships with BackTo"
            elif instrument.key in packs:
                pack = packs[instrument.key]
                text = f"installed {pack.installed_at:%Y-%m-%d} from {pack.source_name}"
            else:
                text = "not installed (needs a licensed pack)"
            status = "enabled" if instrument.enabled else "disabled"
            if not instrument.enabled:
                footnotes.append(f"{instrument.id} is disabled: {instrument.disabled_reason}")
            rows.append(
                (
                    instrument.id,
                    instrument.version,
                    instrument.respondent,
                    status,
                    instrument.licence.holder,
                    text,
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[-1]]))
        for note in footnotes:
            self.stdout.write(note)
        if clinic is None:
            self.stdout.write(
                "Packs are installed per clinic: add --clinic SLUG to see a clinic's."
            )
        elif not database_ready:
            self.stdout.write(
                "The database is not ready (run backto migrate) to show installed packs."
            )
