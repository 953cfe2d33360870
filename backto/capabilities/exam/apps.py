from django.apps import AppConfig


class ExamConfig(AppConfig):
    name = "backto.capabilities.exam"
    label = "exam"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Clinical exam"
