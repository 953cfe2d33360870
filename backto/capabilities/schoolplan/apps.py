from django.apps import AppConfig


class SchoolPlanConfig(AppConfig):
    name = "backto.capabilities.schoolplan"
    label = "schoolplan"
    default_auto_field = "django.db.models.BigAutoField"
