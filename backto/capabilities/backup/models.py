"""The record of each successful `backto backup`, so the app can show the last one."""

from django.db import models


class BackupRecordQuerySet(models.QuerySet["BackupRecord"]):
    def last_made(self) -> "BackupRecord | None":
        return self.order_by("-made_at", "-id").first()


class BackupRecord(models.Model):
    made_at = models.DateTimeField(db_index=True, help_text="When the database snapshot was taken.")
    host = models.CharField(max_length=255, blank=True, help_text="The machine that wrote it.")
    location = models.CharField(max_length=1000, help_text="The backup's folder on that machine.")
    size_bytes = models.BigIntegerField(help_text="Database dump and media files together.")
    database_vendor = models.CharField(max_length=20)
    media_files = models.PositiveIntegerField(default=0)

    objects = BackupRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        return f"{self.made_at:%Y-%m-%d %H:%M} {self.where}"

    @property
    def where(self) -> str:
        return f"{self.host}:{self.location}" if self.host else self.location
