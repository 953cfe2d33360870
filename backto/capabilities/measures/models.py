"""Standardized measures: each administration of a questionnaire to a child, parent or
clinician at a point of the episode, with its lifecycle as an explicit transition table."""

from django.conf import settings
from django.db import models

from backto.access.accounts.models import Clinic
from backto.access.patients.models import Episode
from backto.access.patients.respondents import Respondent
from backto.clinical.instrument_registry import instrument_registry


class Timepoint(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    PROGRAM = "program", "During the program"
    DISCHARGE = "discharge", "Discharge"
    FOLLOW_UP = "follow_up", "Follow-up"


class AdminState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    DUE = "due", "Due"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


S = AdminState
ADMIN_TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.SCHEDULED: (S.DUE, S.CANCELLED),
    S.DUE: (S.IN_PROGRESS, S.COMPLETED, S.MISSED, S.CANCELLED),
    S.IN_PROGRESS: (S.COMPLETED, S.MISSED, S.CANCELLED),
    S.COMPLETED: (),
    S.MISSED: (),
    S.CANCELLED: (),
}


def states_leading_to(target: str) -> list[str]:
    """The states the transition table allows to move to `target`: bulk moves ask the table."""
    return [state for state, targets in ADMIN_TRANSITIONS.items() if target in targets]


OPEN_ADMIN_STATES = (S.SCHEDULED, S.DUE, S.IN_PROGRESS)
ANSWERABLE_STATES = (S.DUE, S.IN_PROGRESS)
OVERDUE_AFTER_DAYS = 7  # due (or started) this long ago and not finished: shown as overdue
MISSED_AFTER_DAYS = 28  # still not finished this long after its day: marked missed


class ClinicMeasure(models.Model):
    """One row of a clinic's measure template (see schedule.py). A clinic without rows uses
    the default template."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="measure_template")
    instrument_id = models.CharField(max_length=50)
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    every_weeks = models.PositiveSmallIntegerField(
        default=0, help_text="Also every N weeks during the program and at follow-ups; 0: not."
    )

    class Meta:
        ordering = ["instrument_id", "respondent"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "instrument_id", "respondent"], name="clinic_measure_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} ({self.respondent})"


class Administration(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="administrations")
    instrument_id = models.CharField(max_length=50)
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    timepoint = models.CharField(max_length=20, choices=Timepoint.choices)
    label = models.CharField(max_length=60, help_text='e.g. "Week 4" or "3 months".')
    due_on = models.DateField()
    state = models.CharField(max_length=20, choices=AdminState.choices, default=S.SCHEDULED)
    # Filled when completed: answers as given, and the score with the versions that made it.
    answers = models.JSONField(default=dict, blank=True)
    instrument_version = models.CharField(max_length=20, blank=True)
    # The revision of the clinic's installed wording the answers were given with (instruments'
    # InstrumentPack.revision), pinned with the version at the first answer; null: the wording
    # shipped with the instrument, or none.
    wording_revision = models.PositiveIntegerField(null=True, blank=True)
    # The language the questions were shown in, and the language of the person who answered
    # (pinned at the first answer; blank before): they differ when the clinic had no version in
    # the reader's language, and the care team is told (queries.language_notes).
    language = models.CharField(max_length=8, blank=True)
    reader_language = models.CharField(max_length=8, blank=True)
    result = models.JSONField(default=dict, blank=True)
    engine_version = models.CharField(max_length=20, blank=True)
    # The result's total and band again, as columns: caseload and outcomes read them for
    # thousands of administrations without parsing JSON. Always written with `result`.
    score_total = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    score_band = models.CharField(max_length=40, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf = models.BooleanField(default=False, help_text="Entered by a clinician from paper.")
    note = models.CharField(max_length=200, blank=True, help_text="Why it was cancelled or missed.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "instrument_id", "respondent"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "instrument_id", "respondent", "timepoint", "label"],
                name="administration_unique_point",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="administration_state_due")]

    def __str__(self) -> str:
        return f"{self.instrument_id} ({self.respondent}) {self.label}"

    @property
    def instrument_title(self) -> str:
        instrument = instrument_registry().find(self.instrument_id, self.instrument_version or None)
        return instrument.title if instrument else self.instrument_id

    @property
    def label_words(self) -> str:
        """The point's label as the reader reads it ("Semana 4"); `label` stays as stored."""
        from backto.capabilities.measures.checkin_words import checkin_words

        return checkin_words(self.label)


class EpisodeMeasureSummary(models.Model):
    """What the caseload and program outcomes read of an episode's completed questionnaires, one
    row per episode, so that neither walks every score of every child. It is derived data:
    recomputed from the episode's completed administrations (`summary.py`) in the same
    transaction as the two actions that change them (completing and rescoring; nothing moves a
    completed administration), and rebuilt for everything by `backto summaries_rebuild`."""

    episode = models.OneToOneField(
        Episode, primary_key=True, on_delete=models.CASCADE, related_name="measure_summary"
    )
    # The child's FDI as the caseload reads it: the baseline (else the earliest score) and the
    # latest, when there are two or more scores.
    fdi_first = models.DecimalField(max_digits=7, decimal_places=1, null=True)
    fdi_last = models.DecimalField(max_digits=7, decimal_places=1, null=True)
    # The band of the latest completed PCS-C and PCS-P ("" when it has none).
    pcs_c_band = models.CharField(max_length=40, blank=True)
    pcs_p_band = models.CharField(max_length=40, blank=True)
    # Outcomes: the child FDI, pain NRS and school attendance totals at admission (baseline),
    # discharge and the latest follow-up.
    fdi_baseline = models.DecimalField(max_digits=7, decimal_places=1, null=True)
    fdi_discharge = models.DecimalField(max_digits=7, decimal_places=1, null=True)
    fdi_follow_up = models.DecimalField(max_digits=7, decimal_places=1, null=True)
    pain_baseline = models.DecimalField(max_digits=7, decimal_places=1, null=True)
    pain_discharge = models.DecimalField(max_digits=7, decimal_places=1, null=True)
    pain_follow_up = models.DecimalField(max_digits=7, decimal_places=1, null=True)
    school_baseline = models.DecimalField(max_digits=7, decimal_places=1, null=True)
    school_discharge = models.DecimalField(max_digits=7, decimal_places=1, null=True)
    school_follow_up = models.DecimalField(max_digits=7, decimal_places=1, null=True)

    def __str__(self) -> str:
        return f"Measure summary of episode {self.episode_id}"
