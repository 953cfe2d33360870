"""The coordinator's template weeks: the clinic's list, making one with its slots, changing it
(adding and removing slots), bad input named by field with nothing written, deactivating; and
who may open these pages."""

from datetime import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.capabilities.appointments.models import TimetableSlot, TimetableTemplate
from backto.capabilities.appointments.timetable_actions import SlotData, timetable_save
from tests.conftest import audited, make_user


def slots_post(rows, initial=0, **extra):
    """A POST of the template form: `rows` of (weekday, start, minutes, kind, place)."""
    data = {
        "slots-TOTAL_FORMS": str(len(rows)),
        "slots-INITIAL_FORMS": str(initial),
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        weekday, start, minutes, kind, place, *delete = (*row, "")[:6]
        data.update(
            {
                f"slots-{n}-weekday": str(weekday),
                f"slots-{n}-start": start,
                f"slots-{n}-minutes": str(minutes),
                f"slots-{n}-kind": kind,
                f"slots-{n}-place": place,
            }
        )
        if delete and delete[0]:
            data[f"slots-{n}-DELETE"] = "on"
    data.update(extra)
    return data


WEEK = [
    (0, "09:00", 60, "pt", "Gym"),
    (0, "11:00", 60, "ot", "Room 3"),
    (2, "13:30", 50, "counseling", ""),
]


def make(cora, name="Intensive weeks", rows=WEEK):
    return timetable_save(
        by=cora,
        clinic=cora.clinic,
        name=name,
        slots=[
            SlotData(weekday=w, start=time.fromisoformat(s), minutes=m, kind=k, place=p)
            for w, s, m, k, p in rows
        ],
    )


def test_a_coordinator_makes_a_template_week_and_sees_it_listed(as_user, cora):
    client = as_user(cora)
    assert client.get(reverse("timetable_new")).status_code == 200
    answer = client.post(
        reverse("timetable_new"), slots_post([*WEEK, ("", "", "", "", "")], name="Intensive")
    )
    timetable = TimetableTemplate.objects.get()
    assert answer["Location"] == reverse("timetable_edit", args=[timetable.pk])
    assert [(s.weekday, s.start.isoformat("minutes"), s.kind) for s in timetable.slots.all()] == [
        (0, "09:00", "pt"),
        (0, "11:00", "ot"),
        (2, "13:30", "counseling"),
    ]
    assert audited("create", object_type="timetabletemplate", detail="3 slots")
    listed = client.get(reverse("timetables")).content.decode()
    assert "Intensive" in listed and "<td>3</td>" in listed and "<td>2.8</td>" in listed
    assert audited("view", object_type="page", object_id="timetables")
    client.get(reverse("timetable_edit", args=[timetable.pk]))
    assert audited("view", object_type="timetabletemplate", object_id=str(timetable.pk))


def test_changing_a_week_adds_and_removes_slots(as_user, cora):
    timetable = make(cora)
    client = as_user(cora)
    page = client.get(reverse("timetable_edit", args=[timetable.pk])).content.decode()
    assert 'value="09:00"' in page and "Slot 4 (new)" in page
    rows = [
        (0, "09:00", 60, "pt", "Gym"),
        (0, "11:00", 60, "ot", "Room 3", "delete"),
        (2, "13:30", 50, "counseling", ""),
        (4, "10:00", 45, "physician", "Clinic B"),
    ]
    client.post(
        reverse("timetable_edit", args=[timetable.pk]),
        slots_post(rows, initial=3, name="Intensive, 3 weeks"),
    )
    timetable.refresh_from_db()
    assert timetable.name == "Intensive, 3 weeks"
    assert sorted(TimetableSlot.objects.values_list("kind", flat=True)) == [
        "counseling",
        "physician",
        "pt",
    ]
    assert audited("update", object_type="timetabletemplate", detail="3 slots")


def test_bad_slots_are_named_by_field_and_nothing_is_written(as_user, cora):
    client = as_user(cora)
    answer = client.post(
        reverse("timetable_new"),
        slots_post([(0, "25:00", 0, "pt", ""), (9, "09:00", 60, "yoga", "")], name="X"),
    )
    text = answer.content.decode()
    assert "Enter a valid time." in text
    assert "Ensure this value is greater than or equal to 5." in text
    assert "Select a valid choice. 9 is not one of the available choices." in text
    assert "Select a valid choice. yoga is not one of the available choices." in text
    assert not TimetableTemplate.objects.exists()


def test_overlapping_slots_and_a_taken_name_are_refused(as_user, cora):
    make(cora, name="Intensive")
    client = as_user(cora)
    text = client.post(
        reverse("timetable_new"),
        slots_post([(1, "09:00", 90, "pt", ""), (1, "10:00", 60, "ot", "")], name="Other"),
    ).content.decode()
    assert "Tuesday: the slot at 10:00 starts before the one at 09:00 ends." in text
    text = client.post(
        reverse("timetable_new"), slots_post(WEEK, name="intensive")
    ).content.decode()
    assert "The clinic has a template week of this name already." in text
    text = client.post(reverse("timetable_new"), slots_post([], name="Empty")).content.decode()
    assert "Give the week at least one slot." in text
    assert TimetableTemplate.objects.count() == 1


def test_a_deactivated_week_is_kept_and_can_be_made_active_again(as_user, cora):
    timetable = make(cora)
    client = as_user(cora)
    client.post(reverse("timetable_active", args=[timetable.pk]), {"active": "0"})
    timetable.refresh_from_db()
    assert not timetable.active
    assert audited("update", object_type="timetabletemplate", detail="deactivated")
    assert "Deactivated" in client.get(reverse("timetables")).content.decode()
    client.post(reverse("timetable_active", args=[timetable.pk]), {"active": "1"})
    timetable.refresh_from_db()
    assert timetable.active
    answer = client.post(reverse("timetable_active", args=[timetable.pk]), {"active": "yes"})
    assert (
        answer.status_code == 400
        and "“active” must be 1 (on) or 0 (off)." in answer.content.decode()
    )


def test_only_a_coordinator_manages_template_weeks(as_user, cora, pat, ada, gina):
    timetable = make(cora)
    for person in (pat, ada, gina):
        client = as_user(person)
        assert client.get(reverse("timetables")).status_code == 403
        assert client.get(reverse("timetable_edit", args=[timetable.pk])).status_code == 403
        answer = client.post(reverse("timetable_active", args=[timetable.pk]), {"active": "0"})
        assert answer.status_code == 403
    timetable.refresh_from_db()
    assert timetable.active
    assert audited("permission_denied", detail="403 timetable_manage")


def test_another_clinics_week_is_not_found(as_user, cora, other_clinic):
    timetable = make(cora)
    hilltop = make_user(other_clinic, "hank", roles=("coordinator",))
    client = as_user(hilltop)
    assert client.get(reverse("timetable_edit", args=[timetable.pk])).status_code == 404
    answer = client.post(reverse("timetable_active", args=[timetable.pk]), {"active": "0"})
    assert answer.status_code == 404
    assert "Intensive" not in client.get(reverse("timetables")).content.decode()


def test_the_list_asks_the_same_queries_however_many_weeks(as_user, cora):
    client = as_user(cora)
    make(cora, name="Week 0")
    client.get(reverse("timetables"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("timetables"))
    for n in range(1, 8):
        make(cora, name=f"Week {n}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("timetables"))
    assert "Week 7" in page.content.decode()
    assert len(many) == len(few)


def test_the_demo_template_week_is_a_full_intensive_week(cora):
    from backto.capabilities.appointments.timetable_demo import add_demo_timetable

    timetable = add_demo_timetable(clinic=cora.clinic)
    assert timetable is not None and timetable.slots.count() == 21
    assert add_demo_timetable(clinic=cora.clinic) == timetable  # once


def test_the_edit_page_asks_the_same_queries_however_many_slots(as_user, cora):
    small = make(cora, name="Small", rows=WEEK[:1])
    large = make(
        cora,
        name="Large",
        rows=[(d, f"{h:02d}:00", 45, "pt", "") for d in range(5) for h in (9, 11, 14)],
    )
    client = as_user(cora)
    client.get(reverse("timetable_edit", args=[small.pk]))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("timetable_edit", args=[small.pk]))
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("timetable_edit", args=[large.pk]))
    assert "Slot 15" in page.content.decode()
    assert len(many) == len(few)
