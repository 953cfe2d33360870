"""What the school letter may say: the plan the care team writes and the guardian approves."""

from django.conf import settings
from django.db import models

from backto.access.patients.models import Episode


class SchoolPlan(models.Model):
    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="school_plan")
    attendance_plan = models.TextField(
        help_text="How the child builds back to full days, e.g. mornings for two weeks, then…"
    )
    accommodations = models.TextField(
        blank=True,
        help_text="What helps at school: a pass to stand and stretch, lift access, extra time.",
    )
    share_goals = models.BooleanField(
        default=False, help_text="Name the goals the child is working toward in the letter."
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The letter goes out only with a guardian's agreement to exactly this text.
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        # The table keeps the name it had when the progress reader owned the model: the move
        # into this app changed no rows (migrations 0001 here and progress 0002).
        db_table = "progress_schoolplan"

    def __str__(self) -> str:
        return f"School plan of episode {self.episode_id}"

    @property
    def approved(self) -> bool:
        return self.approved_at is not None
