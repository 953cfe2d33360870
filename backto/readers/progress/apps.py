from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "backto.readers.progress"
    label = "progress"
    default_auto_field = "django.db.models.BigAutoField"
