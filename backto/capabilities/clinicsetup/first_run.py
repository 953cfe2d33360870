"""The clinic admin's first-run checklist: what a clinic needs before its first family. Each
item is read from the database, so it disappears once done, on every app server."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from backto.access.accounts.models import Clinic, Invitation, User, UserKind
from backto.capabilities.backup.models import BackupRecord

# A `backto backup` this recent counts as "backed up every day" (a nightly job, with a day's
# slack for one that ran late or failed once).
BACKUP_FRESH = timedelta(days=2)


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool
    url_name: str  # where to do it (a page), or the POST action that does it
    last_backup: BackupRecord | None = None  # the backups item: the last `backto backup`
    # the wording item: (id, title) of each questionnaire whose licensed wording is missing
    questionnaires: Sequence[tuple[str, str]] = field(default_factory=tuple)


def first_run_checklist(
    clinic: Clinic, *, by: User, wording_missing: Sequence[tuple[str, str]]
) -> list[ChecklistItem]:
    """The items, or an empty list once every one is done. `wording_missing` (id and title of
    each) comes from the measures capability: the clinic's questionnaires whose licensed wording
    it lacks."""
    others = (
        User.objects.filter(clinic=clinic, kind=UserKind.STAFF).exclude(pk=by.pk).exists()
        or Invitation.objects.pending().filter(clinic=clinic, kind=UserKind.STAFF).exists()
    )
    last_backup = BackupRecord.objects.last_made()
    backed_up = last_backup is not None and last_backup.made_at >= timezone.now() - BACKUP_FRESH
    items = [
        ChecklistItem(
            "contact",
            "Add the clinic's phone, hours and out-of-hours line, so families know how to reach "
            "you",
            clinic.has_contact_details,
            "clinic_settings",
        ),
        ChecklistItem("staff", "Invite your staff", others, "staff_list"),
        ChecklistItem(
            "wording",
            "Install the wording of the questionnaires your clinic holds a licence for; until "
            "then the care team goes through them at visits, from the paper form",
            not wording_missing,
            "instrument_admin",
            questionnaires=tuple(wording_missing),
        ),
        ChecklistItem(
            "email",
            "Send yourself a test email and open its link",
            clinic.email_confirmed_at is not None,
            "clinic_test_email",
        ),
        ChecklistItem(
            "backups",
            "Make sure the database and uploaded files are backed up every day, and that a "
            "restore has been tried",
            # Done by a recent `backto backup`, or by the admin's word for their own backups
            # (hosted clinics back up with pgBackRest and the like).
            backed_up or clinic.backups_confirmed_at is not None,
            "clinic_backups_confirm",
            last_backup,
        ),
    ]
    return [] if all(item.done for item in items) else items
