"""The sensory, autonomic and motor exam's rules: stimuli and what they test, territories as a
share of body surface for the child's age, the temperature flag, swelling, and the Budapest signs
the exam fills (a tally's input, never a diagnosis)."""

import doctest
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backto.clinical import sensory_exam as module
from backto.clinical import sensory_signs
from backto.clinical.body_map import body_map_catalogue, territory_percent_exact
from backto.clinical.criteria_tallies import (
    BUDAPEST_FEATURES,
    TEMPERATURE_SIGN_ABOVE_C,
    BudapestInput,
    budapest_tally,
)
from backto.clinical.sensory_exam import (
    MONOFILAMENT_FORCES_G,
    STIMULUS_KIND,
    Finding,
    SensoryExamError,
    Stimulus,
    allodynia_percent,
    parse_findings,
    sensory_exam,
)
from backto.clinical.sensory_signs import (
    SWEATING,
    SWELLING_ABOVE_CM,
    TEMPERATURE_FLAG_ABOVE_C,
    SidePair,
    parse_signs,
    temperature_flagged,
)

IDS = [r.id for r in body_map_catalogue().regions]
FAST = settings(max_examples=80, deadline=None)
LOWER_LEG = ["lower-leg-right-front", "lower-leg-right-back"]  # 0.30 + 0.35 of the part
FOOT = ["foot-right-front", "toes-right-front", "foot-right-back"]  # the whole foot


def exam(findings=(), age=12, **signs):
    return sensory_exam(findings=list(findings), signs=signs, age_years=age)


def refused(**given) -> dict[str, list[str]]:
    with pytest.raises(SensoryExamError) as error:
        sensory_exam(findings=given.pop("findings", []), signs=given.pop("signs", {}), age_years=12)
    return error.value.errors


def test_the_worked_examples_in_the_docstrings_hold():
    assert doctest.testmod(module).failed == 0
    assert doctest.testmod(sensory_signs).failed == 0


# --- Stimuli -----------------------------------------------------------------------------------


def test_pinprick_tests_hyperalgesia_and_every_other_stimulus_allodynia():
    assert STIMULUS_KIND == {
        "brush": "allodynia",
        "cotton": "allodynia",
        "monofilament": "allodynia",
        "cold": "allodynia",
        "pinprick": "hyperalgesia",
    }


def test_the_monofilament_forces_are_the_standard_twenty_with_15_g_among_them():
    assert len(MONOFILAMENT_FORCES_G) == 20
    assert min(MONOFILAMENT_FORCES_G) == Decimal("0.008")
    assert max(MONOFILAMENT_FORCES_G) == 300
    assert MONOFILAMENT_FORCES_G[Decimal(15)] == "5.18"  # Spicher's allodynography filament


def test_a_monofilament_needs_a_standard_force_in_grams():
    assert (
        "required: the force in g"
        in refused(findings=[{"stimulus": "monofilament", "regions": []}])[
            "monofilament.monofilament_g"
        ][0]
    )
    message = refused(findings=[{"stimulus": "monofilament", "monofilament_g": "12"}])[
        "monofilament.monofilament_g"
    ][0]
    assert "12 is not allowed" in message and "0.008, 0.02" in message and "15, 26" in message
    (found,) = parse_findings([{"stimulus": "monofilament", "monofilament_g": "15.0"}])
    assert found.monofilament_g == Decimal(15) and found.label == "Monofilament 15 g"
    assert (
        "only for the monofilament"
        in refused(findings=[{"stimulus": "brush", "monofilament_g": 15}])["brush.monofilament_g"][
            0
        ]
    )


@pytest.mark.parametrize(
    ("finding", "field", "words"),
    [
        ({"stimulus": "feather"}, "stimulus", "one of brush, cotton, monofilament, cold, pinprick"),
        ({"stimulus": "brush", "regions": ["shin-left"]}, "brush.regions", "unknown body-map"),
        ({"stimulus": "brush", "regions": "knee"}, "brush.regions", "a list of body map region"),
        ({"stimulus": "cold", "regions": FOOT}, "cold.evoked_pain", "required with a territory"),
        (
            {"stimulus": "cold", "regions": FOOT, "evoked_pain": 11},
            "cold.evoked_pain",
            "a whole number from 0 to 10",
        ),
        (
            {"stimulus": "cold", "regions": FOOT, "evoked_pain": 2.5},
            "cold.evoked_pain",
            "a whole number from 0 to 10",
        ),
        ({"stimulus": "cotton", "evoked_pain": 3}, "cotton.evoked_pain", "only with a territory"),
        ({"stimulus": "brush", "where": "leg"}, "brush", "unknown fields ['where']"),
    ],
)
def test_a_bad_finding_is_refused_naming_its_field_and_what_is_allowed(finding, field, words):
    errors = refused(findings=[finding])
    assert words in " ".join(errors[field]), errors


def test_a_stimulus_is_given_once_per_exam():
    errors = refused(findings=[{"stimulus": "brush"}, {"stimulus": "brush"}])
    assert "given twice" in errors["brush"][0]


def test_every_bad_field_is_named_at_once():
    errors = refused(
        findings=[{"stimulus": "cold", "regions": FOOT}],
        signs={"tremor": "maybe", "temperatures": [{"site": "", "affected_c": 50, "other_c": 30}]},
    )
    assert set(errors) == {
        "cold.evoked_pain",
        "tremor",
        "temperatures.0.site",
        "temperatures.0.affected_c",
    }
    assert errors["tremor"] == ["“maybe” is not allowed: yes, no or unknown"]
    assert "from 15 to 42" in errors["temperatures.0.affected_c"][0]


# --- Territories -------------------------------------------------------------------------------


def test_each_findings_territory_and_the_union_of_allodynia_by_hand():
    # 12 years: lower leg 6 %, foot 3.5 %. Brush: 6 x 0.65 + 3.5 = 7.4; cold: 3.5 x 0.5 = 1.75.
    result = exam(
        [
            {"stimulus": "brush", "regions": LOWER_LEG + FOOT, "evoked_pain": 6},
            {"stimulus": "cold", "regions": FOOT[:2], "evoked_pain": 4},
            {"stimulus": "pinprick", "regions": ["knee-right-front"], "evoked_pain": 8},
        ]
    )
    assert [(r.finding.stimulus, str(r.percent)) for r in result.findings] == [
        ("brush", "7.4"),
        ("cold", "1.8"),
        ("pinprick", "0.9"),  # 6 x 0.15: hyperalgesia, not in the allodynia area
    ]
    assert result.allodynia_percent == Decimal("7.4")


def test_the_territory_follows_the_childs_age_band():
    # The same lower leg and foot: 5.5 x 0.65 + 3.5 at 7; 7 x 0.65 + 3.5 as an adult.
    drawn = [{"stimulus": "brush", "regions": LOWER_LEG + FOOT, "evoked_pain": 5}]
    assert exam(drawn, age=7).allodynia_percent == Decimal("7.1")  # 7.075
    assert exam(drawn, age=18).allodynia_percent == Decimal("8.1")  # 8.05


def test_the_allodynia_area_is_none_when_untested_and_zero_when_nothing_was_evoked():
    assert exam().allodynia_percent is None
    assert exam([{"stimulus": "pinprick"}]).allodynia_percent is None
    assert exam([{"stimulus": "brush"}]).allodynia_percent == Decimal("0.0")


def test_a_bad_age_is_named():
    with pytest.raises(SensoryExamError) as error:
        sensory_exam(findings=[], signs={}, age_years=-1)
    assert list(error.value.errors) == ["age_years"]


region_sets = st.lists(st.sampled_from(IDS), max_size=25)
ages = st.integers(min_value=0, max_value=25)
stimuli: st.SearchStrategy[Stimulus] = st.sampled_from(["brush", "cotton", "cold", "monofilament"])


def _findings(territories: dict[Stimulus, list[str]]) -> list[Finding]:
    return [
        Finding(
            s, tuple(sorted(set(r))), 5 if r else None, Decimal(15) if s == "monofilament" else None
        )
        for s, r in territories.items()
    ]


@FAST
@given(st.dictionaries(stimuli, region_sets, min_size=1), ages)
def test_the_union_never_exceeds_the_sum_of_its_parts_nor_100(territories, age):
    found = _findings(territories)
    union = territory_percent_exact(sorted({r for f in found for r in f.regions}), age)
    parts = sum((territory_percent_exact(list(f.regions), age) for f in found), Decimal(0))
    assert union <= parts
    rounded = allodynia_percent(found, age)
    assert rounded is not None and Decimal(0) <= rounded <= 100


@FAST
@given(region_sets, region_sets, ages)
def test_the_union_is_monotone_in_regions(some, more, age):
    smaller = allodynia_percent(_findings({"brush": some}), age)
    larger = allodynia_percent(_findings({"brush": some, "cold": more}), age)
    assert smaller is not None and larger is not None and smaller <= larger


@FAST
@given(st.lists(stimuli, unique=True, min_size=1), ages)
def test_the_whole_body_is_100_percent(chosen, age):
    territories = {s: IDS if index == 0 else IDS[:5] for index, s in enumerate(chosen)}
    assert allodynia_percent(_findings(territories), age) == 100


# --- Temperature -------------------------------------------------------------------------------


def test_the_flag_uses_the_budapest_threshold_strictly_above_one_degree():
    assert TEMPERATURE_FLAG_ABOVE_C is TEMPERATURE_SIGN_ABOVE_C == Decimal("1.0")
    assert not temperature_flagged(Decimal("1.0")) and not temperature_flagged(Decimal("-1.0"))
    assert temperature_flagged(Decimal("1.1")) and temperature_flagged(Decimal("-1.1"))


def test_the_exams_difference_is_the_largest_absolute_site_difference_with_its_sign():
    result = exam(
        temperatures=[
            {"site": "dorsum of foot", "affected_c": "31.0", "other_c": "30.2"},  # +0.8
            {"site": "sole", "affected_c": 29.4, "other_c": Decimal("31.0")},  # -1.6
            {"site": "calf", "affected_c": "32.6", "other_c": "31.0"},  # +1.6, a tie: 2nd wins
        ]
    )
    assert result.temperature_difference_c == Decimal("-1.6") and result.temperature_flagged
    stored = result.as_dict()
    assert stored["temperature_difference_c"] == "-1.6"
    assert stored["sites"] == [
        {"site": "dorsum of foot", "difference_c": "0.8", "flagged": False},
        {"site": "sole", "difference_c": "-1.6", "flagged": True},
        {"site": "calf", "difference_c": "1.6", "flagged": True},
    ]


def test_no_temperature_gives_no_difference_and_no_flag():
    result = exam()
    assert result.temperature_difference_c is None and not result.temperature_flagged
    assert result.as_dict()["temperature_difference_c"] is None


@pytest.mark.parametrize(
    ("reading", "words"),
    [
        ("31.25", "has more than one decimal"),
        ("14.9", "from 15 to 42"),
        ("warm", "“warm” is not allowed"),
        ("", "required"),
        (True, "is not allowed"),
    ],
)
def test_a_bad_temperature_is_refused_naming_the_field(reading, words):
    errors = refused(
        signs={"temperatures": [{"site": "foot", "affected_c": reading, "other_c": "30"}]}
    )
    assert words in errors["temperatures.0.affected_c"][0]


readings = st.decimals(min_value=15, max_value=42, places=1)


@FAST
@given(readings, readings)
def test_the_flag_is_symmetric_in_sides(left, right):
    one = exam(temperatures=[{"site": "foot", "affected_c": left, "other_c": right}])
    other = exam(temperatures=[{"site": "foot", "affected_c": right, "other_c": left}])
    assert one.temperature_flagged == other.temperature_flagged
    assert one.temperature_difference_c == -other.temperature_difference_c
    tally = budapest_tally(BudapestInput(temperature_difference_c=one.temperature_difference_c))
    assert (tally.temperature_sign == "yes") == one.temperature_flagged


# --- Swelling and the typed signs --------------------------------------------------------------


def _swelling(observed, affected_cm=None, other_cm="20.0"):
    sites = (
        []
        if affected_cm is None
        else [{"site": "ankle", "affected_cm": affected_cm, "other_cm": other_cm}]
    )
    return exam(swelling=observed, circumferences=sites).budapest_signs["swelling"]


def test_swelling_from_the_observation_or_a_circumference_over_two_cm_on_the_affected_side():
    assert Decimal("2.0") == SWELLING_ABOVE_CM
    assert _swelling("yes") == "yes"
    assert _swelling("unknown", "22.1") == "yes"  # 2.1 cm larger
    assert _swelling("no", "22.1") == "yes"  # measured over the threshold
    assert _swelling("unknown", "22.0") == "unknown"  # 2.0 is not over
    assert _swelling("no", "22.0") == "no"
    assert _swelling("unknown", "17.0") == "unknown"  # larger on the other side: not this sign
    assert _swelling("no") == "no" and _swelling("") == "unknown"


@pytest.mark.parametrize(
    ("signs", "field", "words"),
    [
        ({"colour": "mottled"}, "colour", "only when colour_change is yes"),
        ({"colour_change": "yes", "colour": "green"}, "colour", "red, blue-purple, mottled, pale"),
        (
            {"sweating_change": "yes", "sweating": "wet"},
            "sweating",
            "more, less, asymmetric or empty",
        ),
        ({"range_of_motion_joints": "ankle"}, "range_of_motion_joints", "only when reduced"),
        ({"affected_side": "both"}, "affected_side", "left, right or empty"),
        ({"room_c": "40"}, "room_c", "from 10 to 35"),
        ({"acclimatisation_min": "200"}, "acclimatisation_min", "from 0 to 120"),
        ({"mood": "yes"}, "mood", "is not a sign of this exam"),
        (
            {"circumferences": [{"site": "x", "affected_cm": 1, "other_cm": 20}]},
            "circumferences.0.affected_cm",
            "from 5 to 150",
        ),
        ({"temperatures": [{}] * 5}, "temperatures", "up to 4 are allowed"),
    ],
)
def test_a_bad_sign_is_refused_naming_its_field(signs, field, words):
    errors = refused(signs=signs)
    assert words in " ".join(errors[field]), errors


def test_the_signs_are_kept_as_typed_and_read_back_the_same():
    typed = parse_signs(
        {
            "affected_side": "right",
            "room_c": "22",
            "acclimatisation_min": 15,
            "temperatures": [{"site": "foot", "affected_c": "30.1", "other_c": "31.6"}],
            "circumferences": [{"site": "ankle", "affected_cm": "23.5", "other_cm": "21"}],
            "colour_change": "yes",
            "colour": "mottled",
            "reduced_range_of_motion": "yes",
            "range_of_motion_joints": "right ankle",
            "tremor": "no",
        }
    )
    assert typed.circumferences == (SidePair("ankle", Decimal("23.5"), Decimal("21.0")),)
    stored = typed.as_dict()
    assert stored["temperatures"] == [{"site": "foot", "affected_c": "30.1", "other_c": "31.6"}]
    assert stored["weakness"] == "unknown" and stored["room_c"] == "22.0"
    assert parse_signs(stored) == typed


# --- The Budapest signs ------------------------------------------------------------------------


def test_sweating_is_described_as_more_less_or_asymmetric_as_clinical_md_names_it():
    # CLINICAL.md: sweating (more / less / asymmetric); Budapest: "sweating changes and/or
    # sweating asymmetry". Each, with a change, is the sudomotor sign.
    assert SWEATING == ("more", "less", "asymmetric")
    for seen in SWEATING:
        result = exam(sweating_change="yes", sweating=seen)
        assert result.signs.sweating == seen
        assert result.budapest_signs["sweating_change"] == "yes"
        assert result.sign_categories["sudomotor_edema"] == "yes"
    assert refused(signs={"sweating_change": "no", "sweating": "asymmetric"}) == {
        "sweating": ["is described only when sweating_change is yes"]
    }


def test_the_exam_maps_onto_the_tallys_features_without_the_temperature():
    result = exam(
        [{"stimulus": "cotton", "regions": FOOT, "evoked_pain": 5}, {"stimulus": "pinprick"}],
        colour_change="no",
        sweating_change="yes",
        tremor="yes",
    )
    assert list(result.budapest_signs) == [
        f for f in BUDAPEST_FEATURES if f != "temperature_asymmetry"
    ]
    assert result.budapest_signs["allodynia"] == "yes"
    assert result.budapest_signs["hyperalgesia"] == "no"  # tested, nothing evoked
    assert result.budapest_signs["sweating_change"] == "yes"
    assert result.budapest_signs["weakness"] == "unknown"
    # The stored keys give the tally directly: the measured temperature is its own input.
    stored = result.as_dict()
    tally = budapest_tally(
        BudapestInput(
            signs=stored["budapest_signs"],
            temperature_difference_c=None
            if stored["temperature_difference_c"] is None
            else Decimal(stored["temperature_difference_c"]),
        )
    )
    assert tally.sign_categories == result.sign_categories
    assert result.sign_categories == {
        "sensory": "yes",
        "vasomotor": "unknown",
        "sudomotor_edema": "yes",
        "motor_trophic": "yes",
    }
    assert result.signs_in_categories == 3 == stored["signs_in_categories"]


def test_an_allodynia_stimulus_tested_with_nothing_evoked_is_no_and_untested_is_unknown():
    assert exam([{"stimulus": "brush"}]).budapest_signs["allodynia"] == "no"
    assert exam([{"stimulus": "pinprick"}]).budapest_signs["allodynia"] == "unknown"
    assert exam().budapest_signs["hyperalgesia"] == "unknown"


def test_a_flagged_temperature_fills_the_vasomotor_category():
    flagged = exam(
        colour_change="no",
        temperatures=[{"site": "hand", "affected_c": "33.5", "other_c": "32.4"}],
    )
    assert flagged.sign_categories["vasomotor"] == "yes"
    level = exam(
        colour_change="no",
        temperatures=[{"site": "hand", "affected_c": "33.4", "other_c": "32.4"}],
    )
    assert level.sign_categories["vasomotor"] == "no"


def test_the_stored_result_carries_what_it_was_worked_out_from():
    stored = exam([{"stimulus": "brush", "regions": FOOT, "evoked_pain": 3}], age=12).as_dict()
    assert stored["engine_version"] == "1.0.0"
    assert stored["temperature_threshold_c"] == "1.0" and stored["swelling_above_cm"] == "2.0"
    assert stored["allodynia_percent"] == "3.5" and stored["age_years"] == "12"
    assert stored["findings"] == [
        {
            "stimulus": "brush",
            "kind": "allodynia",
            "regions": sorted(FOOT),
            "evoked_pain": 3,
            "monofilament_g": None,
            "percent": "3.5",
        }
    ]
