"""The clinic's canned replies and its reply-time promise (canned_replies_edit)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import audit_page_view, require_permission
from backto.capabilities.messaging import actions, queries
from backto.capabilities.messaging.forms import CannedEditForm, CannedReplyForm, ReplyTimeForm
from backto.capabilities.messaging.models import CannedReply
from backto.core.forms import BadParameter, apply_errors


def _page(
    request: AuthenticatedHttpRequest,
    *,
    form: CannedReplyForm,
    editing: CannedReply | None,
    time_form: ReplyTimeForm,
    status: int = 200,
) -> HttpResponse:
    clinic = request.user.clinic
    return render(
        request,
        "messaging/canned_replies.html",
        {
            "replies": list(queries.canned_replies(clinic, active_only=False)),
            "form": form,
            "editing": editing,
            "time_form": time_form,
        },
        status=status,
    )


def _reply(request: AuthenticatedHttpRequest, reply_id: int | None) -> CannedReply | None:
    if reply_id is None:
        return None
    reply = CannedReply.objects.filter(pk=reply_id, clinic_id=request.user.clinic_id).first()
    if reply is None:
        raise BadParameter(_("“reply”: that canned reply is not one of this clinic's."))
    return reply


@require_safe
def canned_replies(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The clinic's canned replies: the list, a form to add one (or change the one asked with
    ?edit=<id>), and the reply-time text."""
    require_permission(request, Permission.CANNED_REPLIES_EDIT)
    editing = _reply(request, CannedEditForm(request.GET).checked()["edit"])
    initial = (
        {
            "title": editing.title,
            "body": editing.body,
            "active": editing.active,
            "language": editing.language,
        }
        if editing is not None
        else {"active": True}
    )
    audit_page_view(request)
    return _page(
        request,
        form=CannedReplyForm(initial=initial),
        editing=editing,
        time_form=ReplyTimeForm(initial={"text": str(queries.reply_time(request.user.clinic))}),
    )


@require_POST
def canned_reply_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.CANNED_REPLIES_EDIT)
    editing = _reply(request, CannedEditForm(request.POST).checked()["reply"])
    form = CannedReplyForm(
        request.POST, initial={"language": editing.language} if editing is not None else {}
    )
    if form.is_valid():
        try:
            reply = actions.canned_reply_save(
                by=request.user, clinic=request.user.clinic, reply=editing, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved the reply “%(title)s”.") % {"title": reply.title})
            return redirect("canned_replies")
    time_form = ReplyTimeForm(initial={"text": str(queries.reply_time(request.user.clinic))})
    return _page(request, form=form, editing=editing, time_form=time_form, status=400)


@require_POST
def reply_time(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.CANNED_REPLIES_EDIT)
    time_form = ReplyTimeForm(request.POST)
    if time_form.is_valid():
        try:
            actions.reply_time_set(
                by=request.user, clinic=request.user.clinic, text=time_form.cleaned_data["text"]
            )
        except ValidationError as error:
            apply_errors(time_form, error)
        else:
            messages.success(request, _("Families now see the new reply time."))
            return redirect("canned_replies")
    return _page(
        request,
        form=CannedReplyForm(initial={"active": True}),
        editing=None,
        time_form=time_form,
        status=400,
    )
