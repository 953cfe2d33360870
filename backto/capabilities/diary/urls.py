from django.urls import path

from backto.capabilities.diary import calendar_views, reminder_views, views

urlpatterns = [
    path("patients/<int:patient_id>/diary/", views.diary_today, name="diary_today"),
    path(
        "patients/<int:patient_id>/diary/calendar/",
        calendar_views.diary_calendar_view,
        name="diary_calendar",
    ),
    path(
        "patients/<int:patient_id>/diary/pain/question/",
        views.diary_pain_question,
        name="diary_pain_question",
    ),
    path(
        "patients/<int:patient_id>/diary/pain/family/",
        views.diary_pain_family,
        name="diary_pain_family",
    ),
    path("reminders/", reminder_views.reminders, name="reminders"),
    path(
        "patients/<int:patient_id>/diary/reminder/",
        reminder_views.diary_reminder,
        name="diary_reminder",
    ),
]
