from django.urls import path

from backto.readers.auditlog import views

urlpatterns = [
    path("manage/audit/", views.audit_log, name="audit_log"),
    path("patients/<int:patient_id>/access-log/", views.access_log, name="access_log"),
]
