"""The medicine list's writes: checked together, one transaction, audited; a change after a
physician's confirmation waits for it again."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from backto.audit.models import AuditEvent
from backto.capabilities.medicines import actions
from backto.capabilities.medicines.models import Medicine
from backto.capabilities.medicines.queries import list_state, list_token, medicines_of
from tests.conftest import TODAY, audited


def errors_of(excinfo):
    return excinfo.value.message_dict


def test_an_entry_is_written_with_its_episode_and_waits_for_confirmation(melatonin, episode, gina):
    assert (melatonin.episode, melatonin.added_by, melatonin.changed_by) == (episode, gina, gina)
    assert not melatonin.confirmed
    assert melatonin.started_on == TODAY.replace(day=1)
    assert audited("create", object_type="medicine", patient_id=melatonin.patient_id)


def test_a_month_only_date_is_kept_as_the_months_first_day(gina, maya):
    entry = actions.medicine_add(
        by=gina,
        patient=maya,
        name="Ibuprofen",
        started_on=date(2025, 3, 17),
        started_precision="month",
    )
    assert (entry.started_on, entry.started_precision) == (date(2025, 3, 1), "month")


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"name": "  "}, "name", "Write the medicine's name"),
        ({"name": "x" * 101}, "name", "100 characters"),
        ({"started_on": TODAY + timedelta(days=1)}, "started_on", "today or a day before"),
        ({"stopped_on": TODAY + timedelta(days=1)}, "stopped_on", "today or a day before"),
        (
            {"started_on": TODAY - timedelta(days=3), "stopped_on": TODAY - timedelta(days=10)},
            "stopped_on",
            "before the day it started",
        ),
        ({"started_on": TODAY, "started_precision": "week"}, "started_precision", "month only"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(gina, maya, fields, field, words):
    with pytest.raises(ValidationError) as excinfo:
        actions.medicine_add(by=gina, patient=maya, **{"name": "Ibuprofen", **fields})
    assert field in errors_of(excinfo)
    assert words in " ".join(errors_of(excinfo)[field])
    assert not Medicine.objects.exists()
    assert not audited("create", object_type="medicine")


def test_month_precision_compares_months(gina, maya):
    """Started "in March", stopped on 2 March: the same month, so not before it."""
    entry = actions.medicine_add(
        by=gina,
        patient=maya,
        name="Gabapentin",
        started_on=date(2025, 3, 20),
        started_precision="month",
        stopped_on=date(2025, 3, 2),
    )
    assert entry.stopped_on == date(2025, 3, 2)


def test_a_physician_confirms_the_list_as_shown(team_phil, melatonin, maya):
    count = actions.medicines_confirm(
        by=team_phil, patient=maya, shown=list_token(medicines_of(maya))
    )
    melatonin.refresh_from_db()
    assert count == 1
    assert (melatonin.confirmed_by, melatonin.confirmed) == (team_phil, True)
    assert audited("update", object_type="medicine", detail="confirmed")
    assert list_state(medicines_of(maya)).waiting == 0


def test_a_change_after_confirmation_waits_for_the_physician_again(team_phil, melatonin, maya, pat):
    actions.medicines_confirm(by=team_phil, patient=maya, shown=list_token(medicines_of(maya)))
    actions.medicine_edit(by=pat, medicine=melatonin, how_often="Some evenings")
    melatonin.refresh_from_db()
    assert not melatonin.confirmed and melatonin.changed_by == pat
    assert audited("update", object_type="medicine", detail="how_often")


def test_saving_the_same_words_changes_nothing(team_phil, melatonin, maya, pat):
    actions.medicines_confirm(by=team_phil, patient=maya, shown=list_token(medicines_of(maya)))
    events = AuditEvent.objects.count()
    actions.medicine_edit(by=pat, medicine=melatonin, how_often="Every evening")
    melatonin.refresh_from_db()
    assert melatonin.confirmed and AuditEvent.objects.count() == events


def test_a_list_changed_since_it_was_shown_is_not_confirmed(team_phil, melatonin, maya, gina):
    shown = list_token(medicines_of(maya))
    actions.medicine_add(by=gina, patient=maya, name="Ibuprofen")
    with pytest.raises(ValidationError) as excinfo:
        actions.medicines_confirm(by=team_phil, patient=maya, shown=shown)
    assert "changed after you opened it" in " ".join(errors_of(excinfo)["shown"])
    assert not Medicine.objects.filter(confirmed_at__isnull=False).exists()


def test_only_a_physician_confirms(pat, melatonin, maya):
    with pytest.raises(PermissionDenied):
        actions.medicines_confirm(by=pat, patient=maya, shown=list_token(medicines_of(maya)))


def test_stopping_sets_the_day_and_refuses_twice(melatonin, pat):
    actions.medicine_stop(by=pat, medicine=melatonin, stopped_on=TODAY)
    melatonin.refresh_from_db()
    assert melatonin.stopped_on == TODAY
    with pytest.raises(ValidationError) as excinfo:
        actions.medicine_stop(by=pat, medicine=melatonin, stopped_on=TODAY)
    assert "stopped_on" in errors_of(excinfo)


def test_stopping_before_it_started_is_refused(melatonin, pat):
    with pytest.raises(ValidationError) as excinfo:
        actions.medicine_stop(by=pat, medicine=melatonin, stopped_on=date(2000, 1, 1))
    assert "before the day it started" in " ".join(errors_of(excinfo)["stopped_on"])


def test_a_medicine_taken_less_keeps_the_day_it_was_cut_down(gina, maya, pat):
    entry = actions.medicine_add(
        by=gina, patient=maya, name="Gabapentin", started_on=TODAY - timedelta(days=90)
    )
    cut = actions.medicine_edit(
        by=pat, medicine=entry, reduced_on=TODAY - timedelta(days=10), how_often="Some nights"
    )
    assert cut.reduced_on == TODAY - timedelta(days=10) and not cut.confirmed
    assert audited("update", object_type="medicine", detail__contains="reduced_on")


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"reduced_on": TODAY + timedelta(days=1)}, "not plans"),
        (
            {"started_on": TODAY - timedelta(days=5), "reduced_on": TODAY - timedelta(days=6)},
            "before the day it started",
        ),
        (
            {
                "started_on": TODAY - timedelta(days=30),
                "stopped_on": TODAY - timedelta(days=5),
                "reduced_on": TODAY - timedelta(days=2),
            },
            "after the day it stopped",
        ),
    ],
)
def test_a_wrong_day_it_was_cut_down_is_named(gina, maya, fields, words):
    with pytest.raises(ValidationError) as excinfo:
        actions.medicine_add(by=gina, patient=maya, name="Gabapentin", **fields)
    assert words in errors_of(excinfo)["reduced_on"][0]
    assert not Medicine.objects.exists()
