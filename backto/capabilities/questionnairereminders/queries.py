"""What the questionnaire reminders read: who in a family is waited on by which questionnaire,
whether they have been reminded of it yet, and whether they want these emails at all.

A reminder pair is one questionnaire and one family member who answers it: an administration
that can be answered now (due or started, not past its last day, of an episode still open, not
one the care team goes through at the next visit), and a guardian or teen with an active
account and an email address who has not turned questionnaire emails off for that child. Who
answers what is the respondent rule (`backto.access.patients.respondents.allowed_respondent`,
as the family's home lists them): a teen their own child forms; a guardian the parent forms,
and the child forms of a child without an account of their own.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet

from backto.access.accounts.models import Clinic, User, UserKind
from backto.access.patients.lifecycle import OPEN_STATES
from backto.capabilities.measures.models import (
    ANSWERABLE_STATES,
    MISSED_AFTER_DAYS,
    Administration,
)
from backto.capabilities.measures.queries import family_respondents
from backto.capabilities.questionnairereminders.models import (
    QuestionnaireEmails,
    QuestionnaireReminder,
    ReminderKind,
)

# The "closes soon" reminder goes out this many days before a questionnaire's last day (the
# measures sweep marks it missed MISSED_AFTER_DAYS after its day): on day 21 of 28, a week left.
CLOSING_NOTICE_DAYS = 7


@dataclass(frozen=True)
class FamilyLink:
    """How a kind of family member is linked to a child's questionnaires: the path from an
    administration to their account, and the respondents they answer for."""

    kind: str  # UserKind
    path: str
    answers: Q


GUARDIANS = FamilyLink(
    UserKind.GUARDIAN,
    "episode__patient__guardianships__guardian",
    family_respondents(teen=False),
)
TEENS = FamilyLink(UserKind.TEEN, "episode__patient__teen_account", family_respondents(teen=True))
FAMILY_LINKS = (GUARDIANS, TEENS)


def reminder_pairs(link: FamilyLink, *, clinic: Clinic, today: date, at_visit: Q) -> QuerySet[Any]:
    """Every reminder pair of the clinic for this kind of family member on `today` (the
    clinic's date): administrations annotated with `recipient` (the user's id), `email`, `recipient_language`, and
    whether the "opened" and "closing" reminders are still to send (`needs_opened`,
    `needs_closing`). One row per questionnaire and person; nothing is read yet. (Typed as
    rows of any kind: the type checker knows the model's fields, not these annotations.)"""
    person = link.path
    sent = QuestionnaireReminder.objects.filter(
        administration=OuterRef("pk"), user=OuterRef("recipient")
    )
    emails_off = QuestionnaireEmails.objects.filter(
        user=OuterRef("recipient"), patient=OuterRef("episode__patient"), enabled=False
    )
    # The conditions on the person go in one filter() call: the guardians are many to a child,
    # and each filter() call would join them again, checking another guardian's account.
    return (
        Administration.objects.filter(
            link.answers,
            episode__patient__clinic=clinic,
            episode__state__in=sorted(OPEN_STATES),
            state__in=ANSWERABLE_STATES,
            due_on__gte=today - timedelta(days=MISSED_AFTER_DAYS),
            **{
                f"{person}__kind": link.kind,
                f"{person}__is_active": True,
                f"{person}__email__gt": "",
            },
        )
        .exclude(at_visit)
        .order_by()
        .annotate(
            recipient=F(f"{person}__id"),
            email=F(f"{person}__email"),
            recipient_language=F(f"{person}__language"),
        )
        .filter(~Exists(emails_off))
        .annotate(
            needs_opened=~Exists(sent.filter(kind=ReminderKind.OPENED)),
            needs_closing=ExpressionWrapper(
                Q(due_on__lte=today - timedelta(days=MISSED_AFTER_DAYS - CLOSING_NOTICE_DAYS))
                & ~Exists(sent.filter(kind=ReminderKind.CLOSING)),
                output_field=BooleanField(),
            ),
        )
    )


def pending(pairs: QuerySet[Any]) -> QuerySet[Any]:
    """The pairs with a reminder still to send."""
    return pairs.filter(Q(needs_opened=True) | Q(needs_closing=True))


def emails_off_for(user: User, patient_ids: Sequence[int]) -> set[int]:
    """The children for whom this family member has turned questionnaire emails off. One
    query."""
    return set(
        QuestionnaireEmails.objects.filter(
            user=user, patient_id__in=patient_ids, enabled=False
        ).values_list("patient_id", flat=True)
    )
