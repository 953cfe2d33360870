from django.urls import path

from backto.capabilities.instruments import views

urlpatterns = [
    path("manage/questionnaires/", views.questionnaires, name="instrument_admin"),
]
