from django.urls import path

from backto.capabilities.appointments import views

urlpatterns = [
    path("patients/<int:patient_id>/appointments/", views.appointments, name="appointments"),
    path(
        "patients/<int:patient_id>/appointments/book/",
        views.appointment_book,
        name="appointment_book",
    ),
    path(
        "patients/<int:patient_id>/appointments/change/",
        views.appointment_change,
        name="appointment_change",
    ),
    path(
        "patients/<int:patient_id>/appointments/status/",
        views.appointment_status,
        name="appointment_status",
    ),
    path("week/", views.week, name="week"),
    path("family/week/", views.family_week, name="family_week"),
    path("calendar/", views.calendar_feed, name="calendar_feed"),
    path("calendar/reset/", views.calendar_feed_reset, name="calendar_feed_reset"),
    path("calendar/<str:token>.ics", views.calendar_ics, name="calendar_ics"),
]
