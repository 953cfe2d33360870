from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "backto.capabilities.messaging"
    label = "messaging"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backto.capabilities.messaging import safety
        from backto.capabilities.messaging.digest import send_digests_task
        from backto.core.sweeps import register_sweep

        safety.register()  # the alert page reads the message that raised an alert
        register_sweep("message digest", send_digests_task)
