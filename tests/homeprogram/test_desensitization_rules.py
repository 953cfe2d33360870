"""The desensitization vocabulary, a day's checks and the weekly progression, worked by hand
(backto/clinical/desensitization.py)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from backto.clinical import desensitization as d
from backto.clinical.desensitization import Tolerated, WeekProgress, week_in_words, week_progress

MONDAY = date(2026, 6, 15)


def test_the_ladder_runs_from_softest_to_roughest_without_gaps():
    assert [s.rank for s in d.LADDER] == list(range(1, len(d.LADDER) + 1))
    assert d.LADDER[0].code == "silk" and d.LADDER[-1].code == "brush"
    assert all(s.rank is None for s in d.OTHER_STIMULI)
    assert len(set(d.CODES)) == len(d.CODES)


def test_a_good_day_has_no_problems():
    day = [Tolerated("cotton_ball", 5), Tolerated("other", 2, "sponge")]
    assert d.problems(day) == []


def test_each_problem_names_its_row_and_field():
    day = [
        Tolerated("sandpaper", 5),
        Tolerated("silk", 0),
        Tolerated("other", 3),
    ]
    found = {(p.row, p.field) for p in d.problems(day)}
    assert found == {(1, "texture"), (2, "minutes"), (3, "other")}
    messages = {p.field: p.message for p in d.problems(day)}
    assert "'sandpaper'" in messages["texture"] and "silk" in messages["texture"]
    assert messages["minutes"] == "Give whole minutes from 1 to 60."


def test_minutes_are_whole_and_at_most_an_hour():
    assert d.problems([Tolerated("silk", 60)]) == []
    for bad in (61, -1, 0):
        assert [p.field for p in d.problems([Tolerated("silk", bad)])] == ["minutes"]
    assert [p.field for p in d.problems([Tolerated("silk", 2.5)])] == ["minutes"]  # type: ignore[arg-type]


def test_a_texture_is_recorded_once_a_day_and_a_word_only_for_something_else():
    twice = d.problems([Tolerated("silk", 2), Tolerated("silk", 4)])
    assert [(p.row, p.field) for p in twice] == [(2, "texture")]
    assert "already in row 1" in twice[0].message
    same_word = d.problems([Tolerated("other", 2, "Sponge"), Tolerated("other", 4, "sponge ")])
    assert [(p.row, p.field) for p in same_word] == [(2, "texture")]
    stray = d.problems([Tolerated("silk", 2, "sponge")])
    assert [(p.row, p.field) for p in stray] == [(1, "other")]
    long_word = d.problems([Tolerated("other", 2, "x" * 41)])
    assert [(p.row, p.field) for p in long_word] == [(1, "other")]


def test_at_most_three_textures_a_day():
    four = [Tolerated(code, 1) for code in ("silk", "fleece", "brush", "corduroy")]
    assert [(p.row, p.field) for p in d.problems(four)] == [(4, "texture")]


def test_a_week_shows_the_roughest_texture_and_the_longest_time_at_it():
    """Worked example: Monday a cotton ball 8 min and a soft towel 3 min; Wednesday a soft towel
    5 min and vibration 10 min; Thursday ticked with nothing noted. The next Monday: silk 2 min.
    Week 1: roughest the soft towel (rank 4 beats the cotton ball's 2), longest at it 5 min, the
    longest at anything 10 min (vibration), 3 days. Week 2: silk 2 min, 1 day."""
    tolerated = [
        (MONDAY, Tolerated("cotton_ball", 8)),
        (MONDAY, Tolerated("soft_towel", 3)),
        (MONDAY + timedelta(days=2), Tolerated("soft_towel", 5)),
        (MONDAY + timedelta(days=2), Tolerated("vibration", 10)),
        (MONDAY + timedelta(days=7), Tolerated("silk", 2)),
    ]
    ticked = [MONDAY, MONDAY + timedelta(days=2), MONDAY + timedelta(days=3)]
    first, second = week_progress([*ticked, MONDAY + timedelta(days=7)], tolerated)
    assert first == WeekProgress(
        week_start=MONDAY,
        days=3,
        roughest=d.STIMULI["soft_towel"],
        roughest_minutes=5,
        longest_minutes=10,
        others=("vibration",),
    )
    assert (second.week_start, second.roughest, second.roughest_minutes, second.days) == (
        MONDAY + timedelta(days=7),
        d.STIMULI["silk"],
        2,
        1,
    )


def test_a_week_without_a_ladder_texture_has_no_roughest():
    (week,) = week_progress([MONDAY], [(MONDAY, Tolerated("other", 4, "sponge"))])
    assert week.roughest is None and week.roughest_minutes is None
    assert week.longest_minutes == 4 and week.others == ("sponge",)
    (bare,) = week_progress([MONDAY + timedelta(days=6)], [])
    assert (bare.week_start, bare.days, bare.longest_minutes) == (MONDAY, 1, None)


def test_the_weeks_words_are_warm_and_never_about_pain():
    (week,) = week_progress(
        [MONDAY, MONDAY + timedelta(days=1)],
        [(MONDAY, Tolerated("rough_towel", 5)), (MONDAY, Tolerated("warm_water", 3))],
    )
    assert week_in_words(week, who="you", when="This week") == (
        "This week you went up to a rough towel for 5 minutes, and also tried warm water, "
        "on 2 days."
    )
    (others,) = week_progress([MONDAY], [(MONDAY, Tolerated("vibration", 1))])
    assert week_in_words(others, who="Maya", when="Last week") == (
        "Last week Maya practised with vibration, on 1 day."
    )
    (bare,) = week_progress([MONDAY], [])
    assert week_in_words(bare, who="you", when="This week") == (
        "This week you did touch practice, on 1 day."
    )


entries = st.lists(
    st.tuples(
        st.integers(0, 27).map(lambda n: MONDAY + timedelta(days=n)),
        st.builds(Tolerated, st.sampled_from(list(d.STIMULI)), st.integers(1, d.MINUTES_MAX)),
    ),
    max_size=30,
)


@given(entries)
def test_the_roughest_is_never_softer_than_any_ladder_texture_that_week(tolerated):
    for week in week_progress([], tolerated):
        in_week = [
            t
            for day, t in tolerated
            if d.week_start(day) == week.week_start and t.code in d.LADDER_CODES
        ]
        if not in_week:
            assert week.roughest is None
            continue
        assert week.roughest is not None and week.roughest.rank is not None
        assert all((d.STIMULI[t.code].rank or 0) <= week.roughest.rank for t in in_week)
        assert week.roughest_minutes == max(
            t.minutes for t in in_week if t.code == week.roughest.code
        )
        assert 1 <= week.days <= 7


@given(entries)
def test_the_order_of_the_records_does_not_change_the_weeks(tolerated):
    assert week_progress([], tolerated) == week_progress([], list(reversed(tolerated)))
