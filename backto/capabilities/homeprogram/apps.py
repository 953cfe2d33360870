from django.apps import AppConfig


class HomeProgramConfig(AppConfig):
    name = "backto.capabilities.homeprogram"
    label = "homeprogram"
    default_auto_field = "django.db.models.BigAutoField"
