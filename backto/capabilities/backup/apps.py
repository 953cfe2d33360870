from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "backto.capabilities.backup"
    label = "backup"
    verbose_name = "Backups"
    default_auto_field = "django.db.models.BigAutoField"
