"""A family member's channels and quiet hours: set on the Reminders page, only their own, every
change audited (never the number itself), bad input named by its field with nothing saved; and a
device's push subscription, posted as JSON by push.js."""

import json
from datetime import time

from django.urls import reverse


def _events(user, object_type):
    from backto.audit.models import AuditEvent

    return AuditEvent.objects.filter(actor_id=user.pk, object_type=object_type).order_by("pk")


def test_a_family_member_chooses_texts_with_a_number_and_it_is_audited(as_user, gina, otto):
    from backto.capabilities.notifications.models import NotificationSettings

    client = as_user(gina)
    response = client.post(
        reverse("notification_channels"),
        {"email_enabled": "on", "sms_enabled": "on", "phone": "+1 (555) 123-4567"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("reminders")
    assert "Saved: reminders by email and texts." in response.content.decode()
    choice = NotificationSettings.objects.get(user=gina)
    assert (choice.email_enabled, choice.sms_enabled, choice.phone) == (True, True, "+15551234567")
    assert not NotificationSettings.objects.filter(user=otto).exists()  # only her own
    event = _events(gina, "notificationsettings").last()
    assert event.detail == "email on, sms on, mobile number changed"
    assert "555" not in event.detail


def test_a_bad_number_names_the_field_and_saves_nothing(as_user, gina):
    from backto.capabilities.notifications.models import NotificationSettings

    client = as_user(gina)
    for phone, words in (
        ("5551234567", "Mobile number for texts: Write the mobile number with a plus"),
        ("+1555", "Mobile number for texts: Write the mobile number with a plus"),
        ("", "Mobile number for texts: Give a mobile number to get texts"),
    ):
        page = client.post(
            reverse("notification_channels"), {"sms_enabled": "on", "phone": phone}, follow=True
        ).content.decode()
        assert words in page, phone
    assert not NotificationSettings.objects.exists()
    assert not _events(gina, "notificationsettings").exists()


def test_quiet_hours_are_set_and_a_bad_time_names_the_field(as_user, gina):
    from backto.capabilities.notifications.models import NotificationSettings

    client = as_user(gina)
    page = client.post(
        reverse("notification_quiet_hours"),
        {"quiet_from": "20:30", "quiet_until": "soon"},
        follow=True,
    ).content.decode()
    assert "Quiet until: Choose a time, like 07:00." in page
    assert not NotificationSettings.objects.exists()
    page = client.post(
        reverse("notification_quiet_hours"),
        {"quiet_from": "20:30", "quiet_until": "06:45"},
        follow=True,
    ).content.decode()
    assert "Saved: nothing from 20:30 until 06:45." in page
    choice = NotificationSettings.objects.get(user=gina)
    assert (choice.quiet_from, choice.quiet_until) == (time(20, 30), time(6, 45))
    assert _events(gina, "notificationsettings").last().detail == "quiet hours 20:30-06:45"


def test_quiet_hours_across_midnight_within_a_day_and_none():
    from backto.capabilities.notifications.models import NotificationSettings

    night = NotificationSettings()  # the defaults: 21:00 to 07:00
    assert night.in_quiet_hours(time(21, 0)) and night.in_quiet_hours(time(6, 59))
    assert not night.in_quiet_hours(time(7, 0)) and not night.in_quiet_hours(time(20, 59))
    nap = NotificationSettings(quiet_from=time(13, 0), quiet_until=time(14, 0))
    assert nap.in_quiet_hours(time(13, 30)) and not nap.in_quiet_hours(time(14, 0))
    assert not NotificationSettings(quiet_from=time(9, 0), quiet_until=time(9, 0)).in_quiet_hours(
        time(9, 0)
    )


def test_staff_have_no_reminder_settings(as_user, pat):
    from backto.audit.models import AuditEvent

    client = as_user(pat)
    for name, data in (
        ("notification_channels", {"email_enabled": "on"}),
        ("notification_quiet_hours", {"quiet_from": "21:00", "quiet_until": "07:00"}),
    ):
        assert client.post(reverse(name), data).status_code == 403
    assert (
        client.post(
            reverse("push_subscribe"), json.dumps({}), content_type="application/json"
        ).status_code
        == 403
    )
    assert AuditEvent.objects.filter(actor_id=pat.pk, action="permission_denied").count() == 3


SUBSCRIPTION = {
    "endpoint": "https://push.example.net/send/abc123",
    "keys": {
        "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        "auth": "tBHItJI5svbpez7KI4CCXg",
    },
}


def test_a_device_subscribes_and_unsubscribes_by_json(as_user, gina, maya_teen):
    from backto.capabilities.notifications.models import PushSubscription

    response = as_user(gina).post(
        reverse("push_subscribe"),
        json.dumps(SUBSCRIPTION),
        content_type="application/json",
        headers={"user-agent": "Mozilla/5.0 (Linux; Android 14) Mobile"},
    )
    assert response.status_code == 201 and response.json() == {"subscribed": True}
    device = PushSubscription.objects.get()
    assert device.user == gina and device.user_agent.startswith("Mozilla/5.0")
    assert _events(gina, "pushsubscription").last().detail == "push on for this device"
    # The same phone, signed into by Maya's own account: it becomes hers, one row still.
    as_user(maya_teen).post(
        reverse("push_subscribe"), json.dumps(SUBSCRIPTION), content_type="application/json"
    )
    assert PushSubscription.objects.get().user == maya_teen
    # Gina cannot switch off a device that is no longer hers; Maya can.
    endpoint = json.dumps({"endpoint": SUBSCRIPTION["endpoint"]})
    as_user(gina).post(reverse("push_unsubscribe"), endpoint, content_type="application/json")
    assert PushSubscription.objects.exists()
    response = as_user(maya_teen).post(
        reverse("push_unsubscribe"), endpoint, content_type="application/json"
    )
    assert response.json() == {"subscribed": False}
    assert not PushSubscription.objects.exists()
    assert _events(maya_teen, "pushsubscription").last().detail == "push off for this device"


def test_a_bad_subscription_is_a_400_naming_the_field(as_user, gina):
    from backto.capabilities.notifications.models import PushSubscription

    client = as_user(gina)
    for body, field in (
        ("not json", "endpoint"),
        (json.dumps({**SUBSCRIPTION, "endpoint": "http://push.example.net/x"}), "endpoint"),
        (json.dumps({**SUBSCRIPTION, "keys": {"p256dh": "a b", "auth": "x"}}), "p256dh"),
        (json.dumps({"endpoint": SUBSCRIPTION["endpoint"]}), "auth"),
    ):
        response = client.post(reverse("push_subscribe"), body, content_type="application/json")
        assert response.status_code == 400 and field in response.json()["errors"], body
    assert not PushSubscription.objects.exists()
