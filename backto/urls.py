from django.urls import include, path

from backto.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon),
    path("", include("backto.accounts.urls")),
    path("", include("backto.patients.urls")),
    path("", include("backto.audit.urls")),
    path("", include("backto.goals.urls")),
    path("", include("backto.wins.urls")),
    path("", include("backto.diary.urls")),
    path("", include("backto.intake.urls")),
    path("", include("backto.homeprogram.urls")),
    path("", include("backto.careplan.urls")),
    path("", include("backto.measures.urls")),
    path("", include("backto.alerts.urls")),
    path("", include("backto.instruments.urls")),
    path("", include("backto.progress.urls")),
    path("", include("backto.outcomes.urls")),
    path("", include("backto.learning.urls")),
]

handler400 = "backto.core.errors.bad_request"
handler403 = "backto.core.errors.forbidden"
handler404 = "backto.core.errors.not_found"
