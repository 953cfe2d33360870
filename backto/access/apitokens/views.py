"""My account → API tokens: make a token (shown once), see one's tokens, revoke one.

Making a token asks that the person confirmed it is them in the last minutes (sudo mode), like
changing a password: a token outlives the session it was made in."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.accounts.sudo import sudo_required
from backto.access.apitokens.actions import TokenRefused, token_create, token_revoke
from backto.access.apitokens.forms import TokenForm
from backto.access.apitokens.models import ApiToken
from backto.access.patients.access import audit_page_view, require_permission


@sudo_required
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.API_TOKENS)
    form = TokenForm(request.POST or None)
    new_token = ""
    if request.method == "POST" and form.is_valid():
        try:
            _, new_token = token_create(by=request.user, **form.cleaned_data)
        except TokenRefused as refused:
            form.add_error(refused.field, str(refused))
        else:
            form = TokenForm()
    elif request.method == "GET":
        audit_page_view(request)
    tokens = list(ApiToken.objects.filter(user=request.user))
    status = 400 if form.errors else 200
    return render(
        request,
        "apitokens/token_list.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
        status=status,
    )


@require_POST
def token_revoke_view(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    require_permission(request, Permission.API_TOKENS)
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    token_revoke(by=request.user, token=token)
    messages.success(request, f"“{token.name}” is revoked: it no longer works.")
    return redirect("api_tokens")
