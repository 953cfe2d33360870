from django.urls import path

from backto.capabilities.homeprogram import views

urlpatterns = [
    path("clinic/exercises/", views.exercise_library, name="exercise_library"),
    path(
        "clinic/exercises/starter/",
        views.exercise_library_starter,
        name="exercise_library_starter",
    ),
    path("clinic/exercises/<int:exercise_id>/words/", views.exercise_words, name="exercise_words"),
    path("episodes/<int:episode_id>/home-program/", views.home_program, name="home_program"),
    path(
        "episodes/<int:episode_id>/home-program/add/",
        views.home_program_add,
        name="home_program_add",
    ),
    path(
        "episodes/<int:episode_id>/home-program/dose/",
        views.home_program_dose,
        name="home_program_dose",
    ),
    path(
        "episodes/<int:episode_id>/home-program/stop/",
        views.home_program_stop,
        name="home_program_stop",
    ),
    path(
        "episodes/<int:episode_id>/home-program/sheet/",
        views.home_program_sheet,
        name="home_program_sheet",
    ),
    path("episodes/<int:episode_id>/exercises/", views.exercises_today, name="exercises_today"),
    path("exercises/<int:exercise_id>/media", views.exercise_media, name="exercise_media"),
]
