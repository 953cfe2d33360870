"""Where an export's files live: VAR_DIR/fhir-exports/<export id>/<Type>.ndjson, beside the
database and the backups' other files, outside MEDIA_ROOT (never served as media)."""

import shutil
from pathlib import Path

from django.conf import settings

from backto.readers.fhirexport.models import ExportJob

ERRORS = "OperationOutcome"  # the manifest's error file: <folder>/OperationOutcome.ndjson


def exports_root() -> Path:
    return Path(settings.VAR_DIR) / "fhir-exports"


def job_folder(job: ExportJob) -> Path:
    return exports_root() / str(job.pk)


def type_file(job: ExportJob, type_name: str) -> Path:
    return job_folder(job) / f"{type_name}.ndjson"


def remove_files(job: ExportJob) -> None:
    shutil.rmtree(job_folder(job), ignore_errors=True)
