"""The clinic's learning pages in the admin: change a shipped page, add the clinic's own, hide
what it does not use. Each page shows its reading level against the target for its readers."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import audit_page_view, require_permission
from backto.capabilities.learning import actions
from backto.capabilities.learning.forms import NewPageForm, PageForm, VisibilityForm
from backto.capabilities.learning.queries import Page, clinic_page, clinic_pages, render_markdown
from backto.capabilities.learning.readability import MAX_GRADE, reading_grade
from backto.core.forms import apply_errors


@dataclass(frozen=True)
class Readability:
    grade: float
    target: float

    @property
    def within(self) -> bool:
        return self.grade <= self.target


def readability(audience: str, body: str) -> Readability:
    return Readability(round(reading_grade(body), 1), MAX_GRADE[audience])


@require_safe
def learning_admin(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.LEARNING_EDIT)
    pages = clinic_pages(request.user.clinic_id, include_hidden=True)
    rows = [(page, readability(page.audience, page.body)) for page in pages]
    audit_page_view(request)
    return render(request, "learning/admin.html", {"rows": rows, "targets": MAX_GRADE})


def _editor(
    request: AuthenticatedHttpRequest, form: PageForm, audience: str, page: Page | None
) -> HttpResponse:
    preview = None
    if form.is_bound and form.is_valid():
        body = form.cleaned_data["body"]
        preview = (render_markdown(body), readability(audience, body))
    elif page is not None:
        preview = (page.html(), readability(audience, page.body))
    return render(
        request,
        "learning/page_edit.html",
        {"form": form, "page": page, "preview": preview},
        status=400 if form.errors else 200,
    )


def _new_page_audience(form: NewPageForm) -> str:
    return form.cleaned_data["audience"] if form.is_bound and form.is_valid() else "parents"


@require_http_methods(["GET", "POST"])
def learning_page_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The editor for a page of the clinic's own; its form posts here to save (the preview button
    posts to learning_page_new_preview)."""
    require_permission(request, Permission.LEARNING_EDIT)
    form = NewPageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            page = actions.learning_page_add(
                by=request.user, clinic=request.user.clinic, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Page added. Families see it in the learning pages.")
            return redirect("learning_page_edit", audience=page.audience, slug=page.slug)
    return _editor(request, form, _new_page_audience(form), None)


@require_POST
def learning_page_new_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The new page's words as families would see them, with their reading level; nothing saved."""
    require_permission(request, Permission.LEARNING_EDIT)
    form = NewPageForm(request.POST)
    return _editor(request, form, _new_page_audience(form), None)


def _page_form(
    request: AuthenticatedHttpRequest, audience: str, slug: str
) -> tuple[Page, PageForm]:
    require_permission(request, Permission.LEARNING_EDIT)
    page = clinic_page(request.user.clinic_id, audience, slug)
    if page is None:
        raise Http404("No such page.")
    initial = {"title": page.title, "summary": page.summary, "body": page.body}
    return page, PageForm(request.POST or None, initial=initial)


@require_http_methods(["GET", "POST"])
def learning_page_edit(request: AuthenticatedHttpRequest, audience: str, slug: str) -> HttpResponse:
    """The editor of a page; its form posts here to save (the preview button posts to
    learning_page_preview)."""
    page, form = _page_form(request, audience, slug)
    if request.method == "POST" and form.is_valid():
        try:
            actions.learning_page_edit(
                by=request.user,
                clinic=request.user.clinic,
                audience=audience,
                slug=slug,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Page saved.")
            return redirect("learning_page_edit", audience=audience, slug=slug)
    return _editor(request, form, audience, page)


@require_POST
def learning_page_preview(
    request: AuthenticatedHttpRequest, audience: str, slug: str
) -> HttpResponse:
    """The page's changed words as families would see them, with their reading level; nothing
    saved."""
    page, form = _page_form(request, audience, slug)
    return _editor(request, form, audience, page)


@require_POST
def learning_page_restore(
    request: AuthenticatedHttpRequest, audience: str, slug: str
) -> HttpResponse:
    require_permission(request, Permission.LEARNING_EDIT)
    try:
        actions.learning_page_restore(
            by=request.user, clinic=request.user.clinic, audience=audience, slug=slug
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The page is back to BackTo's wording.")
    return redirect("learning_page_edit", audience=audience, slug=slug)


@require_POST
def learning_page_visibility(
    request: AuthenticatedHttpRequest, audience: str, slug: str
) -> HttpResponse:
    require_permission(request, Permission.LEARNING_EDIT)
    hidden = VisibilityForm(request.POST).checked()["hidden"]
    try:
        actions.learning_page_set_hidden(
            by=request.user, clinic=request.user.clinic, audience=audience, slug=slug, hidden=hidden
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Hidden from families." if hidden else "Shown to families again.")
    return redirect("learning_admin")
