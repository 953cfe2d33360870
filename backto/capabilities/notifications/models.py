"""Reminders on the phone: each family member's channels and quiet hours, and the devices that
receive Web Push. Nothing here knows what a reminder is about (docs/notifications.md)."""

from datetime import time

from django.conf import settings
from django.db import models

DEFAULT_QUIET_FROM = time(21, 0)
DEFAULT_QUIET_UNTIL = time(7, 0)


class NotificationSettings(models.Model):
    """A family member's choice of channels and quiet hours. No row means the defaults: email
    on, SMS off, quiet from 21:00 to 07:00 in the clinic's time zone. The mobile number for SMS
    lives here (the account has none), in E.164 form (+15551234567)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email_enabled = models.BooleanField(default=True)
    sms_enabled = models.BooleanField(default=False)
    phone = models.CharField(max_length=16, blank=True)
    quiet_from = models.TimeField(default=DEFAULT_QUIET_FROM)
    quiet_until = models.TimeField(default=DEFAULT_QUIET_UNTIL)

    class Meta:
        verbose_name = "notification settings"
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"Notification settings of user {self.user_id}"

    def in_quiet_hours(self, moment: time) -> bool:
        """Whether `moment` (the clinic's local time) falls in the quiet hours: from quiet_from
        up to (not including) quiet_until, across midnight when quiet_from is the later one.
        The same time for both means no quiet hours."""
        start, end = self.quiet_from, self.quiet_until
        if start == end:
            return False
        if start < end:
            return start <= moment < end
        return moment >= start or moment < end


class PushSubscription(models.Model):
    """One device (one browser on a phone) that receives Web Push for a family member. The
    push service gives the endpoint and the keys; a 404 or 410 from it deletes the row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=120, blank=True)
    created = models.DateTimeField()
    last_success = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Push subscription {self.pk} of user {self.user_id}"
