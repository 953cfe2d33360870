from django.urls import path

from backto.readers.research import views

urlpatterns = [
    path("research/", views.research, name="research"),
    path("research/studies/", views.research_study_new, name="research_study_new"),
    path("research/export.zip", views.research_export_zip, name="research_export"),
]
