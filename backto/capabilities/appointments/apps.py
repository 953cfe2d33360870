from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "backto.capabilities.appointments"
    label = "appointments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backto.capabilities.appointments.reminders import send_appointment_reminders_task
        from backto.core.sweeps import register_sweep

        register_sweep("appointment reminders", send_appointment_reminders_task)
