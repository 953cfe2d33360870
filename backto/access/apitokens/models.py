"""Personal access tokens for the JSON API and FHIR (docs/api.md).

A token acts as the person who made it, with that person's roles and circle, never more; its
scope can only narrow it (read, or read and write). Only a hash is stored: the token itself is
shown once, when it is made. Tokens expire and can be revoked; each use is in the audit log
with the request it answered.
"""

import hashlib
from datetime import datetime

from django.db import models
from django.utils import timezone

from backto.access.accounts.models import User

# What a token's own words start with, so that a leaked one is recognisable (secret scanners,
# logs) and a person can tell tokens apart by their first letters.
PREFIX = "bt_"


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    READ_WRITE = "read_write", "Read and write"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, help_text="What the token is for, in your words.")
    scope = models.CharField(max_length=12, choices=TokenScope.choices)
    digest = models.CharField(max_length=64, unique=True)
    # The token's first letters after the prefix, shown so that a person can tell tokens apart.
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({PREFIX}{self.hint}…)"

    @property
    def writes(self) -> bool:
        return self.scope == TokenScope.READ_WRITE

    def state(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"
