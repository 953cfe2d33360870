from django.urls import path

from backto.capabilities.wins import views

urlpatterns = [
    path("patients/<int:patient_id>/wins/", views.win_list, name="win_list"),
    path("wins/<int:win_id>/react/", views.win_react, name="win_react"),
]
