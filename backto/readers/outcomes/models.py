from django.db import models

from backto.access.accounts.models import Clinic
from backto.access.patients.models import Episode


def _one_decimal() -> models.DecimalField:
    return models.DecimalField(max_digits=9, decimal_places=1, null=True)


class OutcomeRow(models.Model):
    """What program outcomes read of an episode, one row per episode, so that a network's year
    is one read of one table rather than every goal, exam, form, medicine, score and session
    of 100,000 children (issue #24). Derived data (`rows.py`): any save of a record it derives
    from (and any refresh of the measure summary or session dose it copies) marks the row not
    fresh in that transaction, and once that commits the row is computed again. Outcomes read
    only fresh rows and compute the others from the records, so a row that is missing, not yet
    refreshed or on a replica that is behind is never read wrong. `backto outcomes_rebuild`
    computes every row."""

    episode = models.OneToOneField(
        Episode, primary_key=True, on_delete=models.CASCADE, related_name="outcome_row"
    )
    fresh = models.BooleanField(default=False)
    # Copied from the episode's child and discharge, so that a clinic's rows are read alone.
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+", null=True)
    date_of_birth = models.DateField(null=True)
    sex = models.CharField(max_length=20, blank=True)
    discharged_on = models.DateField(null=True)
    # Copied from its measure summary and session dose: the child FDI, pain NRS and school
    # attendance at admission, discharge and the latest follow-up; days with an attended
    # session and the minutes of each discipline.
    fdi_baseline = _one_decimal()
    fdi_discharge = _one_decimal()
    fdi_follow_up = _one_decimal()
    pain_baseline = _one_decimal()
    pain_discharge = _one_decimal()
    pain_follow_up = _one_decimal()
    school_baseline = _one_decimal()
    school_discharge = _one_decimal()
    school_follow_up = _one_decimal()
    dose_days = models.PositiveIntegerField(null=True)
    pt_minutes = models.PositiveIntegerField(null=True)
    ot_minutes = models.PositiveIntegerField(null=True)
    counseling_minutes = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField(null=True)  # the program's start; None before
    setting = models.CharField(max_length=20, blank=True)  # of the latest plan past its draft
    disciplines = models.CharField(max_length=100, blank=True)  # the care team's, space-separated
    relapse = models.BooleanField(default=False)  # a returning episode followed this one
    gas_discharge = _one_decimal()
    walk_first = _one_decimal()  # percent of predicted, first and latest up to the discharge
    walk_latest = _one_decimal()
    walk_without_percent = models.BooleanField(default=False)
    allodynia_first = _one_decimal()  # % of body surface, at the latest exam's age
    allodynia_latest = _one_decimal()
    visits_before = _one_decimal()  # health care per 3 months, the baseline form and the latest
    visits_after = _one_decimal()
    emergency_before = _one_decimal()
    emergency_after = _one_decimal()
    work_days_before = _one_decimal()
    work_days_after = _one_decimal()
    medicines_at_start = models.PositiveIntegerField(default=0)
    medicines_stopped = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["clinic", "started_at"],
                condition=models.Q(fresh=True),
                name="outcome_fresh_start",
            )
        ]

    def __str__(self) -> str:
        return f"Outcome row of episode {self.episode_id}"
