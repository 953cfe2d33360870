"""The template-week pages (the coordinator's), mounted by backto/urls.py."""

from django.urls import path

from backto.capabilities.appointments import timetable_views as views

urlpatterns = [
    path("clinic/timetables/", views.timetables, name="timetables"),
    path("clinic/timetables/new/", views.timetable_new, name="timetable_new"),
    path("clinic/timetables/<int:timetable_id>/", views.timetable_edit, name="timetable_edit"),
    path(
        "clinic/timetables/<int:timetable_id>/active/",
        views.timetable_active,
        name="timetable_active",
    ),
    path("episodes/<int:episode_id>/timetable/", views.timetable_apply, name="timetable_apply"),
]
