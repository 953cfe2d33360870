"""The research export's data dictionary: every table's columns (meaning, type, allowed values,
units), written from the same definitions the tables are written with so that the two cannot
drift; every questionnaire and diary item of every instrument version (its linkId, neutral label,
type, allowed answers, and whether it is exported); and every instrument version's scoring rule
as the scoring engine states it (CLINICAL.md)."""

from dataclasses import dataclass

from backto.access.patients.models import Sex, therapy_choices
from backto.access.patients.respondents import Respondent
from backto.capabilities.careplan.models import Setting
from backto.capabilities.diary.models import PRIVATE_ABLE
from backto.capabilities.measures.models import Timepoint
from backto.clinical.functional_tests import TESTS
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Instrument, Item
from backto.clinical.scoring import describe_rule
from backto.clinical.sensory_exam import STIMULI
from backto.clinical.sensory_signs import CATEGORY_LABELS, COLOURS, SIGN_LABELS
from backto.readers.outcomes.export import SUPPRESSED
from backto.readers.outcomes.queries import AGE_BANDS


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    type: str  # text, integer, decimal, date, yes/no
    allowed: str = ""
    units: str = ""


def _choices(values: object) -> str:
    return " | ".join(str(v) for v in values)  # type: ignore[attr-defined]


_GENERALIZED = f'; "{SUPPRESSED}" where the value was generalized (README.txt)'
STUDY_ID = Column(
    "study_id",
    "The child's study id: a keyed hash (HMAC-SHA256) of the record id under this study's own "
    "key, the same in every export of this study and different in every other study",
    "text",
    '"S-" and 12 hexadecimal digits',
)
EPISODE = Column(
    "episode",
    "The child's episode of care in the cohort, numbered from 1 in the order their programs "
    "started",
    "integer",
    "1 and up",
)
SHIFTED = "date shifted by the child's offset (README.txt)"
RESPONDENT = _choices(Respondent.values)
TIMEPOINT = _choices(Timepoint.values)
YES_NO = "yes | no"

TABLES: dict[str, tuple[Column, ...]] = {
    "participants": (
        STUDY_ID,
        Column(
            "age_band",
            "Age in whole years at the start of the child's first program in the cohort (real "
            "dates), in bands as the outcomes export gives it",
            "text",
            _choices(label for _, _, label in AGE_BANDS) + _GENERALIZED,
            "years",
        ),
        Column("sex", "Sex as recorded", "text", _choices(Sex.values) + _GENERALIZED),
        Column(
            "setting",
            "The program of the first episode in the cohort (its care plan's setting; empty: no "
            "plan yet)",
            "text",
            _choices(Setting.values) + _GENERALIZED,
        ),
        Column(
            "care_team",
            "The disciplines on the first episode's care team, sorted and joined with +",
            "text",
            "any of "
            + _choices(v for v, _ in therapy_choices())
            + ", joined with +"
            + _GENERALIZED,
        ),
    ),
    "episodes": (
        STUDY_ID,
        EPISODE,
        Column(
            "program_started_on", "The day the program started (moved to active)", "date", SHIFTED
        ),
        Column(
            "discharged_on", "The day of discharge; empty while the program runs", "date", SHIFTED
        ),
    ),
    "questionnaire_answers": (
        STUDY_ID,
        EPISODE,
        Column(
            "administration",
            "The questionnaire administration, numbered from 1 per child in the order completed; "
            "joins questionnaire_scores",
            "integer",
            "1 and up",
        ),
        Column("instrument_id", "The instrument (item_dictionary.csv)", "text"),
        Column("instrument_version", "The instrument version the answers were given to", "text"),
        Column("respondent", "Who answered", "text", RESPONDENT),
        Column("timepoint", "The point of the episode", "text", TIMEPOINT),
        Column("completed_on", "The day the questionnaire was completed", "date", SHIFTED),
        Column(
            "link_id", "The item's linkId in the instrument version (item_dictionary.csv)", "text"
        ),
        Column(
            "value",
            "The answer as stored: an option's value, or a number; several answers of a "
            "multiple-choice item joined with ;",
            "text",
            "the item's allowed values (item_dictionary.csv)",
        ),
    ),
    "questionnaire_scores": (
        STUDY_ID,
        EPISODE,
        Column("administration", "Joins questionnaire_answers", "integer", "1 and up"),
        Column("instrument_id", "The instrument scored", "text"),
        Column("instrument_version", "Its version", "text"),
        Column("engine_version", "The scoring engine's version that made the score", "text"),
        Column("respondent", "Who answered", "text", RESPONDENT),
        Column("timepoint", "The point of the episode", "text", TIMEPOINT),
        Column("completed_on", "The day completed", "date", SHIFTED),
        Column("score", '"total", or the name of a subscale', "text"),
        Column(
            "value",
            "The score; empty when too many items were unanswered (the missing-item rule)",
            "decimal",
            "the instrument's range (scoring_rules.csv)",
            "points, or percent for a percentage score",
        ),
        Column("band", "The total's band (empty for subscales and unbanded scores)", "text"),
        Column("prorated", "Was the total prorated for unanswered items?", "yes/no", YES_NO),
        Column("missing_items", "Items left unanswered", "integer", "0 and up"),
        Column(
            "rule",
            "The scoring rule as the engine applied it (CLINICAL.md; also scoring_rules.csv)",
            "text",
        ),
    ),
    "diary_answers": (
        STUDY_ID,
        Column(
            "episode",
            "The cohort episode whose program ran that day (start to discharge); days outside "
            "every episode are left out",
            "integer",
            "1 and up",
        ),
        Column("day", "The diary's day", "date", SHIFTED),
        Column("respondent", "Whose diary", "text", _choices(("child", "parent"))),
        Column("instrument_id", "The diary instrument", "text", "daily-diary | daily-diary-parent"),
        Column("instrument_version", "Its version", "text"),
        Column("link_id", "The item's linkId (item_dictionary.csv)", "text"),
        Column(
            "value",
            "The answer as stored; several answers joined with ;",
            "text",
            "the item's allowed values (item_dictionary.csv)",
        ),
    ),
    "functional_tests": (
        STUDY_ID,
        EPISODE,
        Column("test_id", "The functional test", "text", _choices(TESTS)),
        Column("day", "The day the test was done", "date", SHIFTED),
        Column("measure", "What was measured (one row per measure of a test)", "text"),
        Column(
            "value",
            "The measure, as the clinical core rounded it",
            "decimal",
            "",
            "as the measure's name says: _m metres, _s seconds, _kg kilograms, repetitions",
        ),
        Column(
            "percent_predicted",
            "The 6-minute walk's percent of the value the named reference predicts for the "
            "child's sex, age and height; empty without a checked reference",
            "decimal",
            "",
            "percent",
        ),
        Column("reference", "The reference equation's name, when one applied", "text"),
        Column(
            "protocol",
            "How the test was done (course length, rests, pace, eyes, chair height, "
            "dynamometer...), name=value joined with ; (the child's age, sex and height are left "
            "out)",
            "text",
        ),
        Column("engine_version", "The clinical core's version that worked the result out", "text"),
    ),
    "body_map": (
        STUDY_ID,
        EPISODE,
        Column("respondent", "Who marked the map", "text", RESPONDENT),
        Column("timepoint", "The point of the episode", "text", TIMEPOINT),
        Column("day", "The day the map was marked", "date", SHIFTED),
        Column(
            "regions",
            "The body map's region ids marked painful, joined with ; (empty: nowhere)",
            "text",
            "the body map catalogue's region ids (docs/body-map.md)",
        ),
        Column("painful_region_count", "Painful body regions", "integer", "0 and up", "regions"),
        Column("wpi", "Widespread pain index (ACR)", "integer", "0-19", "areas"),
        Column(
            "distribution",
            "Localized or diffuse (5 or more regions)",
            "text",
            "localized | diffuse",
        ),
        Column("generalized_pain", "Pain in at least 4 of the 5 ACR regions", "yes/no", YES_NO),
        Column("catalogue_version", "The body map catalogue's version", "text"),
    ),
    "sensory_exams": (
        STUDY_ID,
        EPISODE,
        Column(
            "exam",
            "The sensory exam, numbered from 1 per child by day; joins sensory_findings",
            "integer",
            "1 and up",
        ),
        Column("day", "The day of the exam", "date", SHIFTED),
        Column(
            "affected_side",
            "The side examined as affected",
            "text",
            "left | right | empty (not recorded)",
        ),
        Column(
            "colour",
            "Skin colour on the affected side",
            "text",
            _choices(COLOURS) + " | empty (no colour change recorded)",
        ),
        Column(
            "allodynia_percent",
            "The allodynia territories together as a percentage of body surface (Lund and "
            "Browder, at the child's age); empty: not tested",
            "decimal",
            "0-100",
            "percent of body surface",
        ),
        Column(
            "temperature_difference_c",
            "Skin temperature, affected minus other side, at the site with the largest difference",
            "decimal",
            "",
            "°C",
        ),
        Column("temperature_flagged", "Is that difference more than 1.0 °C?", "yes/no", YES_NO),
        Column(
            "signs_in_categories",
            "Budapest sign categories with a sign",
            "integer",
            "0-4",
            "categories",
        ),
        *(
            Column(f"sign_{name}", f"Sign seen at the exam: {label}", "text", "yes | no | unknown")
            for name, label in SIGN_LABELS.items()
            if name != "temperature_asymmetry"
        ),
        *(
            Column(
                f"category_{name}", f"A sign in the Budapest category: {label}", "text", "yes | no"
            )
            for name, label in CATEGORY_LABELS.items()
        ),
        Column("engine_version", "The clinical core's version that worked the result out", "text"),
    ),
    "sensory_findings": (
        STUDY_ID,
        EPISODE,
        Column("exam", "Joins sensory_exams", "integer", "1 and up"),
        Column("kind", "What the stimulus showed", "text", "allodynia | hyperalgesia"),
        Column("stimulus", "The stimulus", "text", _choices(STIMULI)),
        Column(
            "monofilament_g", "The monofilament's force (monofilament only)", "decimal", "", "g"
        ),
        Column("evoked_pain", "Pain the stimulus evoked", "integer", "0-10", "points"),
        Column(
            "percent",
            "The territory as a percentage of body surface",
            "decimal",
            "0-100",
            "percent of body surface",
        ),
        Column("regions", "The territory's body map region ids, joined with ;", "text"),
    ),
}

DICTIONARY_COLUMNS = ("table", "column", "meaning", "type", "allowed_values", "units")


def column_rows() -> list[dict[str, str]]:
    return [
        {
            "table": f"{table}.csv",
            "column": c.name,
            "meaning": c.meaning,
            "type": c.type,
            "allowed_values": c.allowed,
            "units": c.units,
        }
        for table, columns in TABLES.items()
        for c in columns
    ]


def exported_item(item: Item) -> bool:
    """Free text is never exported: it can name the child, a place or a person."""
    return item.type != "text"


def _item_exported(instrument: Instrument, item: Item) -> str:
    if not exported_item(item):
        return "no: free text is never exported"
    if instrument.id == "daily-diary" and item.linkId in PRIVATE_ABLE:
        return "yes, except where the teen kept it from their guardians: then never"
    return "yes"


def _allowed(item: Item) -> str:
    if item.answerOption:
        return " | ".join(f"{o.value}={o.label}" for o in item.answerOption) + (
            " (several, joined with ;)" if item.repeats else ""
        )
    if item.minValue is not None or item.maxValue is not None:
        low = "" if item.minValue is None else item.minValue
        high = "" if item.maxValue is None else item.maxValue
        return f"{low}-{high}"
    return ""


ITEM_COLUMNS = (
    "instrument_id",
    "instrument_version",
    "link_id",
    "label",
    "type",
    "allowed_values",
    "exported",
)


def item_rows() -> list[dict[str, str]]:
    return [
        {
            "instrument_id": instrument.id,
            "instrument_version": instrument.version,
            "link_id": item.linkId,
            "label": item.label,
            "type": item.type,
            "allowed_values": _allowed(item),
            "exported": _item_exported(instrument, item),
        }
        for instrument in instrument_registry().all_versions()
        for item in instrument.items
    ]


RULE_COLUMNS = ("instrument_id", "instrument_version", "title", "rule")


def rule_rows() -> list[dict[str, str]]:
    return [
        {
            "instrument_id": instrument.id,
            "instrument_version": instrument.version,
            "title": instrument.title,
            "rule": describe_rule(instrument),
        }
        for instrument in instrument_registry().all_versions()
    ]
