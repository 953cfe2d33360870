"""Goals in the family's words, scored with Goal Attainment Scaling (GAS).

"What does your child want to get back to?" Each answer becomes a goal with five levels written
out in everyday words (-2 much less than expected ... +2 much more), a baseline convention, an
optional weight, the discipline that leads it, a target date, and small steps toward it. Ratings
at reviews give the GAS T-score over time (backto.clinical.gas).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from backto.access.patients.models import Episode, therapy_choices
from backto.clinical.gas import DEFAULT_BASELINE_LEVEL, GAS_LEVELS, GasGoal, goal_weight

LEVEL_CHOICES = [(level, f"{level:+d}: {words}") for level, words in GAS_LEVELS.items()]
# How a family reads a level: kind, plain words. The scale's numbers, its wording ("expected
# outcome") and the T-score are for the care team; a family or a teen never sees them.
FAMILY_LEVEL_WORDS = {
    -2: _("A harder stretch for now"),
    -1: _("On the way"),
    0: _("On track"),
    1: _("Better than we hoped"),
    2: _("Far better than we hoped"),
}
LEVEL_FIELDS = {
    -2: "level_minus_2",
    -1: "level_minus_1",
    0: "level_0",
    1: "level_plus_1",
    2: "level_plus_2",
}


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    ACHIEVED = "achieved", _("Achieved")
    STOPPED = "stopped", _("Set aside")


class Goal(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(
        max_length=200, help_text="In the family's own words, e.g. “walk to class with my friends”."
    )
    discipline = models.CharField(max_length=20, choices=therapy_choices())
    level_minus_2 = models.CharField("−2 (much less than expected)", max_length=300)
    level_minus_1 = models.CharField("−1 (somewhat less than expected)", max_length=300)
    level_0 = models.CharField("0 (the expected outcome)", max_length=300)
    level_plus_1 = models.CharField("+1 (somewhat more than expected)", max_length=300)
    level_plus_2 = models.CharField("+2 (much more than expected)", max_length=300)
    baseline_level = models.SmallIntegerField(
        choices=[(-1, "−1 (the usual convention)"), (-2, "−2 (already the worst plausible)")],
        default=DEFAULT_BASELINE_LEVEL,
        help_text="Where the child is today. Usually −1 (Turner-Stokes).",
    )
    importance = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(3)],
        help_text="Optional, 0–3. With difficulty, weights the goal (importance × difficulty).",
    )
    difficulty = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(3)], help_text="Optional, 0–3."
    )
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(importance__isnull=True, difficulty__isnull=True)
                | models.Q(importance__isnull=False, difficulty__isnull=False),
                name="goal_weight_both_or_neither",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def weight(self) -> int:
        """1 unless importance and difficulty are both rated; then their product."""
        if self.importance is None or self.difficulty is None:
            return 1
        return goal_weight(self.importance, self.difficulty)

    def level_text(self, level: int) -> str:
        return str(getattr(self, LEVEL_FIELDS[level]))

    @property
    def levels(self) -> list[tuple[int, str]]:
        return [(level, self.level_text(level)) for level in sorted(LEVEL_FIELDS)]

    @property
    def family_levels(self) -> list[tuple[int, str, str]]:
        """(level, the family's words for it, this goal's own words), as a family reads them."""
        return [(level, str(FAMILY_LEVEL_WORDS[level]), text) for level, text in self.levels]

    @property
    def latest_rating(self) -> "GoalRating | None":
        """The care team's latest rating (uses prefetched ratings when there are some)."""
        ratings = [r for r in self.ratings.all() if r.rater_kind == RaterKind.CLINICIAN]
        return max(ratings, key=lambda r: (r.rated_on, r.id), default=None)

    def gas_goal(self, level: int) -> GasGoal:
        return GasGoal(
            level=level, weight=self.weight, baseline_level=self.baseline_level, label=self.title
        )


class GoalStep(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class RaterKind(models.TextChoices):
    CLINICIAN = "clinician", _("Care team")
    FAMILY = "family", _("Family")


class GoalRating(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    rated_on = models.DateField()
    level = models.SmallIntegerField(choices=LEVEL_CHOICES)
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rater_kind = models.CharField(max_length=20, choices=RaterKind.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rated_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=-2, level__lte=2), name="goalrating_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id} on {self.rated_on}: {self.level:+d}"

    @property
    def family_words(self) -> str:
        """The level as a family reads it ("On track"), never "+0: expected outcome"."""
        return str(FAMILY_LEVEL_WORDS[self.level])
