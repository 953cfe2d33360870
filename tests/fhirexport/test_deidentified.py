"""The de-identified export: no names, contact details, record ids, full birth dates or words
of the family's in the bytes; dates of a child moved by one offset (intervals kept); pseudonyms
consistent within an export and different between two."""

from __future__ import annotations

from datetime import date
from typing import Any

from backto.readers.fhirexport.deidentify import GOAL_WORDS, Deidentifier
from backto.readers.fhirexport.models import ExportJob
from tests.fhirexport.conftest import FAMILY_WORDS, GOAL_TITLE, NOTE, TEEN_WORDS, join_team
from tests.fhirexport.test_export import files, finished, job_of


def export(exporter: Any, user: Any) -> tuple[ExportJob, dict[str, list[dict[str, Any]]], bytes]:
    me = exporter(user)
    job = job_of(me.kickoff("deidentified=true"))
    manifest = finished(me, job)
    found = files(me, manifest)
    raw = b"".join(me.call(o["url"]).content for o in manifest["output"])
    return ExportJob.objects.get(pk=job.pk), found, raw


def test_no_names_contacts_free_text_or_people_other_than_the_child(
    exporter, cora, maya, gina, pat, record
):
    join_team(cora, record["episode"])  # sees everything a care team sees, and still none of it
    job, found, raw = export(exporter, cora)
    assert job.deidentified and len(job.secret) == 64
    text = raw.decode()
    for words in (
        "Maya",
        "Lindqvist",
        "Rose",
        gina.email,
        "Gina",
        pat.email,
        "Pat PT",
        cora.clinic.name,
        NOTE,
        TEEN_WORDS,
        FAMILY_WORDS,
        GOAL_TITLE,
        "Dances in the show",
        "Misses every class",
    ):
        assert words not in text, words
    assert set(found) & {"RelatedPerson", "Practitioner", "Communication"} == set()
    assert {"Patient", "Observation", "Goal", "QuestionnaireResponse"} <= set(found)
    assert [g["description"]["text"] for g in found["Goal"]] == [GOAL_WORDS]
    assert "daily-diary.mood" in text  # the teen's coded answers stay, for her care team's export


def test_ids_and_references_are_pseudonyms_and_the_birth_date_keeps_its_year(
    exporter, cora, maya, record
):
    job, found, raw = export(exporter, cora)
    text = raw.decode()
    real = {
        str(maya.pk),
        f"score-{record['score'].pk}",
        f"diary-{record['diary'].pk}",
        str(record["goal"].pk),
        str(record["score"].pk),
    }
    ids = {r["id"] for rs in found.values() for r in rs}
    assert not ids & real
    assert f'"Patient/{maya.pk}"' not in text and f'"Goal/{record["goal"].pk}"' not in text
    (child,) = found["Patient"]
    assert child["birthDate"] == str(maya.date_of_birth.year)
    assert maya.date_of_birth.isoformat() not in text
    assert "name" not in child and "managingOrganization" not in child
    pseudonym = Deidentifier(job.secret).pseudonym("Patient", str(maya.pk))
    assert child["id"] == pseudonym
    # every reference to the child is the same pseudonym, in every type
    assert {o["subject"]["reference"] for o in found["Observation"]} == {f"Patient/{pseudonym}"}
    assert {g["subject"]["reference"] for g in found["Goal"]} == {f"Patient/{pseudonym}"}


def test_a_childs_dates_move_by_one_offset_and_intervals_stay(exporter, cora, maya, record):
    job, found, _ = export(exporter, cora)
    offset = Deidentifier(job.secret).offset(maya.pk)
    assert offset != 0
    diary = next(o for o in found["Observation"] if o["code"]["coding"][0]["code"] == "daily-diary")
    real_diary = record["diary"].day
    assert date.fromisoformat(diary["effectiveDateTime"]) == real_diary.fromordinal(
        real_diary.toordinal() + offset
    )
    (response,) = found["QuestionnaireResponse"]
    authored = record["score"].completed_at
    shifted = response["authored"]
    assert shifted[:10] != authored.isoformat()[:10]
    assert (date.fromisoformat(shifted[:10]) - date.fromisoformat(diary["effectiveDateTime"])) == (
        authored.astimezone(authored.tzinfo).date() - real_diary
    )


def test_two_exports_give_unlinkable_pseudonyms(exporter, cora, maya, record):
    first, found_first, _ = export(exporter, cora)
    second, found_second, _ = export(exporter, cora)
    assert first.secret != second.secret
    assert found_first["Patient"][0]["id"] != found_second["Patient"][0]["id"]


def test_the_walk_drops_free_text_and_people_but_keeps_our_own_words():
    cleaner = Deidentifier("k" * 64)
    resource = {
        "resourceType": "Encounter",
        "id": "7",
        "status": "finished",
        "class": {"code": "AMB"},
        "subject": {"reference": "Patient/3", "display": "Maya"},
        "participant": [{"individual": {"reference": "Practitioner/9"}}],
        "period": {"start": "2026-06-16", "end": "2026-06-16"},
        "extension": [
            {"url": "urn:backto:extension:scoring-engine", "valueString": "1.2"},
            {"url": "description", "valueString": "in their own words"},
        ],
        "note": [{"text": "free text"}],
    }
    out = cleaner.resource(resource, 3)
    assert out is not None
    assert "participant" not in out and "note" not in out
    assert out["subject"] == {"reference": f"Patient/{cleaner.pseudonym('Patient', '3')}"}
    assert out["extension"] == [
        {"url": "urn:backto:extension:scoring-engine", "valueString": "1.2"}
    ]
    assert out["period"]["start"] != "2026-06-16"
    assert cleaner.resource({"resourceType": "Practitioner", "id": "9"}, None) is None
