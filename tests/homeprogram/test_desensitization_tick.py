"""A desensitization exercise's tick records the textures tolerated and for how long: all or
nothing, once a day, audited (backto/capabilities/homeprogram/actions.py)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from backto.audit.models import AuditEvent
from backto.capabilities.homeprogram import actions
from backto.capabilities.homeprogram.models import DesensitizationLog, ExerciseLog
from backto.clinical.desensitization import Tolerated
from tests.conftest import TODAY


def test_a_tick_records_the_textures_tolerated(gina, texture_item):
    actions.exercise_tick(
        by=gina,
        item=texture_item,
        day=TODAY,
        done=True,
        tolerated=[Tolerated("soft_towel", 5), Tolerated("other", 2, " sponge ")],
    )
    log = ExerciseLog.objects.get(item=texture_item, day=TODAY)
    rows = [(t.stimulus, t.other, t.minutes, t.label) for t in log.tolerated.all()]
    assert rows == [("soft_towel", "", 5, "Soft towel"), ("other", "sponge", 2, "sponge")]
    event = AuditEvent.objects.filter(object_type="homeprogramitem", action="update").last()
    assert event is not None
    assert event.detail == f"done {TODAY.isoformat()} (2 textures)"  # never which, nor how long


def test_a_tick_without_textures_still_counts(gina, texture_item):
    actions.exercise_tick(by=gina, item=texture_item, day=TODAY, done=True)
    assert ExerciseLog.objects.filter(item=texture_item).count() == 1
    assert not DesensitizationLog.objects.exists()


def test_a_repeat_tick_changes_nothing_not_even_the_textures(gina, texture_item):
    for minutes in (5, 9):
        actions.exercise_tick(
            by=gina,
            item=texture_item,
            day=TODAY,
            done=True,
            tolerated=[Tolerated("fleece", minutes)],
        )
    assert ExerciseLog.objects.filter(item=texture_item).count() == 1
    assert list(DesensitizationLog.objects.values_list("stimulus", "minutes")) == [("fleece", 5)]


def test_unticking_removes_the_days_textures(gina, texture_item):
    actions.exercise_tick(
        by=gina, item=texture_item, day=TODAY, done=True, tolerated=[Tolerated("silk", 3)]
    )
    actions.exercise_tick(by=gina, item=texture_item, day=TODAY, done=False)
    assert not ExerciseLog.objects.exists() and not DesensitizationLog.objects.exists()


@pytest.mark.parametrize(
    ("tolerated", "field", "words"),
    [
        ([Tolerated("silk", 61)], "minutes_1", "whole minutes from 1 to 60"),
        ([Tolerated("silk", 3), Tolerated("sandpaper", 2)], "texture_2", "Choose a texture"),
        ([Tolerated("other", 2)], "other_1", "Say in a word"),
        ([Tolerated("silk", 2), Tolerated("silk", 3)], "texture_2", "already in row 1"),
    ],
)
def test_a_bad_record_names_the_field_and_writes_nothing(
    gina, texture_item, tolerated, field, words
):
    with pytest.raises(ValidationError) as error:
        actions.exercise_tick(by=gina, item=texture_item, day=TODAY, done=True, tolerated=tolerated)
    assert field in error.value.message_dict
    assert words in " ".join(error.value.message_dict[field])
    assert not ExerciseLog.objects.exists() and not DesensitizationLog.objects.exists()
    assert not AuditEvent.objects.filter(object_type="homeprogramitem", action="update").exists()


def test_textures_belong_only_to_a_desensitization_exercise(gina, walk_item):
    with pytest.raises(ValidationError, match="only when a desensitization exercise is done"):
        actions.exercise_tick(
            by=gina, item=walk_item, day=TODAY, done=True, tolerated=[Tolerated("silk", 2)]
        )
    assert not ExerciseLog.objects.exists()


def test_yesterday_can_be_ticked_with_textures_but_not_the_day_before(gina, texture_item):
    yesterday = TODAY - timedelta(days=1)
    actions.exercise_tick(
        by=gina, item=texture_item, day=yesterday, done=True, tolerated=[Tolerated("brush", 1)]
    )
    assert DesensitizationLog.objects.get().log.day == yesterday
    with pytest.raises(ValidationError):
        actions.exercise_tick(
            by=gina,
            item=texture_item,
            day=TODAY - timedelta(days=2),
            done=True,
            tolerated=[Tolerated("brush", 1)],
        )
