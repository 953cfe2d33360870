from django.apps import AppConfig


class CarePlanConfig(AppConfig):
    name = "backto.capabilities.careplan"
    label = "careplan"
    default_auto_field = "django.db.models.BigAutoField"
