from django.urls import path

from backto.capabilities.clinicsetup import views

urlpatterns = [
    path("manage/clinic/test-email/", views.clinic_test_email, name="clinic_test_email"),
    path(
        "manage/clinic/email-works/<str:token>/",
        views.clinic_email_confirm,
        name="clinic_email_confirm",
    ),
    path("manage/clinic/backups/", views.clinic_backups_confirm, name="clinic_backups_confirm"),
]
