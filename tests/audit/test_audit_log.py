import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from backto.audit.models import AppendOnlyError, AuditEvent
from tests.conftest import audited

URL = reverse("audit_log")


def test_the_admin_browses_and_filters_the_log(as_user, ada, pat, maya, episode):
    as_user(pat).get(reverse("patient_overview", args=[maya.pk]))
    client = as_user(ada)
    response = client.get(URL, {"actor": "pat", "action": "view"})
    assert response.status_code == 200
    events = list(response.context["page"])
    assert events and all(e.actor_username == "pat" and e.action == "view" for e in events)
    response = client.get(URL, {"patient": maya.pk})
    assert all(e.patient_id == maya.pk for e in response.context["page"])


def test_it_records_the_client_address(as_user, pat, maya, episode):
    as_user(pat).get(reverse("patient_overview", args=[maya.pk]), REMOTE_ADDR="10.1.2.3")
    assert (
        AuditEvent.objects.filter(actor_id=pat.pk, action="view").first().ip_address == "10.1.2.3"
    )


def test_it_reads_the_client_behind_a_trusted_proxy(as_user, pat, maya, episode, settings):
    settings.PROXY_COUNT = 1
    as_user(pat).get(
        reverse("patient_overview", args=[maya.pk]),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
    )
    assert AuditEvent.objects.filter(action="view").first().ip_address == "198.51.100.7"


def test_it_shows_another_clinics_events_to_nobody(as_user, ada, elsa, maya):
    as_user(elsa).get(reverse("patient_overview", args=[maya.pk]))
    response = as_user(ada).get(URL)
    assert all(e.actor_username != "elsa" for e in response.context["page"])


def test_it_returns_403_to_a_pt(as_user, pat):
    assert as_user(pat).get(URL).status_code == 403
    assert audited("permission_denied", actor_id=pat.pk, detail="403 audit_view")


def test_events_cannot_be_changed_through_the_orm(pat, maya):
    event = AuditEvent.objects.create(action="view", actor_id=pat.pk, patient_id=maya.pk)
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_to_rewrite_an_event(pat):
    event = AuditEvent.objects.create(action="view", actor_id=pat.pk)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET detail = 'forged' WHERE id = %s", [event.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


def test_every_object_type_reads_as_words_in_the_family_access_log():
    from backto.audit.models import AuditEvent

    assert AuditEvent(object_type="goalrating").object_label == "Goal rating"
    assert AuditEvent(object_type="administration").object_label == "Questionnaire"
    assert AuditEvent(object_type="patient").object_label == "Child's details"
