"""What the diary's tests share: a teen's full child entry, and posting it to today's page."""

import uuid

from django.urls import reverse

CHILD = {
    "activity": "3",
    "school": "1",
    "school_hours": "4",
    "sleep_hours": "7.5",
    "sleep_quality": "3",
    "mood": "1",
    "coping": ["1", "3"],
    "home_program": "2",
    "activity_note": "Walked the dog",
    "win": "Went to school for the morning",
    "pain": "5",
}


def today_url(patient, **query):
    url = reverse("diary_today", args=[patient.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def post(client, patient, data=None, key=None, **query):
    payload = dict(CHILD if data is None else data)
    payload["idempotency_key"] = str(key or uuid.uuid4())
    payload.setdefault("as", query.get("as", ""))
    return client.post(today_url(patient, **query), payload)
