"""Children, their families, and their episodes of care with a care team each."""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backto.access.accounts.models import Clinic
from backto.access.patients.lifecycle import OPEN_STATES, EpisodeState


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    INTERSEX = "intersex", _("Intersex")
    UNKNOWN = "unknown", _("Not recorded")


def goes_by(legal_name: str, preferred_name: str) -> str:
    """The name a child goes by: the preferred name with the legal last name, else the legal
    name (Patient.name; a list that reads plain values uses this)."""
    if preferred_name:
        last = legal_name.split()[-1] if " " in legal_name else ""
        return f"{preferred_name} {last}".strip()
    return legal_name


def age_on(born: date, day: date) -> int:
    """Age in whole years on `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Patient(models.Model):
    """A child or teen in the program. Every field here is PHI."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    legal_name = models.CharField(max_length=200)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    school = models.CharField(max_length=200, blank=True)
    grade = models.CharField(max_length=20, blank=True)
    languages = models.CharField(
        max_length=200, blank=True, help_text="Languages spoken at home, comma separated."
    )
    family_language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text="The language BackTo speaks to this family in: their invitations and accounts, "
        "and the family report. Each person can change their own on their account page.",
    )
    teen_account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teen_patient",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["legal_name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return goes_by(self.legal_name, self.preferred_name)

    @property
    def first_name(self) -> str:
        return self.preferred_name or self.legal_name.split()[0]

    def age_on(self, day: date) -> int:
        return age_on(self.date_of_birth, day)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    def language_for(self, reader: Any) -> str:
        """The language of something made for this family: a family member's own (their
        account's) when they are the reader; the family's when the care team makes it for them."""
        if reader is not None and not reader.is_staff_member and reader.language:
            return str(reader.language)
        return self.family_language or settings.LANGUAGE_CODE


class Guardianship(models.Model):
    class Relationship(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        GUARDIAN = "guardian", _("Legal guardian")
        GRANDPARENT = "grandparent", _("Grandparent")
        OTHER = "other", _("Other caregiver")

    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardianships"
    )
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="guardianships")
    relationship = models.CharField(
        max_length=20, choices=Relationship.choices, default=Relationship.GUARDIAN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["guardian", "patient"], name="guardianship_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} ({self.get_relationship_display()}) of patient {self.patient_id}"


class PainPattern(models.TextChoices):
    CONSTANT = "constant", _("Constant")
    INTERMITTENT = "intermittent", _("Comes and goes")
    UNKNOWN = "unknown", _("Not yet known")


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def open(self) -> "EpisodeQuerySet":
        return self.filter(state__in=OPEN_STATES)


class Episode(models.Model):
    """One stretch of care, from referral to closing. A relapse opens a new episode."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="episodes")
    state = models.CharField(
        max_length=20, choices=EpisodeState.choices, default=EpisodeState.REFERRED
    )
    referral_date = models.DateField()
    referral_source = models.CharField(max_length=200, blank=True)
    referral_reason = models.TextField(blank=True)
    painful_region_count = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(30)],
        help_text="Number of painful body regions at referral (0–30).",
    )
    pain_pattern = models.CharField(
        max_length=20, choices=PainPattern.choices, default=PainPattern.UNKNOWN
    )
    previous_episode = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_episode"
    )
    state_changed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-referral_date", "-id"]
        # A child's latest episode (what the caseload shows) is the first entry of this index, with
        # its state beside it on PostgreSQL (the caseload's list reads both from the index alone).
        indexes = [
            models.Index(
                fields=["patient", "-referral_date", "-id"],
                include=["state"],
                name="episode_patient_latest",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(state__in=sorted(OPEN_STATES)),
                name="episode_one_open_per_patient",
            ),
            models.CheckConstraint(
                condition=Q(painful_region_count__isnull=True) | Q(painful_region_count__lte=30),
                name="episode_region_count_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Episode {self.pk} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_relapse(self) -> bool:
        return self.previous_episode_id is not None


class EpisodeTransition(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField(max_length=20, choices=EpisodeState.choices, blank=True)
    target = models.CharField(max_length=20, choices=EpisodeState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        # When each episode's program started (its first move to active) is read from this
        # index alone, for one page of a caseload or for every episode of an outcomes cohort.
        indexes = [
            models.Index(fields=["episode", "target", "at"], name="transition_episode_target_at")
        ]

    def __str__(self) -> str:
        return f"{self.source or 'new'} → {self.target}"


class Discipline(models.TextChoices):
    """Care team disciplines: the three therapies of the program, and medicine and coordination."""

    PT = "pt", _("Physical therapy")
    OT = "ot", _("Occupational therapy")
    COUNSELING = "counseling", _("Counseling")
    MEDICINE = "medicine", _("Medicine")
    COORDINATION = "coordination", _("Coordination")


# The therapies of the program: goals, care plans and sessions belong to one of them.
THERAPIES = (Discipline.PT, Discipline.OT, Discipline.COUNSELING)


def therapy_choices() -> list[tuple[str, str]]:
    """The therapies as field or form choices, in the program's order."""
    return [(d.value, str(d.label)) for d in THERAPIES]


class CareTeamMember(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="care_team")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_teams"
    )
    discipline = models.CharField(max_length=20, choices=Discipline.choices)
    is_lead = models.BooleanField(default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_lead", "discipline", "id"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "clinician"], name="careteam_unique"),
            models.UniqueConstraint(
                fields=["episode"], condition=Q(is_lead=True), name="careteam_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clinician} ({self.get_discipline_display()})"
