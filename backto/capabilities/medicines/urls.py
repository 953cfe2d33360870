from django.urls import path

from backto.capabilities.medicines import views

urlpatterns = [
    path("patients/<int:patient_id>/medicines/", views.medicine_list, name="medicine_list"),
    path(
        "patients/<int:patient_id>/medicines/confirm/",
        views.medicines_confirm,
        name="medicines_confirm",
    ),
    path("medicines/<int:medicine_id>/edit/", views.medicine_edit, name="medicine_edit"),
    path("medicines/<int:medicine_id>/stop/", views.medicine_stop, name="medicine_stop"),
    path("clinic/medicine-names/", views.medicine_names, name="medicine_names"),
    path("clinic/medicine-names/start/", views.medicine_names_start, name="medicine_names_start"),
    path(
        "clinic/medicine-names/<int:medicine_name_id>/",
        views.medicine_name_save,
        name="medicine_name_save",
    ),
]
