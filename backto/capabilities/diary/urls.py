from django.urls import path

from backto.capabilities.diary import views

urlpatterns = [
    path("patients/<int:patient_id>/diary/", views.diary_today, name="diary_today"),
    path(
        "patients/<int:patient_id>/diary/calendar/",
        views.diary_calendar_view,
        name="diary_calendar",
    ),
    path(
        "patients/<int:patient_id>/diary/pain/", views.diary_pain_setting, name="diary_pain_setting"
    ),
    path("patients/<int:patient_id>/diary/reminder/", views.diary_reminder, name="diary_reminder"),
]
