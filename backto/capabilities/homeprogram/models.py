"""The exercise library and each child's home program: exercises with a dose and a scheduled
progression, ticked off day by day. Function first: no exercise ever asks for a pain rating."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from backto.access.accounts.models import Clinic
from backto.access.patients.models import Episode
from backto.capabilities.homeprogram.touch_words import LABELS, SOMETHING_ELSE, stimulus_label
from backto.clinical import desensitization
from backto.clinical.languages import base_language
from backto.core.uploads import PictureValidator, check_video


class Category(models.TextChoices):
    AEROBIC = "aerobic", _("Aerobic")
    STRENGTH = "strength", _("Strength")
    FUNCTIONAL = "functional", _("Functional task")
    DESENSITIZATION = "desensitization", _("Desensitization")
    COPING = "coping", _("Coping and relaxation")
    GRADED = "graded", _("Graded activity")


STIMULUS_CHOICES = [
    *((s.code, LABELS[s.code]) for s in (*desensitization.LADDER, *desensitization.OTHER_STIMULI)),
    (desensitization.OTHER, SOMETHING_ELSE),
]

MEDIA_TYPES = {
    ".jpg": "image",
    ".jpeg": "image",
    ".png": "image",
    ".webp": "image",
    ".mp4": "video",
    ".webm": "video",
}
MEDIA_MAX_BYTES = 20 * 1024 * 1024
MEDIA_MAX_SIDE = 8192  # pixels: a phone's full-size photo fits
MINUTES_MAX = 240  # the most minutes any dose may ask for, progression included


def validate_exercise_media(upload: Any) -> None:
    suffix = Path(upload.name).suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise ValidationError(
            f"Use an image or video file ({', '.join(sorted(MEDIA_TYPES))}), not {suffix or 'this file'}."
        )
    if upload.size > MEDIA_MAX_BYTES:
        raise ValidationError("The file is larger than 20 MB; use a shorter or smaller one.")
    # Its content too, not only its name (backto/core/uploads.py).
    if MEDIA_TYPES[suffix] == "image":
        PictureValidator(formats=("JPEG", "PNG", "WEBP"), max_side=MEDIA_MAX_SIDE)(upload)
    else:
        check_video(upload, suffix=suffix)


@dataclass(frozen=True)
class ExerciseWords:
    name: str
    name_language: str
    instructions: str
    instructions_language: str


class Exercise(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="exercises")
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=20, choices=Category.choices)
    instructions = models.TextField(help_text="Plain words a child and parent can follow at home.")
    default_sets = models.PositiveSmallIntegerField(null=True, blank=True)
    default_reps = models.PositiveSmallIntegerField(null=True, blank=True)
    default_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    media = models.FileField(
        upload_to="exercises/",
        blank=True,
        validators=[validate_exercise_media],
        help_text="An image (JPEG, PNG, WebP) or a short video (MP4, WebM), up to 20 MB.",
    )
    active = models.BooleanField(default=True)
    # The family-facing words in other languages, by language: {"es": {"name": …,
    # "instructions": …}}; a word missing there is shown in English (Exercise.words).
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="exercise_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def words(self, language: str) -> "ExerciseWords":
        """The name and instructions a reader of `language` sees: its own words where the
        exercise has them, else the English, each saying which language it is in."""
        language = base_language(language)
        own = self.translations.get(language, {}) if language != "en" else {}
        name = own.get("name") or ""
        instructions = own.get("instructions") or ""
        return ExerciseWords(
            name=name or self.name,
            name_language=language if name else "en",
            instructions=instructions or self.instructions,
            instructions_language=language if instructions else "en",
        )

    @property
    def media_kind(self) -> str:
        """ "image", "video", or "" when there is no file."""
        return MEDIA_TYPES.get(Path(self.media.name).suffix.lower(), "") if self.media else ""


class HomeProgramItem(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="home_program")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    sets = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(20)]
    )
    reps = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(200)]
    )
    minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MINUTES_MAX)]
    )
    times_per_day = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    days_per_week = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    add_minutes_per_week = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(60)],
        help_text="Scheduled progression, e.g. 5 to walk 5 minutes longer each week.",
    )
    max_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MINUTES_MAX)],
        help_text="Where the weekly progression stops, e.g. 30: the dose never goes above it.",
    )
    progression_note = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    dose_from = models.DateField(
        null=True,
        blank=True,
        help_text="The day the dose was last changed: the minutes are the dose that day and the "
        "weekly progression counts from it. Empty: the start date.",
    )
    end_date = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["start_date", "id"]

    def __str__(self) -> str:
        return f"{self.exercise} for episode {self.episode_id}"

    def active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    def clean(self) -> None:
        errors = {}
        if self.minutes is None:
            if self.add_minutes_per_week:
                errors["add_minutes_per_week"] = (
                    "Adding minutes each week needs the minutes to start from."
                )
            if self.max_minutes is not None:
                errors["max_minutes"] = "A most in minutes needs the minutes to start from."
        elif self.max_minutes is not None and self.max_minutes < self.minutes:
            errors["max_minutes"] = (
                f"The most ({self.max_minutes} minutes) cannot be below the dose of "
                f"{self.minutes} minutes."
            )
        if errors:
            raise ValidationError(errors)

    def minutes_on(self, day: date, *, program_end: date | None) -> int | None:
        """The dose in minutes on a day: the weekly progression counted from the day the dose
        was set, up to the day the program ended (`program_end`, None while it runs: a dose
        stops with the episode), and never above the item's most (nor MINUTES_MAX)."""
        if self.minutes is None:
            return None
        if program_end is not None:
            day = min(day, program_end)
        weeks = max(0, (day - (self.dose_from or self.start_date)).days // 7)
        most = max(self.minutes, self.max_minutes or MINUTES_MAX)
        return min(most, self.minutes + weeks * self.add_minutes_per_week)

    def dose_on(self, day: date, *, program_end: date | None) -> str:
        """The dose in words, in the active language: "2 × 10, 15 minutes, 2 times a day"."""
        parts = []
        if self.sets and self.reps:
            parts.append(f"{self.sets} × {self.reps}")
        elif self.reps:
            parts.append(ngettext("%(n)d time", "%(n)d times", self.reps) % {"n": self.reps})
        minutes = self.minutes_on(day, program_end=program_end)
        if minutes:
            parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
        if self.times_per_day > 1:
            n = self.times_per_day
            parts.append(ngettext("%(n)d time a day", "%(n)d times a day", n) % {"n": n})
        if self.days_per_week < 7:
            n = self.days_per_week
            parts.append(ngettext("%(n)d day a week", "%(n)d days a week", n) % {"n": n})
        return ", ".join(parts) or gettext("as shown")


class ExerciseLog(models.Model):
    """A tick: this exercise was done on this day."""

    item = models.ForeignKey(HomeProgramItem, on_delete=models.CASCADE, related_name="logs")
    day = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "day"], name="exerciselog_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} done {self.day}"


class DesensitizationLog(models.Model):
    """With a desensitization exercise's tick: one texture or stimulus tolerated that day, and for
    how long (the vocabulary and limits are backto/clinical/desensitization.py)."""

    log = models.ForeignKey(ExerciseLog, on_delete=models.CASCADE, related_name="tolerated")
    stimulus = models.CharField(max_length=20, choices=STIMULUS_CHOICES)
    other = models.CharField(
        max_length=desensitization.OTHER_WORD_MAX,
        blank=True,
        help_text="The family's word, when the stimulus is “something else”.",
    )
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(desensitization.MINUTES_MAX)]
    )

    class Meta:
        ordering = ["log", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["log", "stimulus", "other"], name="desensitizationlog_once_a_day"
            ),
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=desensitization.MINUTES_MAX),
                name="desensitizationlog_minutes_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stimulus} {self.minutes} min on log {self.log_id}"

    @property
    def label(self) -> str:
        return stimulus_label(self.stimulus, self.other)
