from django.apps import AppConfig


class QuestionnaireRemindersConfig(AppConfig):
    name = "backto.capabilities.questionnairereminders"
    label = "questionnairereminders"
    verbose_name = "Questionnaire reminders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from backto.capabilities.questionnairereminders.reminders import (
            send_questionnaire_reminders_task,
        )
        from backto.core.sweeps import register_sweep

        register_sweep("questionnaire reminders", send_questionnaire_reminders_task)
