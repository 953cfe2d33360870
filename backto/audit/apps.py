from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "backto.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backto.audit import signals  # noqa: F401  (sign-in events)
