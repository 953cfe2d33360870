from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "backto.capabilities.measures"
    label = "measures"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backto.capabilities.measures import receivers  # noqa: F401  (schedule on episode transitions)
