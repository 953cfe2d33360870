from django.urls import URLPattern, path

from backto.readers.fhir import views

app_name = "fhir"

# No address here ends its words in "_id": a FHIR id is not one of the record ids the pages'
# loaders take (tests/core/test_url_permissions.py walks those).
urlpatterns: list[URLPattern] = [
    path("fhir", views.transaction_bundle, name="transaction"),
    path("fhir/metadata", views.metadata, name="metadata"),
    path("fhir/openapi.json", views.openapi, name="openapi"),
    path("fhir/CodeSystem/<str:ident>", views.code_system, name="code_system"),
    path("fhir/Patient/<str:ident>/$everything", views.patient_everything, name="everything"),
    path("fhir/<str:type_name>", views.search, name="search"),
    path("fhir/<str:type_name>/<str:ident>", views.read, name="read"),
]
