"""The JSON API's shapes (pydantic, through django-ninja): what each endpoint returns and takes.
Field names are part of the stability promise in docs/api.md."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from ninja import Field, Schema
from pydantic import create_model

from backto.clinical.desensitization import CODES


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """A page of `item`s and the cursor of the next page (null on the last)."""
    return create_model(
        name,
        __base__=Schema,
        items=(list[item], ...),  # type: ignore[valid-type]
        next_cursor=(str | None, Field(None, description="Pass as ?cursor= for the next page.")),
    )


class PatientOut(Schema):
    id: int
    legal_name: str
    preferred_name: str
    date_of_birth: date
    sex: str
    school: str
    grade: str
    family_language: str = Field(description="The language family pages and letters use.")


class EpisodeOut(Schema):
    id: int
    patient_id: int
    state: str
    referral_date: date
    pain_pattern: str
    painful_region_count: int | None
    state_changed_at: datetime


class GoalRatingOut(Schema):
    rated_on: date
    level: int = Field(description="Goal Attainment Scaling level, -2 to +2 (CLINICAL.md).")
    rater_kind: str


class GoalLevelOut(Schema):
    level: int
    words: str = Field(
        description="What this level looks like for this child, in the goal's words."
    )


class GoalOut(Schema):
    id: int
    episode_id: int
    title: str
    discipline: str
    status: str
    baseline_level: int
    importance: int | None
    difficulty: int | None
    target_date: date | None
    levels: list[GoalLevelOut] = Field(description="The goal's five GAS levels, -2 to +2.")
    ratings: list[GoalRatingOut]


class DiaryEntryOut(Schema):
    id: int
    patient_id: int
    day: date
    respondent: str
    instrument_id: str
    instrument_version: str
    answers: dict[str, Any] = Field(
        description="The answers this caller may see: a teen's private answers only for the "
        "care team and the teen, pain only for those the pages show it to."
    )
    private_fields: list[str]
    some_answers_kept_private: bool
    created_at: datetime
    updated_at: datetime


class DiaryEntryIn(Schema):
    day: date
    respondent: str = Field(description="'child' or 'parent', as the diary page's respondent.")
    answers: dict[str, Any]
    private_fields: list[str] = Field(default_factory=list)
    idempotency_key: UUID = Field(
        description="A new UUID for each entry typed; sending the same one again stores it once."
    )


class DiarySaved(Schema):
    entry: DiaryEntryOut
    outcome: str = Field(
        description="'created', 'edited' (an earlier entry of this day) or "
        "'already' (this very submission was stored before)."
    )


class ScoreOut(Schema):
    total: Decimal | None
    band: str
    engine_version: str
    rule: str = Field(description="The scoring rule applied, as CLINICAL.md names it.")
    detail: dict[str, Any] = Field(description="Subscales, proration and notes, as stored.")


class AdministrationOut(Schema):
    id: int
    episode_id: int
    instrument_id: str
    instrument_version: str
    respondent: str
    timepoint: str
    label: str
    due_on: date
    state: str
    language: str
    on_behalf: bool
    completed_at: datetime | None
    score: ScoreOut | None
    answers: dict[str, Any] | None = Field(
        description="Item answers by linkId, for those who may read them; else null."
    )


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(description="Answers by item linkId.")
    finish: bool = Field(False, description="Score and complete the questionnaire.")
    language: str = Field("en", description="The language the questions were read in.")


class SessionOut(Schema):
    id: int
    episode_id: int
    date: date
    discipline: str
    clinician_id: int | None
    minutes: int | None
    attended: bool
    signed_at: datetime | None
    subjective: str
    objective: str
    assessment: str
    plan: str


class AdherenceWeekOut(Schema):
    week_start: date
    planned: int
    done: int


class HomeProgramItemOut(Schema):
    id: int
    exercise: str
    category: str
    sets: int | None
    reps: int | None
    minutes_today: int | None = Field(description="Today's dose in minutes, with progression.")
    times_per_day: int
    days_per_week: int
    start_date: date
    end_date: date | None


class HomeProgramOut(Schema):
    episode_id: int
    items: list[HomeProgramItemOut]
    adherence: list[AdherenceWeekOut] = Field(
        description="Exercise-days planned and ticked, per week (Monday first), last 8 weeks."
    )


class MessageOut(Schema):
    id: int
    conversation_id: int
    conversation_kind: str
    from_family: bool
    author_id: int
    body: str
    has_photo: bool
    created_at: datetime
    withdrawn: bool


class MessageIn(Schema):
    body: str = Field(description="The message, at most 4,000 characters.")
    idempotency_key: UUID = Field(
        description="A new UUID for each message typed; sending the same one again sends it once."
    )


class HelpOut(Schema):
    words: str = Field(description="The clinic's help message, in the reader's language.")
    phone: str
    hours: str
    crisis_line: str


class MessageSent(Schema):
    message: MessageOut
    outcome: str = Field(
        description="'created', or 'already' (this very message was sent before: a retry)."
    )
    help: HelpOut | None = Field(
        description="When the words suggest the writer may not be safe: the clinic's help "
        "message with its numbers, to show the writer at once (the care team is alerted)."
    )


class GoalRatingIn(Schema):
    level: int = Field(description="Goal Attainment Scaling level: -2, -1, 0, 1 or 2.")
    rated_on: date = Field(description="The review day: not in the future.")
    note: str = Field("", max_length=500)


class ToleratedIn(Schema):
    code: str = Field(
        description="The texture or stimulus: one of "
        + ", ".join(CODES)
        + " ('other' with `other` naming it in a few words)."
    )
    minutes: int
    other: str = ""


class ExerciseDayIn(Schema):
    done: bool = Field(description="Ticked as done (true) or not (false) on that day.")
    tolerated: list[ToleratedIn] = Field(
        default_factory=list,
        description="For a desensitization exercise done: the textures tolerated, in order.",
    )


class ExerciseDayOut(Schema):
    item_id: int
    day: date
    done: bool
    textures: int = Field(description="How many textures the day's tick recorded.")


PatientPage = page_of(PatientOut, "PatientPage")
EpisodePage = page_of(EpisodeOut, "EpisodePage")
GoalPage = page_of(GoalOut, "GoalPage")
DiaryPage = page_of(DiaryEntryOut, "DiaryPage")
AdministrationPage = page_of(AdministrationOut, "AdministrationPage")
SessionPage = page_of(SessionOut, "SessionPage")
MessagePage = page_of(MessageOut, "MessagePage")


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, str]] | None = None
