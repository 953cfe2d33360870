from django.apps import AppConfig


class QuestionnaireRemindersConfig(AppConfig):
    name = "backto.capabilities.questionnairereminders"
    label = "questionnairereminders"
    verbose_name = "Questionnaire reminders"
    default_auto_field = "django.db.models.BigAutoField"
