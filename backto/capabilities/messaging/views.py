"""The messaging pages: the staff inbox, a family's conversations, a thread with its reply form,
one POST address per action, the photo served through the permission check, and the printable
transcript."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import (
    Asks,
    asked_permission,
    audit_page_view,
    deny,
    filters_detail,
    get_record_for,
    has_permission,
    refuse,
    require_permission,
)
from backto.access.patients.models import Patient
from backto.capabilities.alerts.help import help_message, remember_help
from backto.capabilities.messaging import actions, queries
from backto.capabilities.messaging.forms import (
    AssignForm,
    CannedPickForm,
    InboxForm,
    MessageForm,
)
from backto.capabilities.messaging.models import Conversation, ConversationKind, Message
from backto.capabilities.messaging.queries import Show
from backto.core.forms import apply_errors

INBOX_PAGE = 50


def _conversation(
    request: AuthenticatedHttpRequest, conversation_id: int, read: Asks, write: Asks | None = None
) -> Conversation:
    """Load a conversation through the circle and the permission, and the teen's rule."""
    permission = asked_permission(request, read, write)
    peek = (
        Conversation.objects.select_related("patient")
        .filter(pk=conversation_id, patient__clinic_id=request.user.clinic_id)
        .first()
    )
    if peek is not None and queries.teen_conversation_hidden(
        request, peek.kind, peek.patient, "conversation", conversation_id, permission
    ):
        raise Http404("No such record.")
    return get_record_for(
        request,
        Conversation.objects.all(),
        conversation_id,
        read,
        write=write,
        patient_path="patient",
    )


def _message(
    request: AuthenticatedHttpRequest, message_id: int, read: Asks, write: Asks | None = None
) -> Message:
    permission = asked_permission(request, read, write)
    peek = (
        Message.objects.select_related("conversation__patient")
        .filter(pk=message_id, conversation__patient__clinic_id=request.user.clinic_id)
        .first()
    )
    if peek is not None and queries.teen_conversation_hidden(
        request,
        peek.conversation.kind,
        peek.conversation.patient,
        "message",
        message_id,
        permission,
    ):
        raise Http404("No such record.")
    return get_record_for(
        request,
        Message.objects.select_related("conversation"),
        message_id,
        read,
        write=write,
        patient_path="conversation__patient",
    )


@require_safe
def messages_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The staff inbox; a family member's messages are on their own page."""
    if not request.user.is_staff_member:
        return redirect("messages_family")
    require_permission(request, Permission.MESSAGE_VIEW)
    form = InboxForm(request.GET)
    show, number = form.shown(), form.page_number()
    # One more row than a page says whether an older page exists: no count of thousands of
    # conversations for a number of pages nobody reads.
    start = (number - 1) * INBOX_PAGE
    rows = list(queries.inbox(request.user, show=show)[start : start + INBOX_PAGE + 1])
    response = render(
        request,
        "messaging/inbox.html",
        {
            "show": show,
            "rows": rows[:INBOX_PAGE],
            "number": number,
            "older": number + 1 if len(rows) > INBOX_PAGE else None,
            "newer": number - 1 if number > 1 else None,
            "choices": Show.CHOICES,
        },
    )
    audit_page_view(request, detail=filters_detail(show=show, page=number))
    return response


@require_safe
def messages_family(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A family member's conversations: one per child, and the teen's own."""
    if request.user.is_staff_member:
        return redirect("messages_inbox")
    require_permission(request, Permission.MESSAGE_VIEW)
    rows = queries.family_rows(request.user)
    audit_page_view(request)
    return render(
        request,
        "messaging/family.html",
        {"rows": rows, "reply_time": queries.reply_time(request.user.clinic)},
    )


def _family_language(request: AuthenticatedHttpRequest, patient: Patient, kind: str) -> str:
    """The language a team member's reply should be in: the teen's own in the teen's
    conversation, else the family's; none for the family."""
    if not request.user.is_staff_member:
        return ""
    if kind == ConversationKind.TEEN and patient.teen_account is not None:
        return patient.language_for(patient.teen_account)
    return patient.language_for(None)


def _thread_page(
    request: AuthenticatedHttpRequest,
    *,
    patient: Patient,
    kind: str,
    conversation: Conversation | None,
    form: MessageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    clinic = user.clinic
    family_language = _family_language(request, patient, kind)
    if form is None:
        initial: dict[str, Any] = {}
        picked = CannedPickForm(request.GET).checked()["canned"] if user.is_staff_member else None
        if picked is not None:
            reply = queries.canned_replies(clinic).filter(pk=picked).first()
            if reply is not None:
                initial = {"body": reply.body, "canned_reply": reply.pk}
        form = MessageForm(initial=initial, clinic=clinic, family_language=family_language)
    thread = list(queries.thread(conversation)) if conversation is not None else []
    triage = has_permission(user, Permission.MESSAGE_TRIAGE, patient)
    if conversation is not None and request.method == "GET":
        actions.conversation_read(
            by=user, conversation=conversation, up_to=conversation.last_message_at
        )
    return render(
        request,
        "messaging/conversation.html",
        {
            "patient": patient,
            "kind": kind,
            "conversation": conversation,
            "thread": thread,
            "form": form,
            "triage": triage,
            "may_send": has_permission(user, Permission.MESSAGE_SEND, patient),
            "team": queries.care_team(patient) if triage else [],
            "canned": (
                list(queries.canned_replies(clinic, language_first=family_language))
                if user.is_staff_member
                else []
            ),
            "family_language": family_language,
            "reply_time": queries.reply_time(clinic),
            "help": help_message(request, patient),
            "send_url": (
                reverse("conversation_send", args=[conversation.pk])
                if conversation is not None
                else reverse("conversation_start", args=[patient.pk, kind])
            ),
        },
        status=status,
    )


@require_safe
def conversation(request: AuthenticatedHttpRequest, conversation_id: int) -> HttpResponse:
    """The thread with its reply form; reading it marks it read."""
    found = _conversation(request, conversation_id, Permission.MESSAGE_VIEW)
    return _thread_page(request, patient=found.patient, kind=found.kind, conversation=found)


@require_http_methods(["GET", "POST"])
def conversation_start(
    request: AuthenticatedHttpRequest, patient_id: int, kind: str
) -> HttpResponse:
    """A child's conversation of this kind: opened when it exists, else an empty thread whose
    first message starts it."""
    if kind not in ConversationKind.values:
        raise Http404("No such conversation.")
    permission = asked_permission(request, Permission.MESSAGE_VIEW, Permission.MESSAGE_SEND)
    peek = Patient.objects.filter(pk=patient_id, clinic_id=request.user.clinic_id).first()
    if peek is not None and queries.teen_conversation_hidden(
        request, kind, peek, "patient", patient_id, permission
    ):
        raise Http404("No such conversation.")
    if peek is not None and kind == ConversationKind.TEEN and peek.teen_account_id is None:
        # A child without a teen account has no conversation of their own.
        deny(
            request,
            status=404,
            object_type="patient",
            object_id=patient_id,
            patient_id=peek.pk,
            permission=permission,
        )
        raise Http404("No such conversation.")
    patient = get_record_for(
        request,
        Patient.objects.all(),
        patient_id,
        Permission.MESSAGE_VIEW,
        write=Permission.MESSAGE_SEND,
        patient_path="",
    )
    existing = Conversation.objects.filter(patient=patient, kind=kind).first()
    if request.method == "GET":
        if existing is not None:
            return redirect("conversation", conversation_id=existing.pk)
        return _thread_page(request, patient=patient, kind=kind, conversation=None)
    form = MessageForm(
        request.POST,
        request.FILES,
        clinic=request.user.clinic,
        family_language=_family_language(request, patient, kind),
    )
    if form.is_valid():
        started = actions.conversation_for(patient=patient, kind=kind, by=request.user)
        return _send(request, started, form)
    return _thread_page(
        request, patient=patient, kind=kind, conversation=existing, form=form, status=400
    )


def _send(
    request: AuthenticatedHttpRequest, conversation: Conversation, form: MessageForm
) -> HttpResponse:
    data = form.cleaned_data
    try:
        message, _ = actions.message_send(
            by=request.user,
            conversation=conversation,
            body=data["body"],
            photo=data["photo"],
            idempotency_key=data["idempotency_key"],
            canned_reply=data["canned_reply"],
        )
    except ValidationError as error:
        apply_errors(form, error)
        return _thread_page(
            request,
            patient=conversation.patient,
            kind=conversation.kind,
            conversation=conversation if conversation.last_message_at else None,
            form=form,
            status=400,
        )
    if message.safety_words:
        # The clinic's help message, shown once on the page this redirects to (never a reply).
        remember_help(request, conversation.patient_id)
    return redirect(reverse("conversation", args=[conversation.pk]) + f"#message-{message.pk}")


@require_POST
def conversation_send(request: AuthenticatedHttpRequest, conversation_id: int) -> HttpResponse:
    found = _conversation(
        request, conversation_id, Permission.MESSAGE_VIEW, write=Permission.MESSAGE_SEND
    )
    form = MessageForm(
        request.POST,
        request.FILES,
        clinic=request.user.clinic,
        family_language=_family_language(request, found.patient, found.kind),
    )
    if not form.is_valid():
        return _thread_page(
            request,
            patient=found.patient,
            kind=found.kind,
            conversation=found,
            form=form,
            status=400,
        )
    return _send(request, found, form)


def _back(message: Message) -> HttpResponse:
    return redirect(
        reverse("conversation", args=[message.conversation_id]) + f"#message-{message.pk}"
    )


@require_POST
def message_withdraw(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id, Permission.MESSAGE_VIEW, write=Permission.MESSAGE_SEND)
    if message.author_id != request.user.pk:
        refuse(request, message, message.conversation.patient_id, Permission.MESSAGE_SEND)
    actions.message_withdraw(by=request.user, message=message)
    messages.success(
        request, _("Your message is withdrawn. The care team sees that you withdrew it.")
    )
    return _back(message)


@require_POST
def message_assign(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id, Permission.MESSAGE_TRIAGE)
    to_id = AssignForm(request.POST).checked()["to"]
    to = User.objects.filter(pk=to_id, clinic_id=request.user.clinic_id).first() if to_id else None
    try:
        if to_id is not None and to is None:
            raise ValidationError({"to": _("Choose a member of the child's care team.")})
        actions.message_assign(by=request.user, message=message, to=to)
    except ValidationError as error:
        messages.error(request, _("Assign to: %(why)s") % {"why": " ".join(error.messages)})
        return _back(message)
    messages.success(
        request, _("Assigned to %(name)s.") % {"name": to.name} if to else _("No longer assigned.")
    )
    return _back(message)


@require_POST
def message_done(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id, Permission.MESSAGE_TRIAGE)
    try:
        actions.message_done(by=request.user, message=message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(message)
    messages.success(request, _("Marked done."))
    return _back(message)


@require_safe
def message_photo(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    """A message's photo, only through the permission check, never kept by a browser."""
    message = _message(request, message_id, Permission.MESSAGE_VIEW)
    patient = message.conversation.patient
    if not message.photo or (
        message.withdrawn_at is not None
        and not has_permission(request.user, Permission.MESSAGE_TRIAGE, patient)
    ):
        raise Http404("No photo.")
    # A kept photo is small (at most 1600 px, a JPEG): read whole, no file left open.
    with message.photo.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def conversation_print(request: AuthenticatedHttpRequest, conversation_id: int) -> HttpResponse:
    """The whole conversation as a plain transcript for the record (audited as a read)."""
    found = _conversation(request, conversation_id, Permission.MESSAGE_VIEW)
    return render(
        request,
        "messaging/print.html",
        {
            "conversation": found,
            "patient": found.patient,
            "thread": list(queries.thread(found)),
            "triage": has_permission(request.user, Permission.MESSAGE_TRIAGE, found.patient),
        },
    )
