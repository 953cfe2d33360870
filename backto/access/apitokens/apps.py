from django.apps import AppConfig


class ApiTokensConfig(AppConfig):
    name = "backto.access.apitokens"
    label = "apitokens"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "API tokens"
