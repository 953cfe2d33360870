"""Clinics and the people who sign in: staff with roles, guardians, and teens."""

import hashlib
import zoneinfo
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from backto.access.accounts.roles import (
    GUARDIAN,
    STAFF_ROLE_CHOICES,
    STAFF_ROLES,
    TEEN,
    Permission,
    Role,
)
from backto.clinical.languages import base_language
from backto.core.fixed_sql import fixed_query
from backto.core.languages import reader_language
from backto.core.uploads import PictureValidator

LOGO_MAX_BYTES = 2 * 1024 * 1024

DEFAULT_HELP_MESSAGE = gettext_noop(
    "If you or your child feel unsafe or have thoughts of self-harm, call or text 988 "
    "(Suicide & Crisis Lifeline) or 911 now. Then call the clinic."
)
# The clinic's own words a family reads, which the clinic may also write in another language
# (Clinic.translations); written in English in their own fields.
CLINIC_FAMILY_TEXTS = ("hours", "crisis_line", "when_to_call", "help_message")


@dataclass(frozen=True)
class ClinicText:
    """One of the clinic's texts as a reader sees it: in their language where the clinic wrote
    one, else the English text with `lang` "en" (for a `lang` attribute around it, so that a
    screen reader reads it as English)."""

    text: str
    lang: str = ""  # "" when the text is in the page's language
    # BackTo's own words in the reader's language, shown before an English text the clinic has
    # not translated where a family must understand it (the help message after a safety answer).
    ours: str = ""

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text.strip())


def validate_logo_size(upload: Any) -> None:
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError("The logo is larger than 2 MB; a few hundred pixels wide is enough.")


# IANA time zones of the United States, where clinics print on US Letter; A4 elsewhere.
US_ZONE_PREFIXES = (
    "America/New_York",
    "America/Detroit",
    "America/Kentucky/",
    "America/Indiana/",
    "America/Chicago",
    "America/Menominee",
    "America/North_Dakota/",
    "America/Denver",
    "America/Boise",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "America/Juneau",
    "America/Sitka",
    "America/Metlakatla",
    "America/Yakutat",
    "America/Nome",
    "America/Adak",
    "America/Puerto_Rico",
    "Pacific/Honolulu",
    "US/",
)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            f"{value!r} is not a time zone; use a name such as America/New_York or Europe/London."
        )


class PaperSize(models.TextChoices):
    LETTER = "letter", "US Letter"
    A4 = "a4", "A4"

    @classmethod
    def for_time_zone(cls, zone: str) -> "PaperSize":
        return cls.LETTER if zone.startswith(US_ZONE_PREFIXES) else cls.A4


class Clinic(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    time_zone = models.CharField(
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
        help_text="Diary days, reminders and dates on screens follow this time zone.",
    )
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text="Letters to physicians and schools are written in this language; each family "
        "reads BackTo in its own.",
    )
    paper_size = models.CharField(
        max_length=10,
        choices=PaperSize.choices,
        default=PaperSize.LETTER,
        help_text="The page size of every PDF the clinic prints.",
    )
    # How a family reaches the clinic: on the family home, the safety help message, reminder
    # emails and every PDF.
    phone = models.CharField(max_length=40, blank=True, help_text="The clinic's main number.")
    address = models.TextField(blank=True)
    hours = models.CharField(
        max_length=200, blank=True, help_text="When the phone is answered, e.g. Mon–Fri 8am–5pm."
    )
    crisis_line = models.CharField(
        max_length=200,
        blank=True,
        help_text="An out-of-hours or crisis number families can call, with whom it reaches.",
    )
    when_to_call = models.TextField(
        blank=True,
        help_text="A few plain sentences on when a family should call the clinic.",
    )
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    backups_confirmed_at = models.DateTimeField(null=True, blank=True)
    help_message = models.TextField(
        blank=True,
        default=DEFAULT_HELP_MESSAGE,
        help_text="Shown to families when an answer needs the care team's attention at once.",
    )
    logo = models.ImageField(
        upload_to="clinic-logos/",
        blank=True,
        validators=[validate_logo_size, PictureValidator(formats=("PNG", "JPEG"), max_side=2000)],
        help_text="Printed at the top of reports (PNG or JPEG, a few hundred pixels wide).",
    )
    family_rates_goals = models.BooleanField(
        default=True,
        help_text="Families may rate their own goals at reviews, beside the care team's rating.",
    )
    staff_two_factor_required = models.BooleanField(
        default=True,
        help_text="Staff sign in with a second step (a passkey or an authenticator app) as well "
        "as their password, and set one up at their first sign-in.",
    )
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text="The clinic's texts for families in another language, by language and field: "
        '{"es": {"hours": "…", "crisis_line": "…", "when_to_call": "…", "help_message": "…"}}.',
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def has_contact_details(self) -> bool:
        return bool(self.phone and self.hours)

    def text_for_reader(self, field: str, language: str | None = None) -> ClinicText:
        """The clinic's `field` (one of CLINIC_FAMILY_TEXTS) in `language` (the active one): the
        clinic's own translation, else the English text marked as English. The help message the
        clinic never changed comes in BackTo's own translation."""
        english = str(getattr(self, field) or "")
        language = base_language(language) if language else reader_language()
        if language == "en":
            return ClinicText(english)
        own = str(((self.translations or {}).get(language) or {}).get(field) or "").strip()
        if own:
            return ClinicText(own)
        if field == "help_message":
            # Never only English after a safety answer: BackTo's own words (988, 911) come first,
            # then the clinic's changed English words, if it changed them.
            with translation.override(language):
                ours = gettext(DEFAULT_HELP_MESSAGE)
            if english.strip() in ("", DEFAULT_HELP_MESSAGE):
                return ClinicText(ours)
            return ClinicText(english, "en", ours=ours)
        return ClinicText(english, "en" if english.strip() else "")

    @property
    def reader_texts(self) -> dict[str, ClinicText]:
        """CLINIC_FAMILY_TEXTS for the reader of this page: {{ clinic.reader_texts.hours }}."""
        return {field: self.text_for_reader(field) for field in CLINIC_FAMILY_TEXTS}


def person_name(display_name: str, first_name: str, last_name: str, username: str) -> str:
    """How a person is named on every page (User.name, from User.NAME_FIELDS in this order): the
    name they chose to be shown, else their full name, else their username."""
    return display_name or f"{first_name} {last_name}".strip() or username


class UserKind(models.TextChoices):
    STAFF = "staff", "Staff"
    GUARDIAN = "guardian", "Parent or guardian"
    TEEN = "teen", "Teen"


class User(AbstractUser):
    """Everyone who signs in. Every account belongs to one clinic; nothing crosses clinics."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="users")
    kind = models.CharField(max_length=10, choices=UserKind.choices)
    display_name = models.CharField(max_length=150, blank=True)
    credentials = models.CharField(
        max_length=100, blank=True, help_text="Printed after the name on letters, e.g. PT, DPT."
    )
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text="The language this person reads BackTo in: pages, emails, phone reminders and "
        "the family's PDFs.",
    )

    REQUIRED_FIELDS = ["email"]
    NAME_FIELDS = ("display_name", "first_name", "last_name", "username")  # what `name` reads

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_ci",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return person_name(self.display_name, self.first_name, self.last_name, self.username)

    @property
    def signature(self) -> str:
        """The name as a letter is signed: "Pat Lee, PT, DPT"."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def is_staff_member(self) -> bool:
        return self.kind == UserKind.STAFF

    @property
    def is_guardian(self) -> bool:
        return self.kind == UserKind.GUARDIAN

    @property
    def is_teen(self) -> bool:
        return self.kind == UserKind.TEEN

    @cached_property
    def role_keys(self) -> frozenset[str]:
        if self.kind != UserKind.STAFF:
            return frozenset()
        if hasattr(self, "_prefetched_objects_cache") and "staff_roles" in (
            self._prefetched_objects_cache
        ):
            return frozenset(r.role for r in self.staff_roles.all())
        return frozenset(_role_keys(user_id=self.pk))

    @property
    def roles_key(self) -> str:
        """The person's kind and roles in one string: what they may do follows from it alone
        (the site's navigation is kept per key)."""
        return ":".join([self.kind, *sorted(self.role_keys)])

    @cached_property
    def roles(self) -> list[Role]:
        if self.kind == UserKind.GUARDIAN:
            return [GUARDIAN]
        if self.kind == UserKind.TEEN:
            return [TEEN]
        return [STAFF_ROLES[key] for key in sorted(self.role_keys) if key in STAFF_ROLES]

    @cached_property
    def permissions(self) -> frozenset[Permission]:
        if not self.is_active:
            return frozenset()
        return frozenset(p for role in self.roles for p in role.permissions)

    @property
    def role_labels(self) -> str:
        return ", ".join(role.label for role in self.roles)


class StaffRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(max_length=30, choices=STAFF_ROLE_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="staffrole_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A one-time link to set a password. Only the token's hash is stored."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField()
    kind = models.CharField(max_length=10, choices=UserKind.choices)
    display_name = models.CharField(max_length=150, blank=True)
    roles = models.JSONField(default=list, blank=True)
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    relationship = models.CharField(max_length=30, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    # None for the first admin's invitation, made by `backto clinic create` before anyone exists.
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @property
    def language(self) -> str:
        """The invited person's language: the family's for a parent or teen, the clinic's for
        staff. Their email and the page the link opens are in it, and their account starts in it
        (each can change their own on the account page)."""
        if self.patient is not None:
            return self.patient.family_language
        return self.clinic.language

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


@fixed_query
def _role_keys(*, user_id: int) -> models.QuerySet[Any]:
    """A person's staff roles (read on every page a staff member opens)."""
    return StaffRole.objects.filter(user_id=user_id).values_list("role", flat=True)
