from django.urls import path

from backto.instruments import views

urlpatterns = [
    path("manage/questionnaires/", views.questionnaires, name="instrument_admin"),
]
