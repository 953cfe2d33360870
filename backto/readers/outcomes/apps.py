from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "backto.readers.outcomes"
    label = "outcomes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backto.readers.outcomes import rows

        rows.connect()  # keep the outcome rows true to the records they derive from
