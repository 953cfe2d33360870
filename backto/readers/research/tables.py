"""The research export's tables, built from a cohort's records (`queries.cohort_records`) with a
study's pseudonyms: study ids for record ids, every date of a child moved by the child's offset,
and nothing that names a child (no record id, name, birth date, exact age, free text or note).
A teen's answers kept from their guardians are never in it."""

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from backto.capabilities.diary.models import PRIVATE_ABLE
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Instrument
from backto.clinical.sensory_signs import CATEGORY_LABELS, COLOURS, SIGN_LABELS
from backto.readers.research.deidentify import Participants, de_identify
from backto.readers.research.dictionary import TABLES, exported_item
from backto.readers.research.pseudonyms import date_offset, shifted, study_id
from backto.readers.research.queries import Child, CohortRecords, each, no_progress

# Inputs of a functional test that describe the child rather than how the test was done: the
# participants table carries age and sex generalized, so they are never repeated here.
CHILD_INPUTS = frozenset({"age_years", "sex", "height_cm", "weight_kg"})
SIGNS = tuple(name for name in SIGN_LABELS if name != "temperature_asymmetry")

Row = dict[str, str]


@dataclass
class Pseudonym:
    study_id: str
    offset: int
    child: Child

    def day(self, value: date | None) -> str:
        return shifted(value, self.offset)


class TableText:
    """One table's CSV text, kept compact while it is written: each row becomes its CSV line at
    once, and a child's lines are joined into one piece as soon as the next child's row comes
    (the sources arrive child by child). The file lists the children in study id order, an
    order keyed on the study's secret that says nothing about record ids or dates; each child's
    rows keep the order they came in."""

    def __init__(self, name: str) -> None:
        self.columns = [c.name for c in TABLES[name]]
        self.pieces: dict[str, list[str]] = defaultdict(list)
        self.count = 0
        self._child = ""
        self._lines: list[str] = []
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")

    def _line(self, values: list[str]) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(values)
        return self._buffer.getvalue()

    def _flush(self) -> None:
        if self._lines:
            self.pieces[self._child].append("".join(self._lines))
            self._lines = []

    def append(self, row: Row) -> None:
        if row["study_id"] != self._child:
            self._flush()
            self._child = row["study_id"]
        self._lines.append(self._line([row[c] for c in self.columns]))
        self.count += 1

    def __len__(self) -> int:
        return self.count

    def chunks(self) -> Iterator[str]:
        """The CSV text in pieces: the header, then each child's rows in study id order."""
        self._flush()
        yield self._line(self.columns)
        for child in sorted(self.pieces):
            yield from self.pieces[child]

    def text(self) -> str:
        return "".join(self.chunks())

    def records(self) -> list[Row]:
        """The rows back as dictionaries (for tests and small tables)."""
        return list(csv.DictReader(io.StringIO(self.text())))


@dataclass
class Tables:
    rows: dict[str, TableText]  # table name -> its text
    cohort_children: int
    participants: Participants
    left_out: dict[str, int]  # what was left out, counted (README.txt)


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ";".join(text(v) for v in value)
    return str(value)


def _row(table: str, **values: Any) -> Row:
    return {c.name: text(values.get(c.name)) for c in TABLES[table]}


def _instrument(instrument_id: str, version: str) -> Instrument | None:
    return instrument_registry().find(instrument_id, version or None)


def _answers(
    instrument: Instrument, answers: dict[str, Any], private: Iterable[str] = ()
) -> Iterable[tuple[str, Any]]:
    """The answers to export, in the instrument's item order: never free text, never an answer
    kept private, never a key the instrument does not define."""
    kept_private = set(private)
    for item in instrument.items:
        if item.linkId in answers and exported_item(item) and item.linkId not in kept_private:
            value = answers[item.linkId]
            if value is not None and value != "" and value != []:
                yield item.linkId, value


def build_tables(
    records: CohortRecords, key: str, *, progress: Callable[[int], object] = no_progress
) -> Tables:
    """Every table of the export; raises TooFewToExport when the small-cell rules refuse it."""
    people = {
        pid: Pseudonym(study_id(key, pid), date_offset(key, pid), child)
        for pid, child in records.children.items()
    }
    participants = de_identify(
        [
            {
                "study_id": p.study_id,
                "age_band": p.child.episodes[0].age_band,
                "sex": p.child.episodes[0].sex,
                "setting": p.child.episodes[0].setting,
                "care_team": "+".join(sorted(p.child.episodes[0].disciplines)),
            }
            for p in people.values()
        ]
    )
    kept = {r["study_id"] for r in participants.records}
    by_episode = {
        episode_id: people[pid]
        for episode_id, pid in records.episode_child.items()
        if people[pid].study_id in kept
    }
    left_out: dict[str, int] = defaultdict(int)
    rows = {name: TableText(name) for name in TABLES}
    for record in participants.records:
        rows["participants"].append(_row("participants", **record))
    ordered = sorted((p for p in people.values() if p.study_id in kept), key=lambda p: p.study_id)
    for p in ordered:
        for number, episode in enumerate(p.child.episodes, 1):
            rows["episodes"].append(
                _row(
                    "episodes",
                    study_id=p.study_id,
                    episode=number,
                    program_started_on=p.day(episode.started_on),
                    discharged_on=p.day(episode.discharged_on),
                )
            )
    progress(1)
    _questionnaires(records, by_episode, rows, left_out)
    progress(1)
    _diary(records, people, kept, rows, left_out)
    progress(1)
    _exam(records, by_episode, rows, left_out)
    progress(1)
    return Tables(rows, len(people), participants, dict(left_out))


def _questionnaires(
    records: CohortRecords,
    by_episode: dict[int, Pseudonym],
    rows: dict[str, TableText],
    left_out: dict[str, int],
) -> None:
    numbers: dict[str, int] = defaultdict(int)
    zone = timezone.get_current_timezone()
    for a in each(records.administrations):
        p = by_episode.get(a["episode_id"])
        if p is None:
            continue
        instrument = _instrument(a["instrument_id"], a["instrument_version"])
        if instrument is None:
            left_out["questionnaires of an instrument version not in the registry"] += 1
            continue
        numbers[p.study_id] += 1
        common = {
            "study_id": p.study_id,
            "episode": p.child.episode_number(a["episode_id"]),
            "administration": numbers[p.study_id],
            "instrument_id": a["instrument_id"],
            "instrument_version": instrument.version,
            "respondent": a["respondent"],
            "timepoint": a["timepoint"],
            "completed_on": p.day(a["completed_at"].astimezone(zone).date()),
        }
        free_text = sum(
            1 for i in instrument.items if not exported_item(i) and a["answers"].get(i.linkId)
        )
        left_out["free-text questionnaire answers"] += free_text
        for link_id, value in _answers(instrument, a["answers"]):
            rows["questionnaire_answers"].append(
                _row("questionnaire_answers", **common, link_id=link_id, value=value)
            )
        result = a["result"] or {}
        if instrument.scoring is None or not result:
            continue
        score = {
            **common,
            "engine_version": a["engine_version"],
            "rule": result.get("rule", ""),
        }
        rows["questionnaire_scores"].append(
            _row(
                "questionnaire_scores",
                **score,
                score="total",
                value=result.get("total"),
                band=result.get("band"),
                prorated=result.get("prorated"),
                missing_items=result.get("missing"),
            )
        )
        for name, value in (result.get("subscales") or {}).items():
            rows["questionnaire_scores"].append(
                _row("questionnaire_scores", **score, score=name, value=value)
            )


def _diary(
    records: CohortRecords,
    people: dict[int, Pseudonym],
    kept: set[str],
    rows: dict[str, TableText],
    left_out: dict[str, int],
) -> None:
    for entry in each(records.diary):
        p = people.get(entry["patient_id"])
        if p is None or p.study_id not in kept:
            continue
        episode = p.child.episode_on(entry["day"])
        if episode is None:
            left_out["diary days outside every episode's program"] += 1
            continue
        instrument = _instrument(entry["instrument_id"], entry["instrument_version"])
        if instrument is None:
            left_out["diary entries of an instrument version not in the registry"] += 1
            continue
        # A teen's answers kept from their guardians: never exported, whatever the item.
        private = entry["private_fields"] if entry["respondent"] == "child" else []
        left_out["diary answers a teen kept private"] += sum(
            1 for f in private if f in PRIVATE_ABLE and f in entry["answers"]
        )
        for link_id, value in _answers(instrument, entry["answers"], private):
            rows["diary_answers"].append(
                _row(
                    "diary_answers",
                    study_id=p.study_id,
                    episode=episode,
                    day=p.day(entry["day"]),
                    respondent=entry["respondent"],
                    instrument_id=entry["instrument_id"],
                    instrument_version=instrument.version,
                    link_id=link_id,
                    value=value,
                )
            )


def _exam(
    records: CohortRecords,
    by_episode: dict[int, Pseudonym],
    rows: dict[str, TableText],
    left_out: dict[str, int],
) -> None:
    for test in each(records.functional_tests):
        p = by_episode.get(test["episode_id"])
        if p is None:
            continue
        result = test["result"] or {}
        measured = result.get("values") or {}
        # The protocol: how the test was done, not who did it nor what they reached (a grip's
        # trials per hand, in kg, are the measure itself).
        protocol = [
            f"{name}={text(value)}"
            for name, value in sorted((result.get("inputs") or test["inputs"] or {}).items())
            if name not in CHILD_INPUTS
            and name not in measured
            and not name.endswith("_kg")
            and value is not None
        ]
        for measure, value in measured.items():
            rows["functional_tests"].append(
                _row(
                    "functional_tests",
                    study_id=p.study_id,
                    episode=p.child.episode_number(test["episode_id"]),
                    test_id=test["test_id"],
                    day=p.day(test["day"]),
                    measure=measure,
                    value=value,
                    percent_predicted=result.get("percent_predicted"),
                    reference=result.get("reference"),
                    protocol=";".join(protocol),
                    engine_version=result.get("engine_version"),
                )
            )
    for body_map in each(records.pain_maps):
        p = by_episode.get(body_map["episode_id"])
        if p is None:
            continue
        result = body_map["result"] or {}
        rows["body_map"].append(
            _row(
                "body_map",
                study_id=p.study_id,
                episode=p.child.episode_number(body_map["episode_id"]),
                respondent=body_map["respondent"],
                timepoint=body_map["timepoint"],
                day=p.day(body_map["day"]),
                regions=sorted(body_map["regions"]),
                painful_region_count=result.get("painful_region_count"),
                wpi=result.get("wpi"),
                distribution=result.get("distribution"),
                generalized_pain=result.get("generalized_pain"),
                catalogue_version=result.get("catalogue_version"),
            )
        )
    exams: dict[int, tuple[Pseudonym, int, int]] = {}
    numbers: dict[str, int] = defaultdict(int)
    for exam in each(records.sensory_exams):
        p = by_episode.get(exam["episode_id"])
        if p is None:
            continue
        numbers[p.study_id] += 1
        episode = p.child.episode_number(exam["episode_id"])
        exams[exam["id"]] = (p, episode, numbers[p.study_id])
        signs, result = exam["signs"] or {}, exam["result"] or {}
        budapest = result.get("budapest_signs") or {}
        categories = result.get("sign_categories") or {}
        rows["sensory_exams"].append(
            _row(
                "sensory_exams",
                study_id=p.study_id,
                episode=episode,
                exam=numbers[p.study_id],
                day=p.day(exam["day"]),
                affected_side=signs.get("affected_side"),
                colour=signs.get("colour") if signs.get("colour") in COLOURS else "",
                allodynia_percent=exam["allodynia_percent"],
                temperature_difference_c=result.get("temperature_difference_c"),
                temperature_flagged=result.get("temperature_flagged"),
                signs_in_categories=result.get("signs_in_categories"),
                engine_version=result.get("engine_version"),
                **{f"sign_{name}": budapest.get(name) for name in SIGNS},
                **{f"category_{name}": categories.get(name) for name in CATEGORY_LABELS},
            )
        )
        if exam["signs"] and exam["signs"].get("range_of_motion_joints"):
            left_out["free-text exam fields (joints, notes)"] += 1
    for finding in each(records.findings):
        if finding["exam_id"] not in exams:
            continue
        p, episode, number = exams[finding["exam_id"]]
        rows["sensory_findings"].append(
            _row(
                "sensory_findings",
                study_id=p.study_id,
                episode=episode,
                exam=number,
                kind=finding["kind"],
                stimulus=finding["stimulus"],
                monofilament_g=finding["monofilament_g"],
                evoked_pain=finding["evoked_pain"],
                percent=finding["percent"],
                regions=sorted(finding["regions"]),
            )
        )
