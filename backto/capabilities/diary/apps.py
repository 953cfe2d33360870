from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "backto.capabilities.diary"
    label = "diary"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backto.capabilities.diary import alert_sources
        from backto.capabilities.diary.reminders import send_due_reminders_task
        from backto.core.sweeps import register_sweep

        alert_sources.register()  # the alert page reads the entry that raised an alert
        register_sweep("diary reminders", send_due_reminders_task)
