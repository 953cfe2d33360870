from django.apps import AppConfig


class FamilyAppConfig(AppConfig):
    name = "backto.capabilities.familyapp"
    label = "familyapp"
    default_auto_field = "django.db.models.BigAutoField"
