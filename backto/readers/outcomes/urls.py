from django.urls import path

from backto.readers.outcomes import views

urlpatterns = [
    path("outcomes/", views.outcomes, name="outcomes"),
    path("outcomes/export.zip", views.outcomes_export, name="outcomes_export"),
]
