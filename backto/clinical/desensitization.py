"""The desensitization log's vocabulary and its weekly progression (issue #19).

Desensitization is touch practice on the sore area: the child rubs or touches it with a texture
or another stimulus, and moves to a rougher texture once the current one is tolerated for the
time the therapist set. The family records, with the day's tick, which textures or stimuli were
tolerated and for how long. Programs differ (direct desensitization, or counter-stimulation away
from the sore area; CLINICAL.md): BackTo records, it never prescribes the next texture.

**The texture ladder** (`LADDER`) is a project decision, not a published scale: eight household
textures from softest (1) to roughest (8), in the order pediatric pain programs commonly teach
them. It is fixed here, in code, so that "the roughest texture tolerated" means the same for every
child and every clinic and can be traced to this list (docs/program.md shows it). **Other
stimuli** (`OTHER_STIMULI`: lotion massage, vibration, warm water, cool water) are recorded but
not ranked: they are not rougher or softer than a towel, only different. Anything else is
"something else" with a short word the family types (`OTHER`), also unranked.

A day's record: up to `ROWS_MAX` textures or stimuli, each tolerated for whole minutes from 1 to
`MINUTES_MAX` (a touch session is short; an hour at one texture is already far past any dose a
program sets), each at most once a day.

A week's progression (`week_progress`), Monday to Sunday: the roughest texture on the ladder
tolerated that week and the longest time at it, the longest time at any one texture or stimulus,
the other stimuli used (alphabetically), and the days a desensitization exercise was ticked
(with or without a texture noted). Nothing here is a pain measure: it is what the child's skin
tolerated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

MINUTES_MAX: Final = 60
ROWS_MAX: Final = 3
OTHER_WORD_MAX: Final = 40
OTHER: Final = "other"


@dataclass(frozen=True)
class Stimulus:
    """A texture or stimulus: its code (stored), its label (on the form), the words a sentence
    uses ("went up to a rough towel"), and its place on the ladder (1 softest; None: unranked)."""

    code: str
    label: str
    phrase: str
    rank: int | None


LADDER: Final = (
    Stimulus("silk", "Silk or satin", "silk", 1),
    Stimulus("cotton_ball", "Cotton ball", "a cotton ball", 2),
    Stimulus("fleece", "Fleece", "fleece", 3),
    Stimulus("soft_towel", "Soft towel", "a soft towel", 4),
    Stimulus("rough_towel", "Rough towel", "a rough towel", 5),
    Stimulus("corduroy", "Corduroy", "corduroy", 6),
    Stimulus("velcro_soft", "Velcro, soft side", "the soft side of velcro", 7),
    Stimulus("brush", "Brush", "a brush", 8),
)
OTHER_STIMULI: Final = (
    Stimulus("lotion", "Lotion massage", "lotion massage", None),
    Stimulus("vibration", "Vibration", "vibration", None),
    Stimulus("warm_water", "Warm water", "warm water", None),
    Stimulus("cool_water", "Cool water", "cool water", None),
)
STIMULI: Final = {s.code: s for s in (*LADDER, *OTHER_STIMULI)}
CODES: Final = (*STIMULI, OTHER)
LADDER_CODES: Final = frozenset(s.code for s in LADDER)


def stimulus_for(code: str, other: str = "") -> Stimulus:
    """The stimulus a stored code (and, for "something else", its typed word) stands for."""
    if code == OTHER:
        return Stimulus(OTHER, other, other, None)
    return STIMULI[code]


@dataclass(frozen=True)
class Tolerated:
    """One texture or stimulus tolerated in a day's practice: its code, the family's word when the
    code is `OTHER` (else ""), and whole minutes."""

    code: str
    minutes: int
    other: str = ""


@dataclass(frozen=True)
class Problem:
    """What is wrong with one row of a day's record: the row (1-based), the field (`texture`,
    `minutes` or `other`), a message naming what is allowed, and the rule it breaks with the
    message's values (for words in another language: homeprogram/touch_words.py)."""

    row: int
    field: str
    message: str
    rule: str = ""
    values: tuple[tuple[str, object], ...] = ()


def problems(entries: Sequence[Tolerated]) -> list[Problem]:
    """Everything wrong with a day's record; empty when it may be saved."""
    found: list[Problem] = []
    if len(entries) > ROWS_MAX:
        found.append(
            Problem(
                ROWS_MAX + 1,
                "texture",
                f"Record at most {ROWS_MAX} textures in a day.",
                "too_many_rows",
                (("most", ROWS_MAX),),
            )
        )
    seen: dict[tuple[str, str], int] = {}
    for row, entry in enumerate(entries, start=1):
        if entry.code not in CODES:
            found.append(
                Problem(
                    row,
                    "texture",
                    f"Choose a texture from the list ({', '.join(CODES)}), not {entry.code!r}.",
                    "unknown_texture",
                )
            )
        word = entry.other.strip()
        if entry.code == OTHER and not word:
            found.append(
                Problem(row, "other", "Say in a word what the something else was.", "no_word")
            )
        elif entry.code != OTHER and word:
            found.append(
                Problem(
                    row,
                    "other",
                    "Type a word only when the texture is “Something else”.",
                    "word_not_wanted",
                )
            )
        elif len(word) > OTHER_WORD_MAX:
            found.append(
                Problem(
                    row,
                    "other",
                    f"Use at most {OTHER_WORD_MAX} characters for the word.",
                    "word_too_long",
                    (("most", OTHER_WORD_MAX),),
                )
            )
        if (
            isinstance(entry.minutes, bool)
            or not isinstance(entry.minutes, int)
            or not 1 <= entry.minutes <= MINUTES_MAX
        ):
            found.append(
                Problem(
                    row,
                    "minutes",
                    f"Give whole minutes from 1 to {MINUTES_MAX}.",
                    "minutes",
                    (("most", MINUTES_MAX),),
                )
            )
        key = (entry.code, word.casefold())
        if key in seen:
            found.append(
                Problem(
                    row,
                    "texture",
                    f"This texture is already in row {seen[key]}: record it once, "
                    "with its longest time.",
                    "repeated",
                    (("row", seen[key]),),
                )
            )
        else:
            seen[key] = row
    return found


@dataclass(frozen=True)
class WeekProgress:
    """A week of touch practice, Monday to Sunday (see the module's docstring)."""

    week_start: date
    days: int
    roughest: Stimulus | None
    roughest_minutes: int | None
    longest_minutes: int | None
    others: tuple[str, ...]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_progress(
    ticked_days: Iterable[date], tolerated: Iterable[tuple[date, Tolerated]]
) -> list[WeekProgress]:
    """The progression by week, oldest first, over the weeks with a ticked day: `ticked_days`
    are the days a desensitization exercise was ticked, `tolerated` what was recorded on them."""
    days: dict[date, set[date]] = {}
    for day in ticked_days:
        days.setdefault(week_start(day), set()).add(day)
    entries: dict[date, list[Tolerated]] = {}
    for day, entry in tolerated:
        days.setdefault(week_start(day), set()).add(day)
        entries.setdefault(week_start(day), []).append(entry)
    weeks = []
    for start in sorted(days):
        week = entries.get(start, [])
        ranked = [e for e in week if e.code in LADDER_CODES]
        top = max((STIMULI[e.code] for e in ranked), key=lambda s: s.rank or 0, default=None)
        others: list[str] = []
        for e in week:
            phrase = stimulus_for(e.code, e.other).phrase
            if e.code not in LADDER_CODES and phrase not in others:
                others.append(phrase)
        weeks.append(
            WeekProgress(
                week_start=start,
                days=len(days[start]),
                roughest=top,
                roughest_minutes=max(e.minutes for e in ranked if e.code == top.code)
                if top
                else None,
                longest_minutes=max((e.minutes for e in week), default=None),
                others=tuple(sorted(others)),
            )
        )
    return weeks


def minutes_in_words(n: int) -> str:
    """ "1 minute", "5 minutes"."""
    return "1 minute" if n == 1 else f"{n} minutes"


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def week_in_words(week: WeekProgress, *, who: str, when: str) -> str:
    """A week in plain, warm words for the family: `who` is "you" or the child's first name,
    `when` "This week" or "Last week". What the skin tolerated, never pain."""
    if week.roughest is not None and week.roughest_minutes is not None:
        text = f"{when} {who} went up to {week.roughest.phrase} for {minutes_in_words(week.roughest_minutes)}"
        if week.others:
            text += f", and also tried {_and(week.others)}"
    elif week.others:
        text = f"{when} {who} practised with {_and(week.others)}"
    else:
        text = f"{when} {who} did touch practice"
    return f"{text}, on {_days(week.days)}."
