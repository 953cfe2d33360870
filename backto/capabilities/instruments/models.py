"""Installed instrument packs: a clinic's licensed item text for an instrument version.

The instrument definitions themselves are files in `backto/clinical/instrument_files/`; only the
packs a clinic installs live in the database (see docs/instruments.md, "Installing a pack").
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from backto.access.accounts.models import Clinic
from backto.clinical.instrument_packs import InstrumentPack as PackContent
from backto.clinical.instrument_packs import apply_pack_from_registry, pack_from_data
from backto.clinical.instruments import Instrument


class InstrumentPack(models.Model):
    """A clinic's licence is its own: a pack shows its wording to that clinic only.

    Wording is versioned: every install or edit of an instrument version's wording is a new
    revision (1, 2, ...), numbered across its languages, and the highest in a language is the one
    families reading that language are given. Older revisions stay, so
    answers keep the wording they were given with (measures' Administration.wording_revision)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="instrument_packs")
    instrument_id = models.CharField(max_length=40)
    version = models.CharField(max_length=20)
    revision = models.PositiveIntegerField(default=1)
    language = models.CharField(
        max_length=8,
        default="en",
        choices=settings.LANGUAGES,
        help_text="The language of the wording (a licensed translation is its own pack).",
    )
    content = models.JSONField(help_text="The pack file as installed (item text per linkId).")
    source_name = models.CharField(max_length=255, help_text="File name the pack came from.")
    licensed_to = models.CharField(max_length=200, blank=True)
    installed_at = models.DateTimeField(default=timezone.now)
    installed_by_id = models.BigIntegerField(null=True, blank=True)
    installed_by_username = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["instrument_id", "version", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "instrument_id", "version", "revision"],
                name="instrument_pack_one_per_revision",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.instrument_id} {self.version} wording revision {self.revision} "
            f"({self.language})"
        )

    def pack(self) -> PackContent:
        return pack_from_data(self.content, source=self.source_name)

    def instrument(self) -> Instrument:
        """The instrument version with this pack's text merged in."""
        return apply_pack_from_registry(self.pack(), source=self.source_name)
