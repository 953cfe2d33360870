from django.urls import URLPattern, path

from backto.readers.fhirexport import views

app_name = "fhirexport"

# Included before the fhir reader's addresses, whose `fhir/<type>` and `fhir/<type>/<id>` would
# take these. The export's id is a random UUID (not a record id: tests/core/test_url_permissions.py
# walks those).
urlpatterns: list[URLPattern] = [
    path("fhir/$export", views.kickoff, name="kickoff"),
    path("fhir/Patient/$export", views.patient_kickoff, name="patient_kickoff"),
    path("fhir/$export-status/<uuid:job>", views.status, name="status"),
    path("fhir/$export-file/<uuid:job>/<str:type_name>.ndjson", views.download, name="download"),
]
