"""The research export's pseudonyms and small-cell rules, without a database: study ids and date
offsets per study key and child; and over random cohorts, every combination of the
quasi-identifiers in an export shared by at least k children, or the export refused."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backto.readers.outcomes.queries import EpisodeOutcome
from backto.readers.research.actions import check_code
from backto.readers.research.deidentify import (
    QUASI_IDENTIFIERS,
    SMALL_CELL,
    TooFewToExport,
    de_identify,
)
from backto.readers.research.pseudonyms import SHIFT_DAYS, date_offset, shifted, study_id
from backto.readers.research.queries import Child, CohortRecords
from backto.readers.research.tables import build_tables

KEY = "9f" * 32
OTHER = "3c" * 32


@given(st.integers(1, 10**9))
def test_a_childs_offset_is_never_zero_and_at_most_180_days(record_id):
    offset = date_offset(KEY, record_id)
    assert offset != 0 and -SHIFT_DAYS <= offset <= SHIFT_DAYS
    assert offset == date_offset(KEY, record_id)  # the same every time


def test_offsets_spread_both_ways_and_study_ids_differ_by_study():
    offsets = Counter(date_offset(KEY, pk) > 0 for pk in range(1, 2001))
    assert 800 < offsets[True] < 1200  # about half later, half earlier
    ids = {study_id(KEY, pk) for pk in range(1, 2001)}
    assert len(ids) == 2000  # no clash among 2,000 children
    assert not ids & {study_id(OTHER, pk) for pk in range(1, 2001)}
    assert study_id(KEY, 7) == study_id(KEY, 7) and study_id(KEY, 7) != study_id(KEY, 8)
    assert shifted(date(2026, 3, 1), -1) == "2026-02-28" and shifted(None, 5) == ""


def _assert_k_anonymous(records):
    counts = Counter(tuple(r[c] for c in QUASI_IDENTIFIERS) for r in records)
    assert all(n >= SMALL_CELL for n in counts.values())


_children = st.lists(
    st.fixed_dictionaries(
        {
            # Skewed as clinics are (mostly girls, mostly teens), so that many cohorts export.
            "age_band": st.sampled_from(["12-14", "12-14", "15-18", "15-18", "8-11"]),
            "sex": st.sampled_from(["female", "female", "female", "male", "intersex"]),
            "setting": st.sampled_from(["outpatient", "outpatient", "intensive", ""]),
            "disciplines": st.sets(st.sampled_from(["pt", "ot", "counseling"]), min_size=1),
        }
    ),
    max_size=60,
)


def _records(children):
    records = {}
    for pk, child in enumerate(children, 1):
        started = date(2026, 1, 5) + timedelta(days=pk)
        episode = EpisodeOutcome(
            episode_id=1000 + pk,
            started_on=started,
            discharged_on=started + timedelta(days=60),
            relapse=False,
            **child,
        )
        records[pk] = Child(pk, [episode])
    diary = [
        {
            "patient_id": pk,
            "day": child.episodes[0].started_on + timedelta(days=3),
            "respondent": "child",
            "instrument_id": "daily-diary",
            "instrument_version": "1.0.0",
            "answers": {"activity": 2, "mood": 1, "win": "a note"},
            "private_fields": ["mood"] if pk % 2 else [],
        }
        for pk, child in records.items()
    ]
    return CohortRecords(
        children=records,
        episode_child={c.episodes[0].episode_id: pk for pk, c in records.items()},
        administrations=[],
        diary=diary,
        functional_tests=[],
        pain_maps=[],
        sensory_exams=[],
        findings=[],
    )


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(_children)
def test_every_combination_in_any_export_is_shared_by_k_children_or_it_is_refused(children):
    cohort = _records(children)
    try:
        tables = build_tables(cohort, KEY)
    except TooFewToExport:
        return
    participants = tables.rows["participants"].records()
    assert len(participants) >= SMALL_CELL
    assert len(participants) + tables.participants.withheld == len(children)
    _assert_k_anonymous(participants)
    kept = {r["study_id"] for r in participants}
    for name, table in tables.rows.items():
        assert {r["study_id"] for r in table.records()} <= kept, name  # withheld: in no table
    diary = tables.rows["diary_answers"].records()
    assert {r["study_id"] for r in diary} == kept
    assert {r["link_id"] for r in diary} <= {"activity", "mood"}
    moods = {r["study_id"] for r in diary if r["link_id"] == "mood"}
    assert moods == {study_id(KEY, pk) for pk in range(2, len(children) + 1, 2)} & kept


@given(_children)
def test_de_identify_keeps_or_withholds_every_child(children):
    records = [
        {
            "study_id": f"S-{n}",
            **{k: v for k, v in c.items() if k != "disciplines"},
            "care_team": "+".join(sorted(c["disciplines"])),
        }
        for n, c in enumerate(children)
    ]
    try:
        result = de_identify(records)
    except TooFewToExport:
        return
    assert len(result.records) + result.withheld == len(children)
    _assert_k_anonymous(result.records)


def test_fewer_than_k_children_are_refused():
    with pytest.raises(TooFewToExport, match=r"fewer than 5 children.*Choose a longer period"):
        build_tables(
            _records(
                [{"age_band": "8-11", "sex": "male", "setting": "", "disciplines": {"pt"}}] * 4
            ),
            KEY,
        )


def test_children_who_stay_rare_are_withheld_from_every_table():
    common = {"age_band": "12-14", "sex": "female", "setting": "outpatient", "disciplines": {"pt"}}
    rare = {"age_band": "8-11", "sex": "male", "setting": "intensive", "disciplines": {"ot"}}
    tables = build_tables(_records([common] * 7 + [rare] * 2), KEY)
    assert tables.participants.withheld == 2 and len(tables.rows["participants"]) == 7
    assert tables.participants.generalized  # the rare pair were generalized before withheld
    withheld = {study_id(KEY, 8), study_id(KEY, 9)}
    assert not any(r["study_id"] in withheld for t in tables.rows.values() for r in t.records())
    _assert_k_anonymous(tables.rows["participants"].records())


@pytest.mark.parametrize("code", ["AB\n", "x", "has space", "a" * 31, "-lead", "ÅB"])
def test_a_study_code_outside_the_rule_is_refused(code):
    with pytest.raises(ValidationError, match="study code must be"):
        check_code(code)


def test_a_study_code_is_kept_in_capitals():
    assert check_code("fit-2027") == "FIT-2027" and check_code("a_1") == "A_1"
