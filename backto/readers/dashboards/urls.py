from django.urls import path

from backto.readers.dashboards import views

urlpatterns = [
    path("clinic/", views.clinician_home, name="clinician_home"),
    path("family/", views.family_home, name="family_home"),
    path("patients/<int:patient_id>/", views.patient_overview, name="patient_overview"),
]
