"""The exercise library and each child's home program: exercises with a dose and a scheduled
progression, ticked off day by day. Function first: no exercise ever asks for a pain rating."""

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from backto.access.accounts.models import Clinic
from backto.access.patients.models import Episode
from backto.clinical import desensitization
from backto.core.uploads import PictureValidator, check_video


class Category(models.TextChoices):
    AEROBIC = "aerobic", "Aerobic"
    STRENGTH = "strength", "Strength"
    FUNCTIONAL = "functional", "Functional task"
    DESENSITIZATION = "desensitization", "Desensitization"
    COPING = "coping", "Coping and relaxation"
    GRADED = "graded", "Graded activity"


STIMULUS_CHOICES = [
    *((s.code, s.label) for s in (*desensitization.LADDER, *desensitization.OTHER_STIMULI)),
    (desensitization.OTHER, "Something else"),
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

    class Meta:
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="exercise_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

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
        parts = []
        if self.sets and self.reps:
            parts.append(f"{self.sets} × {self.reps}")
        elif self.reps:
            parts.append(f"{self.reps} times")
        minutes = self.minutes_on(day, program_end=program_end)
        if minutes:
            parts.append(f"{minutes} minutes")
        if self.times_per_day > 1:
            parts.append(f"{self.times_per_day} times a day")
        if self.days_per_week < 7:
            parts.append(f"{self.days_per_week} days a week")
        return ", ".join(parts) or "as shown"


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
        return desensitization.stimulus_for(self.stimulus, self.other).label
