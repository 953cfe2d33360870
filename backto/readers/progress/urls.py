from django.urls import path

from backto.readers.progress import views

urlpatterns = [
    path("episodes/<int:episode_id>/progress/", views.progress_page, name="progress"),
    path("episodes/<int:episode_id>/reports/<slug:kind>.pdf", views.report_pdf, name="report_pdf"),
]
