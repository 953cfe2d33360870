from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "backto.capabilities.goals"
    label = "goals"
    default_auto_field = "django.db.models.BigAutoField"
