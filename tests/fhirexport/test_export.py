"""The clinic's bulk export end to end: kick-off, the job in the tasks worker, status, manifest
and files (every line parsed with its R4B model), permissions, teen privacy, cancel and expiry."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import pytest

from backto.audit.models import Action, AuditEvent
from backto.readers.fhir.catalogue import TYPES
from backto.readers.fhir.sources import base_url
from backto.readers.fhirexport.actions import export_start
from backto.readers.fhirexport.files import job_folder
from backto.readers.fhirexport.models import ExportJob, ExportState
from backto.readers.fhirexport.running import progress_text, run_export
from backto.readers.fhirexport.tasks import expire_exports_task, run_export_task
from tests.conftest import PINNED_AT, make_user
from tests.fhir.conftest import forced_token, token_for
from tests.fhirexport.conftest import FAMILY_WORDS, NOTE, TEEN_WORDS, join_team


def job_of(reply: Any) -> ExportJob:
    assert reply.status == 202, reply.content
    return ExportJob.objects.get(pk=reply.headers["Content-Location"].rsplit("/", 1)[1])


def finished(exporter: Any, job: ExportJob) -> dict[str, Any]:
    """Run the job as the worker does, then read its manifest."""
    assert run_export_task.call(str(job.pk)) == ExportState.COMPLETED
    reply = exporter.call(f"/fhir/$export-status/{job.pk}")
    assert reply.status == 200, reply.content
    assert reply.headers["Content-Type"] == "application/json"
    return reply.body


def files(exporter: Any, manifest: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found = {}
    for output in manifest["output"]:
        reply = exporter.call(output["url"])
        assert reply.status == 200
        assert reply.headers["Content-Type"] == "application/fhir+ndjson"
        lines = reply.lines()
        assert len(lines) == output["count"]
        assert {r["resourceType"] for r in lines} == {output["type"]}
        found[output["type"]] = lines
    return found


# --- Kick-off ---------------------------------------------------------------------------------


def test_a_kickoff_without_prefer_respond_async_is_refused_naming_the_header(exporter, cora):
    reply = exporter(cora).kickoff(prefer=False)
    assert reply.status == 400
    assert reply.expressions == ["Prefer"] and "respond-async" in reply.diagnostics
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    ("query", "named", "words"),
    [
        ("_type=Patient,Specimen", "_type", "Specimen"),
        ("_type=Questionnaire", "_type", "Questionnaire"),
        ("_outputFormat=text/csv", "_outputFormat", "application/fhir+ndjson"),
        ("_since=2026-06-01", "_since", "instant"),
        ("_since=yesterday", "_since", "instant"),
        ("deidentified=yes", "deidentified", "'true' or 'false'"),
        ("_typeFilter=Observation%3Fcode%3Dx", "_typeFilter", "_type"),
        ("_type=Patient&_type=Goal", "_type", "more than once"),
        ("deidentified=true&_type=Communication", "_type", "de-identified"),
    ],
)
def test_bad_kickoff_parameters_are_400_naming_the_parameter(exporter, cora, query, named, words):
    reply = exporter(cora).kickoff(query)
    assert reply.status == 400, reply.content
    assert reply.expressions == [named]
    assert words in reply.diagnostics
    assert not ExportJob.objects.exists()


def test_a_kickoff_queues_one_job_and_audits_it_without_names(exporter, cora, maya):
    reply = exporter(cora).kickoff(
        "_type=Patient,Observation&_outputFormat=application/fhir%2Bndjson"
        "&_since=2026-01-01T00:00:00Z"
    )
    job = job_of(reply)
    assert reply.headers["Content-Location"] == f"{base_url()}/$export-status/{job.pk}"
    assert job.state == ExportState.QUEUED and job.requested_by == cora
    assert job.types == ["Patient", "Observation"] and not job.deidentified and not job.secret
    assert job.since is not None and job.since.year == 2026
    event = AuditEvent.objects.get(action=Action.EXPORT, object_id=str(job.pk))
    assert "Maya" not in event.detail and "Patient,Observation" in event.detail


def test_the_patient_level_kickoff_leaves_the_staff_out(exporter, cora):
    job = job_of(exporter(cora).kickoff(path="/fhir/Patient/$export"))
    assert "Practitioner" not in job.types and "Patient" in job.types
    assert set(job.types) < set(TYPES)


# --- Who may export ---------------------------------------------------------------------------


def test_a_physical_therapist_without_bulk_export_is_refused(exporter, pat, cora):
    assert exporter(pat).kickoff().status == 403
    assert AuditEvent.objects.filter(
        action=Action.PERMISSION_DENIED, object_type="fhir_export"
    ).exists()
    job = job_of(exporter(cora).kickoff())
    assert exporter(pat).call(f"/fhir/$export-status/{job.pk}").status == 403
    assert not ExportJob.objects.filter(requested_by=pat).exists()


def test_a_guardian_cannot_export_at_all(exporter, gina, maya):
    assert exporter(None, token=forced_token(gina)).kickoff().status == 401
    assert not ExportJob.objects.exists()


def test_another_clinics_export_is_404_to_its_coordinator(exporter, cora, other_clinic, record):
    job = job_of(exporter(cora).kickoff())
    manifest = finished(exporter(cora), job)
    oscar = make_user(other_clinic, "oscar", roles=("coordinator",))
    theirs = exporter(oscar)
    assert theirs.call(f"/fhir/$export-status/{job.pk}").status == 404
    assert theirs.call(manifest["output"][0]["url"]).status == 404
    assert theirs.call(f"/fhir/$export-status/{job.pk}", method="delete").status in (403, 404)
    assert ExportJob.objects.get(pk=job.pk).state == ExportState.COMPLETED


def test_the_clinic_admin_may_follow_the_coordinators_export(exporter, cora, ada, record):
    job = job_of(exporter(cora).kickoff("_type=Patient"))
    finished(exporter(cora), job)
    assert exporter(ada).call(f"/fhir/$export-status/{job.pk}").status == 200


# --- The whole flow ---------------------------------------------------------------------------


def test_the_whole_flow_from_kickoff_to_files(exporter, cora, maya, gina, record):
    me = exporter(cora)
    job = job_of(me.kickoff())
    waiting = me.call(f"/fhir/$export-status/{job.pk}")
    assert waiting.status == 202 and waiting.headers["X-Progress"] == "Queued"
    assert int(waiting.headers["Retry-After"]) > 0

    manifest = finished(me, job)
    assert manifest["requiresAccessToken"] is True
    assert manifest["request"].endswith("/fhir/$export")
    assert manifest["transactionTime"] == job.requested_at.isoformat()
    assert manifest["error"] == []
    found = files(me, manifest)
    job.refresh_from_db()
    assert job.state == ExportState.COMPLETED and job.finished_at is not None
    assert job.expires_at == job.finished_at + timedelta(hours=24)
    assert {o["type"]: o["count"] for o in manifest["output"]} == {
        k: v for k, v in job.counts.items() if v
    }
    assert [p["id"] for p in found["Patient"]] == [str(maya.pk)]
    assert {r["id"] for r in found["RelatedPerson"]} == {str(gina.guardianships.get().pk)}
    assert f"score-{record['score'].pk}" in {o["id"] for o in found["Observation"]}
    assert f"diary-{record['diary'].pk}" in {o["id"] for o in found["Observation"]}
    assert [g["id"] for g in found["Goal"]] == [str(record["goal"].pk)]
    assert {"QuestionnaireResponse", "Practitioner", "Communication"} <= set(found)
    # each file's download is audited, without names
    downloads = AuditEvent.objects.filter(
        action=Action.EXPORT, object_id=str(job.pk), detail__startswith="fhir $export file"
    )
    assert downloads.count() == len(manifest["output"])
    assert not AuditEvent.objects.filter(detail__icontains="Maya").exists()


def test_a_running_export_says_how_far_it_has_got(exporter, cora, record):
    me = exporter(cora)
    job = job_of(me.kickoff())
    assert export_start(job_id=job.pk, now=job.requested_at)
    reply = me.call(f"/fhir/$export-status/{job.pk}")
    assert reply.status == 202 and reply.headers["X-Progress"] == "Starting"
    assert progress_text(["Patient"], "Observation", 40) == "Patient done, Observation 40 %"
    assert run_export(job.pk) == ExportState.RUNNING  # taken by another worker: not run twice
    assert ExportJob.objects.get(pk=job.pk).state == ExportState.RUNNING


def test_a_failed_export_answers_an_operation_outcome(exporter, cora, record):
    me = exporter(cora)
    job = job_of(me.kickoff())
    cora.staff_roles.all().delete()  # no longer may export by the time the worker runs
    assert run_export_task.call(str(job.pk)) == ExportState.FAILED
    ExportJob.objects.filter(pk=job.pk).update(
        requested_by=make_user(cora.clinic, "cleo", roles=("coordinator",))
    )
    reply = exporter(cora.clinic.users.get(username="cleo")).call(f"/fhir/$export-status/{job.pk}")
    assert reply.status == 500
    assert reply.body["resourceType"] == "OperationOutcome" and "no longer" in reply.diagnostics


def test_a_type_the_role_may_not_read_is_named_in_the_error_file(exporter, ada, record):
    me = exporter(ada)
    job = job_of(me.kickoff())
    manifest = finished(me, job)
    refused = ExportJob.objects.get(pk=job.pk).refused
    assert "QuestionnaireResponse" in refused  # not a clinical role: no item-level answers
    assert manifest["error"][0]["type"] == "OperationOutcome"
    outcomes = me.call(manifest["error"][0]["url"]).lines()
    assert len(outcomes) == len(refused)
    assert all(t not in {o["type"] for o in manifest["output"]} for t in refused)


# --- Teen privacy -----------------------------------------------------------------------------


def text_of(exporter: Any, user: Any) -> str:
    me = exporter(user)
    manifest = finished(me, job_of(me.kickoff()))
    return "\n".join(me.call(o["url"]).content.decode() for o in manifest["output"])


def test_the_coordinators_export_follows_the_coordinators_viewer(exporter, cora, record):
    off_team = text_of(exporter, cora)
    assert NOTE not in off_team and "daily-diary.mood" not in off_team
    assert "daily-diary.activity" in off_team  # what is not private is there
    assert FAMILY_WORDS in off_team
    join_team(cora, record["episode"])
    on_team = text_of(exporter, cora)
    assert NOTE in on_team and "daily-diary.mood" in on_team


def test_the_teens_own_conversation_stays_with_her_care_team(exporter, cora, record):
    assert TEEN_WORDS not in text_of(exporter, cora)
    join_team(cora, record["episode"])
    assert TEEN_WORDS in text_of(exporter, cora)


# --- Cancel and expiry ------------------------------------------------------------------------


def test_delete_cancels_and_removes_the_files(exporter, cora, record):
    me = exporter(cora)
    job = job_of(me.kickoff())
    manifest = finished(me, job)
    assert job_folder(job).is_dir()
    assert me.call(f"/fhir/$export-status/{job.pk}", method="delete").status == 403  # read token
    writer = exporter(None, token=token_for(cora, "read_write"))
    assert writer.call(f"/fhir/$export-status/{job.pk}", method="delete").status == 202
    assert not job_folder(job).exists()
    assert me.call(f"/fhir/$export-status/{job.pk}").status == 404
    assert me.call(manifest["output"][0]["url"]).status == 404
    assert AuditEvent.objects.filter(action=Action.DELETE, object_id=str(job.pk)).exists()


def test_a_queued_export_cancelled_never_runs(exporter, cora, record):
    job = job_of(exporter(cora).kickoff())
    writer = exporter(None, token=token_for(cora, "read_write"))
    assert writer.call(f"/fhir/$export-status/{job.pk}", method="delete").status == 202
    assert run_export_task.call(str(job.pk)) == ExportState.CANCELLED
    assert not job_folder(job).exists()


def test_files_expire_after_a_day_and_the_sweep_deletes_them(exporter, cora, record, clock):
    me = exporter(cora)
    job = job_of(me.kickoff())
    manifest = finished(me, job)
    clock.shift(timedelta(hours=23, minutes=59))
    assert expire_exports_task.call() == 0
    assert me.call(manifest["output"][0]["url"]).status == 200
    clock.shift(timedelta(minutes=2))
    assert me.call(manifest["output"][0]["url"]).status == 404
    assert me.call(f"/fhir/$export-status/{job.pk}").status == 404
    assert job_folder(job).is_dir()
    assert expire_exports_task.call() == 1
    assert not job_folder(job).exists()
    assert ExportJob.objects.get(pk=job.pk).state == ExportState.EXPIRED


def test_the_expiry_sweep_is_registered():
    from backto.core.sweeps import registered_sweeps

    assert registered_sweeps()["FHIR bulk export expiry"] is expire_exports_task


def test_since_keeps_the_resources_of_that_day_and_after(exporter, cora, maya, record, client):
    me = exporter(cora)
    since = (PINNED_AT - timedelta(days=1)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    found = files(me, finished(me, job_of(me.kickoff(f"_since={since}"))))
    observations = {o["id"] for o in found["Observation"]}
    assert f"diary-{record['diary'].pk}" in observations  # today's
    assert f"score-{record['score'].pk}" not in observations  # three days ago
    assert "QuestionnaireResponse" not in found
    assert [p["id"] for p in found["Patient"]] == [str(maya.pk)]  # undated: always there


def test_a_head_request_starts_nothing(exporter, cora, client):
    token = token_for(cora)
    response = client.head(
        "/fhir/$export", headers={"Authorization": f"Bearer {token}", "Prefer": "respond-async"}
    )
    assert response.status_code == 405
    assert not ExportJob.objects.exists()
