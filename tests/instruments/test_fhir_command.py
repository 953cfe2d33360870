"""`backto instruments export-fhir` writes an instrument with a clinic's wording as a FHIR R4
Questionnaire, and `backto instruments install` takes such a file as well as a pack file."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from fhir.resources.R4B.questionnaire import Questionnaire

from backto.audit.models import AuditEvent
from backto.capabilities.instruments.models import InstrumentPack
from backto.capabilities.instruments.queries import instrument_with_text
from backto.clinical.instrument_registry import instrument_registry


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("instruments", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write_pack(tmp_path: Path) -> Path:
    path = tmp_path / "clinic-fdi.json"
    data = {
        "instrument": "fdi-child",
        "version": "1.0.0",
        "licensed_to": "Lakeside Pain Program",
        "items": {str(n): f"Licensed wording {n}" for n in range(1, 16)},
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_it_exports_an_instrument_as_shipped_to_standard_output() -> None:
    out, err = run("export-fhir", "nrs-pain")
    resource = json.loads(out)
    Questionnaire.model_validate(resource)
    assert resource["id"] == "nrs-pain"
    assert resource["url"] == "http://127.0.0.1:8000/fhir/Questionnaire/nrs-pain"
    assert resource["item"][0]["text"] == instrument_registry().get("nrs-pain").items[0].text
    assert err.strip() == "FHIR Questionnaire nrs-pain 1.0.0 (its wording as shipped)"


def test_without_installed_wording_the_export_says_it_has_only_the_labels(clinic: Any) -> None:
    out, err = run("export-fhir", "fdi-child", "--clinic", clinic.slug)
    assert json.loads(out)["item"][0]["text"] == "FDI item 1"
    assert "(neutral labels only: lakeside has not installed its wording)" in err


def test_a_clinics_wording_is_exported_and_installed_at_its_sister_clinic(
    tmp_path: Path, clinic: Any, other_clinic: Any
) -> None:
    run("install", str(write_pack(tmp_path)), "--clinic", clinic.slug)
    exported = tmp_path / "fdi-child.fhir.json"
    out, _ = run("export-fhir", "fdi-child", "--clinic", clinic.slug, "--output", str(exported))
    assert out.strip() == (
        "Wrote FHIR Questionnaire fdi-child 1.0.0 (the wording installed at lakeside) to "
        f"{exported}"
    )
    resource = json.loads(exported.read_text(encoding="utf-8"))
    Questionnaire.model_validate(resource)
    assert resource["item"][2]["text"] == "Licensed wording 3"

    out, _ = run("install", str(exported), "--clinic", other_clinic.slug)
    assert "Installed item text for fdi-child 1.0.0 from fdi-child.fhir.json" in out
    theirs = instrument_with_text(other_clinic, "fdi-child")
    ours = instrument_with_text(clinic, "fdi-child")
    assert [item.text for item in theirs.items] == [item.text for item in ours.items]
    # the licence is the sister clinic's to state, not taken from Lakeside's file
    assert theirs.pack is not None and theirs.pack.licensed_to is None
    # The sister clinic's export is the same Questionnaire, but for the licensee.
    out, _ = run("export-fhir", "fdi-child", "--clinic", other_clinic.slug)
    theirs_exported = json.loads(out)
    assert "extension" not in theirs_exported and "licensed to" not in theirs_exported["copyright"]
    assert theirs_exported["item"] == resource["item"]


def test_installing_a_clinics_own_export_changes_nothing(tmp_path: Path, clinic: Any) -> None:
    run("install", str(write_pack(tmp_path)), "--clinic", clinic.slug)
    exported = tmp_path / "fdi-child.fhir.json"
    run("export-fhir", "fdi-child", "--clinic", clinic.slug, "--output", str(exported))
    run("install", str(exported), "--clinic", clinic.slug)
    assert InstrumentPack.objects.get().revision == 1


def test_a_mismatched_questionnaire_is_refused_and_nothing_is_installed(
    tmp_path: Path, clinic: Any
) -> None:
    run("install", str(write_pack(tmp_path)), "--clinic", clinic.slug)
    out, _ = run("export-fhir", "fdi-child", "--clinic", clinic.slug)
    resource = json.loads(out)
    assert resource["item"].pop()["linkId"] == "15"
    path = tmp_path / "short.fhir.json"
    path.write_text(json.dumps(resource), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("install", str(path), "--clinic", clinic.slug)
    assert str(caught.value).startswith(
        "pack not installed: short.fhir.json: item: the questions' linkIds must be exactly"
    )
    assert str(caught.value).endswith("missing 15")
    assert InstrumentPack.objects.count() == 1


def test_another_fhir_resource_is_refused(tmp_path: Path, clinic: Any) -> None:
    path = tmp_path / "patient.json"
    path.write_text('{"resourceType": "Patient"}', encoding="utf-8")
    with pytest.raises(CommandError, match="resourceType is 'Patient'; only a FHIR Questionnaire"):
        run("install", str(path), "--clinic", clinic.slug)


@pytest.mark.django_db
def test_export_names_an_unknown_instrument_and_needs_an_id() -> None:
    with pytest.raises(CommandError, match="unknown instrument 'fdi-teen'; known instruments:"):
        run("export-fhir", "fdi-teen")
    with pytest.raises(CommandError, match=r"usage: backto instruments export-fhir ID"):
        run("export-fhir")
    with pytest.raises(CommandError, match="--output is for export-fhir only"):
        run("list", "--output", "x.json")


def test_exporting_a_clinics_licensed_wording_is_on_record(tmp_path: Path, clinic: Any) -> None:
    run("export-fhir", "fdi-child", "--clinic", clinic.slug)
    assert not AuditEvent.objects.filter(action="export").exists()  # only neutral labels left
    run("install", str(write_pack(tmp_path)), "--clinic", clinic.slug)
    run("export-fhir", "fdi-child", "--clinic", clinic.slug)
    event = AuditEvent.objects.get(action="export")
    assert event.object_type == "instrumentpack" and event.object_id == "fdi-child"
