from django.urls import include, path

from backto.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon),
    path("", include("backto.access.accounts.urls")),
    path("", include("backto.core.urls")),
    path("", include("backto.access.patients.urls")),
    path("", include("backto.readers.dashboards.urls")),
    path("", include("backto.readers.auditlog.urls")),
    path("", include("backto.capabilities.goals.urls")),
    path("", include("backto.capabilities.wins.urls")),
    path("", include("backto.capabilities.diary.urls")),
    path("", include("backto.capabilities.intake.urls")),
    path("", include("backto.capabilities.homeprogram.urls")),
    path("", include("backto.capabilities.careplan.urls")),
    path("", include("backto.capabilities.instruments.urls")),
    path("", include("backto.capabilities.measures.urls")),
    path("", include("backto.capabilities.questionnairereminders.urls")),
    path("", include("backto.capabilities.alerts.urls")),
    path("", include("backto.capabilities.schoolplan.urls")),
    path("", include("backto.capabilities.medicines.urls")),
    path("", include("backto.readers.progress.urls")),
    path("", include("backto.readers.outcomes.urls")),
    path("", include("backto.capabilities.learning.urls")),
    path("", include("backto.capabilities.exam.urls")),
    path("", include("backto.capabilities.clinicsetup.urls")),
    path("", include("backto.capabilities.notifications.urls")),
    path("", include("backto.capabilities.familyapp.urls")),
    path("", include("backto.capabilities.messaging.urls")),
    path("", include("backto.capabilities.messaging.settings_urls")),
    path("", include("backto.capabilities.appointments.urls")),
    path("", include("backto.capabilities.appointments.timetable_urls")),
    path("", include("backto.access.apitokens.urls")),
    path("", include("backto.readers.api.urls")),
    path("", include("backto.readers.fhirexport.urls")),
    path("", include("backto.readers.fhir.urls")),
    path("", include("backto.readers.research.urls")),
]

handler400 = "backto.core.errors.bad_request"
handler403 = "backto.core.errors.forbidden"
handler404 = "backto.core.errors.not_found"
