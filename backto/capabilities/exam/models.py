"""The clinical exam a pediatric pain PT does (issue #19): functional tests (what the child can
do: walk, stand up, balance, grip), the body map the family marks at the questionnaire points, and
the clinician's sensory, autonomic and motor exam. Each is kept with the inputs it was given and
what the clinical core (`backto.clinical.functional_tests`, `backto.clinical.body_map`) worked out
from them, with the engine or catalogue version, so every number can be traced and recomputed."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from backto.access.patients.models import Episode
from backto.access.patients.respondents import Respondent
from backto.clinical.functional_tests import TESTS

TEST_CHOICES = [(test.id, test.name) for test in TESTS.values()]


class FunctionalTest(models.Model):
    """One functional test done on one day: the inputs as the clinician typed them (with the
    child's age and sex on that day for the 6-minute walk) and the clinical core's result."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="functional_tests")
    test_id = models.CharField(max_length=30, choices=TEST_CHOICES)
    day = models.DateField(help_text="The clinic's day the test was done on.")
    inputs = models.JSONField(help_text="The inputs given to the clinical core, field by field.")
    result = models.JSONField(
        help_text="FunctionalTestResult.as_dict(): values, reference, rule, engine version."
    )
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "id"]
        indexes = [models.Index(fields=["episode", "test_id", "day"], name="exam_ft_episode_test")]
        constraints = [
            models.CheckConstraint(condition=Q(test_id__in=list(TESTS)), name="exam_ft_known_test"),
        ]

    def __str__(self) -> str:
        return f"{self.test_id} on {self.day:%Y-%m-%d}"

    @property
    def engine_version(self) -> str:
        return str(self.result.get("engine_version", ""))


class PainMap(models.Model):
    """Where it bothered the child, marked on the body map at one scheduled point of the episode
    (the questionnaire points: baseline at intake, during the program, discharge, follow-up) by
    the child, a parent, or a clinician. Never daily: the program is function first. An empty
    `regions` is an answer too ("nowhere right now"). `result` is what the clinical core worked
    out from the regions (`backto.clinical.body_map`): the widespread pain index, the painful
    body regions and the localized or diffuse grouping, with the catalogue version."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="pain_maps")
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    timepoint = models.CharField(max_length=20, help_text="The measures' timepoint, e.g. baseline.")
    label = models.CharField(max_length=60, help_text='The point\'s label, e.g. "Week 4".')
    day = models.DateField(help_text="The clinic's day the map was marked on.")
    regions = models.JSONField(default=list, help_text="The body map's region ids, sorted.")
    result = models.JSONField(help_text="WPI, painful regions, grouping, catalogue version.")
    painful_region_count = models.PositiveSmallIntegerField(
        help_text="The result's painful body regions as a column for lists and outcomes."
    )
    submission_key = models.UUIDField(
        unique=True, help_text="The form's key: a resubmitted form is saved once."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "respondent", "timepoint", "label"], name="exam_painmap_point"
            ),
        ]
        indexes = [models.Index(fields=["episode", "day"], name="exam_painmap_episode_day")]

    def __str__(self) -> str:
        return f"pain map ({self.respondent}) {self.label}"


class SensoryExam(models.Model):
    """A clinician's sensory, autonomic and motor exam on one day. The sensory findings are rows
    of their own (`SensoryFinding`); the autonomic and motor signs are kept in `signs` as typed
    (skin temperature and circumference both sides, colour, sweating, hair and nail, range of
    motion, dystonia or tremor) and `result` holds what the clinical core worked out from them
    (temperature differences and whether each passes the documented threshold, the Budapest
    signs), with its engine version. `age_years` is the child's age on the day, the one the
    territory percentages were computed for."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="sensory_exams")
    day = models.DateField(help_text="The clinic's day the exam was done on.")
    age_years = models.DecimalField(max_digits=5, decimal_places=2)
    signs = models.JSONField(default=dict, help_text="Autonomic and motor signs as typed.")
    result = models.JSONField(default=dict, help_text="What the core worked out from the signs.")
    allodynia_percent = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Body surface % of the union of allodynia territories; null: not tested.",
    )
    note = models.CharField(max_length=200, blank=True)
    submission_key = models.UUIDField(
        unique=True, help_text="The form's key: an exam sent twice (a double tap) is saved once."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "id"]
        indexes = [models.Index(fields=["episode", "day"], name="exam_sensory_episode_day")]

    def __str__(self) -> str:
        return f"sensory exam on {self.day:%Y-%m-%d}"


class SensoryFinding(models.Model):
    """One stimulus tested at one exam: where it evoked pain (allodynia: pain from a stimulus that
    should not hurt; hyperalgesia: more pain than expected from pinprick), drawn as body map
    regions, the evoked pain 0-10, and the territory's size as a percentage of body surface area
    for the child's age (Lund and Browder, `backto.clinical.body_map.territory_percent`)."""

    exam = models.ForeignKey(SensoryExam, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=20)  # the clinical core's vocabulary
    stimulus = models.CharField(max_length=20)  # the clinical core's vocabulary
    # Three decimals: the lightest Semmes-Weinstein filament is 0.008 g.
    monofilament_g = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    regions = models.JSONField(default=list, help_text="The body map's region ids, sorted.")
    evoked_pain = models.PositiveSmallIntegerField(null=True, blank=True)
    percent = models.DecimalField(max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["exam", "id"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "stimulus"], name="exam_finding_stimulus"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.stimulus}"
