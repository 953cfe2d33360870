from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "backto.capabilities.diary"
    label = "diary"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backto.capabilities.diary import alert_sources

        alert_sources.register()  # the alert page reads the entry that raised an alert
