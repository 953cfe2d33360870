from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "backto.capabilities.measures"
    label = "measures"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backto.capabilities.measures import (
            alert_sources,
            receivers,  # noqa: F401  (schedule on episode transitions)
        )
        from backto.capabilities.measures.tasks import mark_due_task
        from backto.core.sweeps import register_sweep

        alert_sources.register()  # the alert page reads the questionnaire that raised an alert
        register_sweep("questionnaires due", mark_due_task)
