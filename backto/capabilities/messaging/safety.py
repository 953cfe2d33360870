"""A family's message with words that suggest self-harm raises the same safety alert a diary's
lowest mood does (backto.clinical.safety_words is the list; docs/messaging-safety.md says why).

Nothing here ever answers the family as if a person had read the message: the care team is
alerted (their home, the child's overview, an email with a link and no words), and the family
sees the clinic's own help message, with its numbers, right after sending.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.patients.respondents import Respondent
from backto.capabilities.alerts.actions import safety_alert_raise
from backto.capabilities.alerts.help import HelpMessage
from backto.capabilities.alerts.models import AlertSource, SafetyAlert
from backto.capabilities.alerts.sources import AlertedForm, register_alert_source
from backto.capabilities.messaging.models import ConversationKind, Message
from backto.clinical.safety_words import matched_phrases


def raise_alert_if_needed(*, by: User, message: Message) -> bool:
    """Check a family's message for words that suggest self-harm and, when it has some, mark it
    (`message.safety_words = True`, saved) and raise a safety alert for the child's care team
    listing the phrases found; returns whether it did. Called by message_send inside its
    transaction, once the message is saved (the alert names it by its id), for every message:
    a staff message, or one without words, is never checked and returns False.

    A message in the teen's own conversation raises a private alert (the care team only, never
    a coordinator or admin reaching the child through the clinic, as the teen's private diary
    answers do); one in the family's conversation is seen by whoever may see the others."""
    if transaction.get_autocommit():
        raise RuntimeError("raise_alert_if_needed runs inside message_send's transaction")
    if not message.from_family or not message.body:
        return False
    phrases = matched_phrases(message.body)
    if not phrases:
        return False
    message.safety_words = True
    message.save(update_fields=["safety_words"])
    conversation = message.conversation
    patient = conversation.patient
    safety_alert_raise(
        by=by,
        patient=patient,
        episode=patient.episodes.first(),  # the latest: its care team is told
        source=AlertSource.MESSAGE,
        source_id=message.pk,
        respondent=(
            Respondent.CHILD if by.pk == patient.teen_account_id else Respondent.PARENT
        ).value,
        items=phrases,
        private=conversation.kind == ConversationKind.TEEN,
    )
    return True


def after_send_help(message: Message) -> HelpMessage | None:
    """The clinic's help message for the family who just sent `message`, or None when its words
    raised no alert. Never a reply: the clinic's own words with its number and crisis line.

    Show it right after sending, once, the way the diary does after a safety answer:

        # the send view, after message_send:
        if message.safety_words:
            remember_help(request, patient.pk)  # backto.capabilities.alerts.help
        # the conversation page it redirects to:
        "help": help_message(request, patient)  # the HelpMessage once, then None

    or, when the page is rendered straight after the send, `"help": after_send_help(message)`.
    Either way the template shows it first, in a `role="alert"` box:

        {% if help %}<div class="messages" role="alert">
          {% include "alerts/_help_message.html" with help=help %}</div>{% endif %}

    The flag lives in the session, never in the address: a URL must not tell that a message
    raised an alert."""
    if not (message.from_family and message.safety_words):
        return None
    clinic = message.conversation.patient.clinic
    return HelpMessage(clinic=clinic)


def alerted_message(alert: SafetyAlert) -> AlertedForm | None:
    """The alert page's reader (alerts.sources): the message's words as written (withdrawn or
    not: the care team reads what raised the alert), when, and its conversation's page."""
    message = (
        Message.objects.filter(pk=alert.source_id, conversation__patient_id=alert.patient_id)
        .only("body", "created_at", "withdrawn_at", "conversation_id")
        .first()
    )
    if message is None:
        return None
    return AlertedForm(
        instrument_id="",
        instrument_version="",
        answers={},
        day=timezone.localdate(message.created_at),
        words=message.body,
        written_at=message.created_at,
        withdrawn=message.withdrawn_at is not None,
        link=reverse("conversation", args=[message.conversation_id]),
    )


def register() -> None:
    """From MessagingConfig.ready: the alert page reads the message that raised an alert."""
    register_alert_source(AlertSource.MESSAGE, alerted_message)
