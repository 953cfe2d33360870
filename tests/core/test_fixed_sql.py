"""backto.core.fixed_sql: a query's SQL worked out once per shape gives the rows Django's own
queryset gives, for every kind of value; builders that would make the reused SQL wrong are
refused."""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import F, QuerySet
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.patients import actions
from backto.access.patients.access import Reach, patients_for, reach_of
from backto.access.patients.models import Episode, Patient
from backto.core.fixed_sql import fixed_query, prefetched
from tests.conftest import TODAY, years_ago


@fixed_query
def _episodes(
    newest_first: bool,
    *,
    patient_ids: list[int],
    since: date,
    after: datetime,
    state: str,
    above: int,
) -> QuerySet[Any]:
    return (
        Episode.objects.filter(
            patient_id__in=patient_ids,
            referral_date__gte=since,
            state_changed_at__gte=after,
            pk__gt=above,
        )
        .exclude(state=state)
        .annotate(twice=F("painful_region_count") * 2)
        .order_by("-id" if newest_first else "id")
        .values_list("twice", "pk", "referral_date", "state_changed_at")
    )


def _plain(newest_first: bool, **values: Any) -> list[Any]:
    return list(_episodes.build(newest_first, **values))


@pytest.fixture
def episodes(episode: Episode, leo: Patient, cora: User) -> list[Episode]:
    other = Episode.objects.create(
        patient=leo,
        referral_date=TODAY - timedelta(days=3),
        referral_reason="Knee",
        painful_region_count=1,
        state_changed_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return [episode, other]


def _values(episodes: list[Episode], **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "patient_ids": [e.patient_id for e in episodes],
        "since": TODAY - timedelta(days=30),
        "after": datetime(2000, 1, 1, tzinfo=UTC),
        "state": "closed",
        "above": 0,
    }
    return values | changes


@pytest.mark.parametrize("newest_first", [False, True])
def test_rows_equal_djangos_for_every_kind_of_value(
    episodes: list[Episode], newest_first: bool
) -> None:
    cases = [
        _values(episodes),
        _values(episodes, patient_ids=[episodes[1].patient_id]),
        _values(episodes, patient_ids=[episodes[0].patient_id] * 3),  # Django drops repeats
        _values(episodes, since=TODAY - timedelta(days=1)),
        _values(episodes, after=datetime(2026, 6, 1, tzinfo=UTC)),
        _values(episodes, state=episodes[0].state),
        _values(episodes, above=episodes[0].pk),
    ]
    for values in cases:
        assert _episodes(newest_first, **values) == _plain(newest_first, **values), values
    first = episodes[-1 if newest_first else 0]
    assert _episodes(newest_first, **cases[0])[0][0] == 2 * (first.painful_region_count or 0)


def test_one_query_a_call_and_the_values_are_put_in_not_compiled(episodes: list[Episode]) -> None:
    values = _values(episodes)
    _episodes(False, **values)
    with override_settings(FIXED_SQL_CHECK=False), CaptureQueriesContext(connection) as run:
        rows = _episodes(False, **_values(episodes, above=episodes[0].pk))
    assert len(run.captured_queries) == 1
    assert [pk for _, pk, _, _ in rows] == [episodes[1].pk]


def test_each_time_zone_has_its_own_sql(episodes: list[Episode]) -> None:
    """The date of a datetime is taken in the current time zone, which Django writes into the
    SQL: 23:30 UTC is already the next day in Tokyo."""

    @fixed_query
    def changed_on(*, day: date) -> QuerySet[Any]:
        return Episode.objects.filter(state_changed_at__date=day).values_list("pk", flat=True)

    Episode.objects.filter(pk=episodes[0].pk).update(
        state_changed_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    )
    with timezone.override(ZoneInfo("UTC")):
        assert changed_on(day=date(2026, 3, 1)) == [episodes[0].pk]
    with timezone.override(ZoneInfo("Asia/Tokyo")):
        assert changed_on(day=date(2026, 3, 1)) == []
        assert changed_on(day=date(2026, 3, 2)) == [episodes[0].pk]


def test_a_list_of_strings(episodes: list[Episode]) -> None:
    @fixed_query
    def in_states(*, states: list[str]) -> QuerySet[Any]:
        return Episode.objects.filter(state__in=states).order_by("pk").values_list("pk", flat=True)

    for states in (["referred"], ["closed", "referred", "closed"], ["closed"]):
        assert in_states(states=states) == list(in_states.build(states=states))
    assert in_states(states=["referred"]) == [e.pk for e in episodes]


def test_an_empty_list_runs_the_queryset_as_django_builds_it(episodes: list[Episode]) -> None:
    with CaptureQueriesContext(connection) as run:
        assert _episodes(False, **_values(episodes, patient_ids=[])) == []
    assert run.captured_queries == []  # an empty IN: Django answers without the database


def test_a_subquery_runs_as_django_builds_it(episodes: list[Episode]) -> None:
    subquery = Patient.objects.filter(legal_name__startswith="Leo").values("pk")
    with CaptureQueriesContext(connection) as run:
        rows = _episodes(False, **_values(episodes, patient_ids=subquery))
    assert [pk for _, pk, _, _ in rows] == [episodes[1].pk]
    assert len(run.captured_queries) == 1 and "Leo" in str(run.captured_queries[0]["sql"])


def test_flat_rows(episodes: list[Episode], pat: User) -> None:
    @fixed_query
    def ids(reach: Reach, *, user_id: int, clinic_id: int) -> QuerySet[Any]:
        circle = patients_for(reach.stand_in(user_id, clinic_id))
        return circle.order_by("-pk").values_list("pk", flat=True)

    found = ids(reach_of(pat), user_id=pat.pk, clinic_id=pat.clinic_id)
    assert found == list(patients_for(pat).order_by("-pk").values_list("pk", flat=True))
    assert found == [episodes[0].patient_id]  # on Maya's care team only


def test_a_value_worked_out_from_another_is_refused(db: Any) -> None:
    @fixed_query
    def derived(*, since: date) -> QuerySet[Any]:
        return Episode.objects.filter(referral_date__gte=since - timedelta(days=7)).values_list(
            "pk"
        )

    with pytest.raises(ValueError, match="worked out from a value"):
        derived(since=TODAY)


def test_sql_that_changes_with_a_value_is_refused(db: Any) -> None:
    @fixed_query
    def changing(*, above: int) -> QuerySet[Any]:
        episodes = Episode.objects.filter(pk__gt=above)
        return (episodes.order_by("id") if above % 2 else episodes).values_list("pk")

    with pytest.raises(ValueError, match="changes with the values"):
        changing(above=5)


def test_the_check_catches_a_builder_that_reads_beyond_its_shape(db: Any) -> None:
    outside = {"state": "active"}

    @fixed_query
    def leaky(*, above: int) -> QuerySet[Any]:
        return Episode.objects.filter(pk__gt=above, state=outside["state"]).values_list("pk")

    leaky(above=1)
    outside["state"] = "closed"
    with pytest.raises(AssertionError, match="differs from what Django compiles"):
        leaky(above=1)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (True, "a flag changes the SQL"),
        (datetime(2026, 1, 1), "naive datetime"),
        (1.5, "float is not a value"),
        ([1, None], "list is not a value"),
        ([1, "a"], "list is not a value"),
    ],
)
def test_values_a_fixed_query_does_not_take(db: Any, value: Any, words: str) -> None:
    @fixed_query
    def any_value(*, value: Any) -> QuerySet[Any]:
        return Episode.objects.filter(pk=value).values_list("pk")

    with pytest.raises(TypeError, match=words):
        any_value(value=value)


def test_records_with_their_related_records(episodes: list[Episode]) -> None:
    @fixed_query
    def records(*, above: int) -> QuerySet[Any]:
        return Episode.objects.filter(pk__gt=above).select_related("patient").order_by("pk")

    found = records(above=0)
    assert found == list(records.build(above=0))
    with CaptureQueriesContext(connection) as run:
        assert [e.patient.legal_name for e in found] == [e.patient.legal_name for e in episodes]
    assert run.captured_queries == []


def test_the_stand_in_has_the_reach_of_the_person(pat: User, cora: User) -> None:
    for person in (pat, cora):
        stand_in = reach_of(person).stand_in(person.pk, person.clinic_id)
        assert stand_in.permissions == person.permissions
        assert (stand_in.pk, stand_in.clinic_id, stand_in.roles) == (
            person.pk,
            person.clinic_id,
            person.roles,
        )


def test_prefetched_records_are_left_as_prefetch_related_leaves_them(
    episodes: list[Episode], maya: Patient, leo: Patient, cora: User
) -> None:
    @fixed_query
    def of(*, patient_ids: list[int]) -> QuerySet[Episode]:
        return Episode.objects.filter(patient_id__in=patient_ids).order_by("pk")

    nico = actions.patient_register(
        by=cora,
        clinic=maya.clinic,
        legal_name="Nico Rey",
        date_of_birth=years_ago(11),
        sex="male",
    )
    patients = [maya, leo, nico]
    prefetched(patients, "episodes", of(patient_ids=[p.pk for p in patients]))
    django_s = list(
        Patient.objects.filter(pk__in=[p.pk for p in patients]).prefetch_related("episodes")
    )
    with CaptureQueriesContext(connection) as run:
        for mine, theirs in zip(patients, sorted(django_s, key=patients.index), strict=True):
            assert list(mine.episodes.all()) == list(theirs.episodes.all())
            assert all(e.patient is mine for e in mine.episodes.all())
    assert run.captured_queries == []
    assert list(nico.episodes.all()) == []
    # A narrower question still goes to the database, about this child's episodes only.
    assert list(maya.episodes.filter(referral_reason="Knee")) == []
    assert list(leo.episodes.filter(referral_reason="Knee")) == [episodes[1]]
