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

        alert_sources.register()  # the alert page reads the questionnaire that raised an alert
