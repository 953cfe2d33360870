from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "backto.readers.research"
    label = "research"
    default_auto_field = "django.db.models.BigAutoField"
