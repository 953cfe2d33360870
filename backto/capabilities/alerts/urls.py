from django.urls import path

from backto.capabilities.alerts import views

urlpatterns = [
    path("alerts/<int:alert_id>/", views.safety_alert, name="safety_alert"),
]
