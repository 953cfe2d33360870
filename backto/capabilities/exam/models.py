"""The clinical exam a pediatric pain PT does (issue #19). This slice: functional tests — what
the child can do (walk, stand up, balance, grip), scored by the clinical core
(`backto.clinical.functional_tests`) and kept with the inputs it was given and the engine version
that scored it, so every number can be traced and recomputed. The body map and the sensory and
autonomic exam come later, in this app."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from backto.access.patients.models import Episode
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
