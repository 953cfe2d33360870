"""A research study a clinic exports cohorts for: its short code and the random key that makes
the study's pseudonyms (study ids and date shifts). The key is made once, when the study is
named, and never changes, so that every export of one study gives a child the same study id and
the same date shift; another study's key gives them others."""

from django.conf import settings
from django.db import models

from backto.access.accounts.models import Clinic


class ResearchStudy(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="research_studies")
    code = models.CharField(max_length=30, help_text="The study's short name, e.g. FIT-2027.")
    # 32 random bytes as hex (secrets.token_hex): the HMAC key of the study's pseudonyms. It is
    # never shown and never exported; whoever holds it and the clinic's database can link back.
    key = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "code"], name="research_study_code"),
        ]
        verbose_name_plural = "research studies"

    def __str__(self) -> str:
        return self.code
