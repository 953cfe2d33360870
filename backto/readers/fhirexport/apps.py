from django.apps import AppConfig


class FhirExportConfig(AppConfig):
    name = "backto.readers.fhirexport"
    label = "fhirexport"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "FHIR bulk export"

    def ready(self) -> None:
        from backto.core.sweeps import register_sweep
        from backto.readers.fhirexport.tasks import expire_exports_task

        register_sweep("FHIR bulk export expiry", expire_exports_task)
