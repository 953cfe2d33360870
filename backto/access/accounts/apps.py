from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backto.access.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backto.access.accounts import signals  # noqa: F401  (connects the sign-in receiver)
