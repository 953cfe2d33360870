from django.apps import AppConfig


class WinsConfig(AppConfig):
    name = "backto.capabilities.wins"
    label = "wins"
    default_auto_field = "django.db.models.BigAutoField"
