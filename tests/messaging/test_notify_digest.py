"""The morning digest: once a day at 08:00 in the clinic's time zone, to those who chose it, with
how many conversations wait among the children whose care team they are on, never whose."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from backto.access.patients import actions as patients
from backto.capabilities.messaging import digest
from backto.capabilities.messaging.models import StaffDelivery, StaffMessagePreference
from backto.capabilities.messaging.notify import message_preference_set
from backto.core.sweeps import registered_sweeps
from tests.conftest import TODAY

NEW_YORK = ZoneInfo("America/New_York")


def at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    """A moment on the pinned day (or `days` after it), New York's wall clock."""
    day = TODAY + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=NEW_YORK)


@pytest.fixture
def digesting(pat):
    message_preference_set(by=pat, delivery=StaffDelivery.DIGEST)
    return pat


def test_it_is_a_registered_sweep():
    assert registered_sweeps()["message digest"] is digest.send_digests_task


def test_it_comes_once_a_day_at_eight_in_the_clinics_time(send, family, gina, digesting, clock):
    send(gina, family, "Is it normal that her foot is cold?")
    mail.outbox.clear()
    assert digest.send_digests(at(7, 59)) == 0
    assert mail.outbox == []
    assert digest.send_digests(at(8, 0)) == 1
    [email] = mail.outbox
    assert email.to == [digesting.email] and email.subject == "Messages waiting in BackTo"
    assert "One conversation waits for a reply" in email.body
    assert reverse("messages_inbox") in email.body
    assert reverse("message_preferences") in email.body
    for secret in ("cold", "foot", "Maya", "Lindqvist", "Gina"):
        assert secret not in email.body
    # A second sweep the same day, or a second worker, sends nothing again.
    assert digest.send_digests(at(8, 5)) == 0
    assert digest.send_digests(at(17, 0)) == 0
    assert len(mail.outbox) == 1
    assert StaffMessagePreference.objects.get(user=digesting).digest_sent_on == TODAY
    # The next morning, again (the message still waits).
    assert digest.send_digests(at(8, 0, days=1)) == 1


def test_it_counts_whats_waiting_and_whats_assigned_to_the_person(
    send, family, teen_conversation, gina, maya_teen, digesting, leo, otto, cora
):
    from backto.capabilities.messaging.actions import conversation_for, message_assign

    episode = patients.episode_open(by=cora, patient=leo, referral_date=TODAY)
    patients.care_team_add(by=cora, episode=episode, clinician=digesting, discipline="pt")
    leos = conversation_for(patient=leo, kind="family")
    send(gina, family)
    send(maya_teen, teen_conversation)  # the teen's own: Pat is on Maya's care team
    message = send(otto, leos)
    message_assign(by=digesting, message=message, to=digesting)
    mail.outbox.clear()
    assert digest.send_digests(at(9)) == 1
    assert "3 conversations wait for a reply" in mail.outbox[0].body
    assert "(1 assigned to you)" in mail.outbox[0].body


def test_only_the_children_of_the_persons_care_teams_count(send, family, gina, olive, episode):
    message_preference_set(by=olive, delivery=StaffDelivery.DIGEST)  # not on Maya's team
    send(gina, family)
    mail.outbox.clear()
    assert digest.send_digests(at(9)) == 0
    assert mail.outbox == []
    # The day is marked all the same: nothing to say, nothing sent.
    assert StaffMessagePreference.objects.get(user=olive).digest_sent_on == TODAY


def test_those_who_chose_each_or_none_get_no_digest(send, family, gina, pat, phil, episode, cora):
    patients.care_team_add(by=cora, episode=episode, clinician=phil, discipline="medicine")
    message_preference_set(by=phil, delivery=StaffDelivery.NONE)
    send(gina, family)
    mail.outbox.clear()
    assert digest.send_digests(at(9)) == 0
    assert mail.outbox == []


def test_nothing_waiting_no_email(send, family, gina, digesting):
    from backto.capabilities.messaging.actions import message_done

    message = send(gina, family)
    message_done(by=digesting, message=message)
    mail.outbox.clear()
    assert digest.send_digests(at(9)) == 0
    assert mail.outbox == []


def test_each_clinic_gets_it_at_eight_on_its_own_clock(
    send, family, gina, digesting, other_clinic, elsa
):
    other_clinic.time_zone = "Europe/London"
    other_clinic.save()
    message_preference_set(by=elsa, delivery=StaffDelivery.DIGEST)
    send(gina, family)
    mail.outbox.clear()
    # 04:00 in New York is 09:00 in London: Elsa's morning (nothing waits for her), not Pat's.
    digest.send_digests(at(4))
    assert StaffMessagePreference.objects.get(user=elsa).digest_sent_on == TODAY
    assert StaffMessagePreference.objects.get(user=digesting).digest_sent_on is None
    assert mail.outbox == []
    assert digest.send_digests(at(8)) == 1


def test_an_inactive_account_gets_nothing(send, family, gina, digesting):
    send(gina, family)
    digesting.is_active = False
    digesting.save()
    mail.outbox.clear()
    assert digest.send_digests(at(9)) == 0
    assert mail.outbox == []


def test_the_sweeps_query_count_does_not_grow_with_the_people(
    clinic, send, family, gina, episode, cora, django_assert_max_num_queries
):
    from tests.conftest import make_user

    def team(n, start):
        for i in range(start, start + n):
            person = make_user(clinic, f"pt{i}", roles=("physical_therapist",))
            patients.care_team_add(by=cora, episode=episode, clinician=person, discipline="pt")
            message_preference_set(by=person, delivery=StaffDelivery.DIGEST)

    send(gina, family)
    team(2, 0)
    with django_assert_max_num_queries(12) as small:
        assert digest.send_digests(at(9)) == 2
    team(8, 2)
    with django_assert_max_num_queries(len(small)):
        assert digest.send_digests(at(9, days=1)) == 10


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_digest_once(
    clinic, send, family, gina, episode, cora, monkeypatch
):
    import threading

    from django.db import connection, connections

    from tests.conftest import make_user

    if connection.vendor != "postgresql":
        pytest.skip("workers on several machines share one PostgreSQL; SQLite runs one at a time")
    monkeypatch.setattr(digest, "BATCH", 3)  # many small claims, so the two workers interleave
    people = []
    for i in range(24):
        person = make_user(clinic, f"pt{i}", roles=("physical_therapist",))
        patients.care_team_add(by=cora, episode=episode, clinician=person, discipline="pt")
        message_preference_set(by=person, delivery=StaffDelivery.DIGEST)
        people.append(person)
    send(gina, family)
    mail.outbox.clear()
    counts: list[int] = []
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            start.wait()
            counts.append(digest.send_digests(at(9)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == 24
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
