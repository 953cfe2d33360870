from django.urls import path

from backto.capabilities.messaging import settings_views

urlpatterns = [
    path(
        "messages/preferences/",
        settings_views.message_preferences,
        name="message_preferences",
    ),
]
