"""`backto instruments` lists instruments and installs licensed item-text packs, all or nothing."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from backto.audit.models import AuditEvent
from backto.capabilities.instruments.models import InstrumentPack
from backto.capabilities.instruments.queries import instrument_with_text


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("instruments", *args, stdout=out)
    return out.getvalue()


def write_pack(tmp_path: Path, name: str = "clinic-fdi.json", **changes: Any) -> Path:
    data: dict[str, Any] = {
        "instrument": "fdi-child",
        "version": "1.0.0",
        "licensed_to": "Lakeside Pain Program",
        "items": {str(n): f"Licensed wording {n}" for n in range(1, 16)},
    }
    data.update(changes)
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def row_for(listing: str, instrument_id: str) -> str:
    return next(line for line in listing.splitlines() if line.startswith(instrument_id + " "))


@pytest.mark.django_db
def test_it_lists_every_instrument_with_version_licence_and_text_status() -> None:
    listing = run()
    assert listing.splitlines()[0].split() == [
        "id",
        "version",
        "respondent",
        "status",
        "licence",
        "holder",
        "item",
        "text",
    ]
    assert "ships with BackTo" in row_for(listing, "nrs-pain")
    fdi = row_for(listing, "fdi-child")
    assert "1.0.0" in fdi and "Walker & Greene" in fdi and "not installed" in fdi
    assert "disabled" in row_for(listing, "ppst")
    assert "ppst is disabled: risk thresholds must be checked" in listing


def test_it_installs_a_matching_pack_for_one_clinic_only(
    tmp_path: Path, clinic: Any, other_clinic: Any
) -> None:
    output = run("install", str(write_pack(tmp_path)), "--clinic", clinic.slug)
    assert "Installed item text for fdi-child 1.0.0 from clinic-fdi.json" in output
    pack = InstrumentPack.objects.get()
    assert (pack.instrument_id, pack.version, pack.licensed_to) == (
        "fdi-child",
        "1.0.0",
        "Lakeside Pain Program",
    )
    assert pack.clinic == clinic
    assert instrument_with_text(clinic, "fdi-child").item("3").text == "Licensed wording 3"
    # Another clinic's licence is not this one's: it still sees the neutral labels.
    assert instrument_with_text(other_clinic, "fdi-child").item("3").text is None
    assert "installed" in row_for(run("--clinic", clinic.slug), "fdi-child")
    assert "not installed" in row_for(run("--clinic", other_clinic.slug), "fdi-child")
    event = AuditEvent.objects.get(object_type="instrumentpack")
    assert event.action == "create"
    assert "fdi-child 1.0.0" in event.detail


def test_installing_again_adds_a_revision_and_the_newest_is_used(
    tmp_path: Path, clinic: Any
) -> None:
    run("install", str(write_pack(tmp_path)), "--clinic", clinic.slug)
    run("install", str(write_pack(tmp_path)), "--clinic", clinic.slug)  # the same: no new one
    run(
        "install", str(write_pack(tmp_path, licensed_to="Hillside Clinic")), "--clinic", clinic.slug
    )
    revisions = list(InstrumentPack.objects.values_list("revision", "licensed_to"))
    assert revisions == [(1, "Lakeside Pain Program"), (2, "Hillside Clinic")]
    assert instrument_with_text(clinic, "fdi-child").pack.licensed_to == "Hillside Clinic"
    assert instrument_with_text(clinic, "fdi-child", revision=1).pack.licensed_to == (
        "Lakeside Pain Program"
    )


def test_a_mismatched_pack_is_refused_naming_the_file_and_linkids(
    tmp_path: Path, clinic: Any
) -> None:
    items = {str(n): f"Wording {n}" for n in range(1, 15)} | {"99": "Extra"}
    with pytest.raises(CommandError) as caught:
        run("install", str(write_pack(tmp_path, items=items)), "--clinic", clinic.slug)
    message = str(caught.value)
    assert message.startswith("pack not installed: clinic-fdi.json (fdi-child 1.0.0): items:")
    assert "missing 15; not in the instrument: 99" in message
    assert not InstrumentPack.objects.exists()
    assert not AuditEvent.objects.filter(object_type="instrumentpack").exists()


def test_a_pack_for_an_unknown_instrument_is_refused(tmp_path: Path, clinic: Any) -> None:
    with pytest.raises(CommandError, match="unknown instrument 'fdi-teen'; known instruments:"):
        run("install", str(write_pack(tmp_path, instrument="fdi-teen")), "--clinic", clinic.slug)


def test_install_needs_a_file_and_a_clinic(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="usage: backto instruments install PACK_FILE --clinic"):
        run("install")
    with pytest.raises(CommandError, match="usage: backto instruments install PACK_FILE --clinic"):
        run("install", str(write_pack(tmp_path)))


@pytest.mark.django_db
def test_an_unknown_clinic_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no clinic 'nowhere'"):
        run("install", str(write_pack(tmp_path)), "--clinic", "nowhere")


def test_without_a_pack_an_instrument_keeps_its_neutral_labels(clinic: Any) -> None:
    fdi = instrument_with_text(clinic, "fdi-child")
    assert fdi.item("1").text is None
    assert fdi.item("1").label == "FDI item 1"
