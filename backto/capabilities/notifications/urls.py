from django.urls import path

from backto.capabilities.notifications import views

urlpatterns = [
    path("reminders/channels/", views.channels, name="notification_channels"),
    path("reminders/quiet-hours/", views.quiet_hours, name="notification_quiet_hours"),
    path("reminders/push/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("reminders/push/unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
]
