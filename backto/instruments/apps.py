from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "backto.instruments"
    label = "instruments"
    default_auto_field = "django.db.models.BigAutoField"
