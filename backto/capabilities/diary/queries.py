"""Reading the diary: the calendar, answers in words, and streaks of doing the program."""

from calendar import MONDAY, Calendar, monthrange
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Max, QuerySet
from django.utils.translation import get_language, gettext, gettext_lazy

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.access.patients.models import Episode, Patient
from backto.access.patients.respondents import Respondent
from backto.capabilities.diary.models import INSTRUMENT_FOR, DiaryEntry, DiarySettings, Reminder
from backto.capabilities.homeprogram.queries import ChecklistRow, checklist
from backto.clinical.instrument_languages import registered_in_language
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Instrument, Item
from backto.core.fixed_sql import fixed_query

MILESTONES = (3, 7, 14, 30, 60, 100, 200, 365)
SUMMARY_ITEMS = (
    "activity",
    "school",
    "sleep_hours",
    "sleep_quality",
    "mood",
    "coping",
    "home_program",
    "activity_note",
    "win",
    "pain",
)


# The diary instruments' short labels (the calendar's, and the teen's choice of private answers),
# by their English words: an instrument file words its questions and answers in each language,
# not these labels.
SHORT_LABELS = {
    "What I did today": gettext_lazy("What I did today"),
    "What I did today (words)": gettext_lazy("What I did today (words)"),
    "School today": gettext_lazy("School today"),
    "Hours at school": gettext_lazy("Hours at school"),
    "Hours of sleep": gettext_lazy("Hours of sleep"),
    "How I slept": gettext_lazy("How I slept"),
    "How I felt": gettext_lazy("How I felt"),
    "What helped me": gettext_lazy("What helped me"),
    "Home exercises": gettext_lazy("Home exercises"),
    "My win today": gettext_lazy("My win today"),
    "Pain now": gettext_lazy("Pain now"),
    "What my child did today": gettext_lazy("What my child did today"),
    "What my child did (words)": gettext_lazy("What my child did (words)"),
    "How my child slept": gettext_lazy("How my child slept"),
    "How my child seemed": gettext_lazy("How my child seemed"),
    "Skills my child used": gettext_lazy("Skills my child used"),
    "A win today": gettext_lazy("A win today"),
    "Pain reported": gettext_lazy("Pain reported"),
}


def short_label(item: Item) -> str:
    """An item's short label in the active language (its own words when not listed)."""
    label = item.label or item.linkId
    return str(SHORT_LABELS.get(label, label))


def diary_instrument(respondent: str, language: str, version: str | None = None) -> Instrument:
    """The respondent's diary instrument (its latest version unless `version`), worded in
    `language` when its file has that language, else in English (`.language` says which)."""
    instrument = instrument_registry().get(INSTRUMENT_FOR[Respondent(respondent)], version)
    return registered_in_language(instrument.id, instrument.version, language)


def answer_words(respondent: str, answers: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(linkId, short label, answer in words) for the calendar, in the instrument's order, in
    the active language."""
    instrument = diary_instrument(respondent, get_language())
    shown = []
    for item in instrument.items:
        if item.linkId not in answers or item.linkId not in SUMMARY_ITEMS:
            continue
        value = answers[item.linkId]
        options = {o.value: o.label for o in item.answerOption}
        if isinstance(value, list):
            words = ", ".join(options.get(v, str(v)) for v in value)
        elif options:
            words = options.get(value, str(value))
            if item.linkId == "school" and value == 1 and "school_hours" in answers:
                words += gettext(" (%(hours)s h)") % {"hours": f"{answers['school_hours']:g}"}
        elif item.linkId == "sleep_hours":
            words = gettext("%(hours)s hours") % {"hours": f"{value:g}"}
        else:
            words = str(value)
        shown.append((item.linkId, short_label(item), words))
    return shown


@dataclass(frozen=True)
class EntryView:
    """One entry as one viewer may see it: a teen's private answers only for the care team (and
    the teen), marked there; for everyone else they are left out, and so is the safety marker
    when the safety answer is one of them."""

    entry: DiaryEntry
    words: list[tuple[str, str, str]]
    private: list[str]  # private answers shown to this viewer (the care team), to mark them
    hidden: bool  # some answers are kept from this viewer
    safety: bool  # show the care team's "safety answer" marker


def entry_view(
    entry: DiaryEntry, *, sees_private: bool, show_pain: bool, show_safety: bool = False
) -> EntryView:
    answers = entry.answers_for(sees_private=sees_private)
    words = [w for w in answer_words(entry.respondent, answers) if show_pain or w[0] != "pain"]
    private = list(entry.private_fields) if entry.respondent == Respondent.CHILD else []
    return EntryView(
        entry=entry,
        words=words,
        private=private if sees_private else [],
        hidden=bool(private) and not sees_private,
        safety=show_safety
        and entry.safety_alert
        and (sees_private or not entry.safety_answer_private),
    )


@dataclass
class DiaryDay:
    day: date
    child: list[DiaryEntry] = field(default_factory=list)
    parent: list[DiaryEntry] = field(default_factory=list)


def diary_calendar(patient_id: int, *, end: date, days: int) -> list[DiaryDay]:
    """The last `days` days up to `end`, newest first, child and parent entries side by side.
    One query however many days or entries."""
    start = end - timedelta(days=days - 1)
    calendar = {start + timedelta(days=n): DiaryDay(start + timedelta(days=n)) for n in range(days)}
    entries = DiaryEntry.objects.filter(
        patient_id=patient_id, day__gte=start, day__lte=end
    ).select_related("author")
    for entry in entries:
        slot = calendar[entry.day]
        (slot.child if entry.respondent == Respondent.CHILD else slot.parent).append(entry)
    return sorted(calendar.values(), key=lambda d: d.day, reverse=True)


@dataclass(frozen=True)
class Streak:
    days_in_a_row: int
    total_days: int
    milestone: int | None  # the last milestone of total days reached, if any


def diary_streak(days_done: set[date], *, today: date) -> Streak:
    """Days of doing the program (a diary written, by the child or a parent), never days of low
    pain. A day not yet written today does not break the run: it counts from yesterday."""
    run, day = 0, today if today in days_done else today - timedelta(days=1)
    while day in days_done:
        run += 1
        day -= timedelta(days=1)
    total = len(days_done)
    reached = [m for m in MILESTONES if m <= total]
    return Streak(days_in_a_row=run, total_days=total, milestone=reached[-1] if reached else None)


@fixed_query
def _diary_days(*, patient_ids: list[int]) -> QuerySet[Any]:
    return DiaryEntry.objects.filter(patient_id__in=patient_ids).values_list("patient_id", "day")


def streaks_for(patient_ids: list[int], *, today: date) -> dict[int, Streak]:
    """One query for every child's diary days."""
    days: dict[int, set[date]] = {pid: set() for pid in patient_ids}
    for pid, day in _diary_days(patient_ids=list(patient_ids)):
        days[pid].add(day)
    return {pid: diary_streak(d, today=today) for pid, d in days.items()}


def last_diary_days(patient_ids: Iterable[int]) -> dict[int, date]:
    """Each child's last diary day: the latest day with an entry by the child or by a parent
    (children without any are left out). The one definition of "last diary" the caseload, its
    flags and the child's page read. One query, on the (patient, day) index."""
    return dict(
        DiaryEntry.objects.filter(patient_id__in=list(patient_ids))
        .order_by()
        .values("patient_id")
        .annotate(last=Max("day"))
        .values_list("patient_id", "last")
    )


def pain_visible(permissions: Any, respondent: str, settings: DiarySettings | None) -> bool:
    """The rule of who sees a pain rating in a diary entry, for a person whose circle already
    holds the child (`permissions`: the person's permissions). The child's pain: with pain_view
    (the care team and the clinic's staff); with pain_view_when_shared (guardians) when the care
    team shows it to the family (DiarySettings.family_sees_pain). A parent's own rating: whoever
    sees the child's pain at all, guardians always (their own answers). Never the child (a
    teen's own views show no pain)."""
    if Permission.PAIN_VIEW in permissions:
        return True
    if Permission.PAIN_VIEW_WHEN_SHARED not in permissions:
        return False
    if respondent == Respondent.PARENT:
        return True
    return settings is not None and settings.family_sees_pain


@fixed_query
def _settings(*, patient_id: int) -> QuerySet[DiarySettings]:
    return DiarySettings.objects.filter(patient_id=patient_id)


def settings_of(patient: Patient) -> DiarySettings | None:
    """The child's diary settings (None before the care team changes any): read with the child
    when they were (select_related "diary_settings"), else one query."""
    if Patient.diary_settings.is_cached(patient):
        return getattr(patient, "diary_settings", None)
    return next(iter(_settings(patient_id=patient.pk)), None)


def pain_shown(user: Any, patient: Patient, settings: DiarySettings | None) -> bool:
    """Whether this person sees the child's pain (pain_visible, the child in their circle)."""
    return has_permission(user, Permission.PATIENT_VIEW, patient) and pain_visible(
        user.permissions, Respondent.CHILD, settings
    )


def parent_pain_shown(user: Any, patient: Patient) -> bool:
    """Whether this person sees the pain a parent rated in their own entries (pain_visible)."""
    return has_permission(user, Permission.PATIENT_VIEW, patient) and pain_visible(
        user.permissions, Respondent.PARENT, None
    )


def pain_enabled(patient: Patient) -> bool:
    """Whether the diary asks about pain (uses `select_related("diary_settings")` if loaded).
    A child without settings gets the question: a missing one-to-one raises AttributeError."""
    settings: DiarySettings | None = getattr(patient, "diary_settings", None)
    return settings.pain_enabled if settings is not None else True


def written_entry(patient: Patient, day: date, respondent: str, author: User) -> DiaryEntry | None:
    """The entry this person has written as this respondent for the day, if any."""
    return DiaryEntry.objects.filter(
        patient=patient, day=day, respondent=respondent, author=author
    ).first()


@dataclass(frozen=True)
class DiaryPageExtras:
    """What the diary page shows around the entry: the writer's reminder, and the day's
    exercises of the open episode, ticked in place."""

    reminder: Reminder | None
    episode: Episode | None
    exercises: list[ChecklistRow]

    @property
    def done(self) -> int:
        return sum(row.done for row in self.exercises)


def diary_page_extras(user: User, patient: Patient, day: date) -> DiaryPageExtras:
    reminder = Reminder.objects.filter(user=user, patient=patient).first()
    episode = patient.episodes.open().first()
    return DiaryPageExtras(reminder, episode, checklist(episode, day) if episode else [])


def month_weeks(first: date) -> list[list[date | None]]:
    """The weeks of `first`'s month, Monday first, each a list of seven days (None for a day of
    the month before or after)."""
    weeks = Calendar(firstweekday=MONDAY).monthdatescalendar(first.year, first.month)
    return [[d if d.month == first.month else None for d in week] for week in weeks]


def month_end(first: date) -> date:
    return first.replace(day=monthrange(first.year, first.month)[1])


@dataclass(frozen=True)
class DayGlance:
    """A day of the month calendar at a glance, as one viewer may see it: whose entries there
    are, and how much the child did and how they felt (the child's own answer, else the parent's;
    an answer kept from this viewer is not shown), with the safety marker for those who see it.
    Never pain."""

    day: date
    child: bool
    parent: bool
    activity: int | None = None  # 0 (hardly any) to 4 (all of it)
    activity_words: str = ""
    mood: int | None = None  # 0 (very sad, scared or upset) to 4 (great)
    mood_words: str = ""
    safety: bool = False


def day_glance(
    day: date, child: list[EntryView], parent: list[EntryView], *, sees_private: bool
) -> DayGlance:
    found: dict[str, tuple[int, str]] = {}
    for view in (*child, *parent):
        answers = view.entry.answers_for(sees_private=sees_private)
        words = {link_id: said for link_id, _, said in view.words}
        for link_id in ("activity", "mood"):
            value = answers.get(link_id)
            if link_id not in found and isinstance(value, int) and link_id in words:
                found[link_id] = (value, words[link_id])
    activity, activity_words = found.get("activity", (None, ""))
    mood, mood_words = found.get("mood", (None, ""))
    return DayGlance(
        day=day,
        child=bool(child),
        parent=bool(parent),
        activity=activity,
        activity_words=activity_words,
        mood=mood,
        mood_words=mood_words,
        safety=any(v.safety for v in (*child, *parent)),
    )
