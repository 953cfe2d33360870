from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "backto.capabilities.diary"
    label = "diary"
    default_auto_field = "django.db.models.BigAutoField"
