"""The clinic's learning pages in the admin: change a shipped page, add the clinic's own, hide
what it does not use, write a page's version in another language. Each version shows its
reading level, by its language's formula, against the target for its readers.

The editor works on one language's version of a page (`?language=es`, English when none is
sent); a page without a version in that language opens with the wording it has, to write the
new version from."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import audit_page_view, require_permission
from backto.capabilities.learning import actions
from backto.capabilities.learning.forms import (
    LanguageForm,
    NewPageForm,
    PageForm,
    VisibilityForm,
)
from backto.capabilities.learning.queries import (
    Page,
    clinic_page,
    clinic_page_versions,
    render_markdown,
)
from backto.capabilities.learning.readability import FORMULAS, MAX_GRADE, reading_grade
from backto.core.forms import apply_errors
from backto.core.languages import language_name


@dataclass(frozen=True)
class Readability:
    grade: float
    target: float
    formula: str

    @property
    def within(self) -> bool:
        return self.grade <= self.target


def readability(audience: str, body: str, language: str = "en") -> Readability:
    return Readability(
        round(reading_grade(body, language), 1), MAX_GRADE[audience], FORMULAS[language]
    )


def _in_language(name: str, language: str, **kwargs: str) -> str:
    url = reverse(name, kwargs=kwargs or None)
    return url if language == "en" else f"{url}?{urlencode({'language': language})}"


@require_safe
def learning_admin(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.LEARNING_EDIT)
    pages = clinic_page_versions(request.user.clinic_id)
    rows = [
        (
            page,
            readability(page.audience, page.body, page.language),
            _in_language(
                "learning_page_edit", page.language, audience=page.audience, slug=page.slug
            ),
        )
        for page in pages
    ]
    audit_page_view(request)
    return render(
        request, "learning/admin.html", {"rows": rows, "targets": MAX_GRADE, "formulas": FORMULAS}
    )


def _editor(
    request: AuthenticatedHttpRequest,
    form: PageForm,
    audience: str,
    page: Page | None,
    language: str,
) -> HttpResponse:
    preview = None
    if form.is_bound and form.is_valid():
        body = form.cleaned_data["body"]
        preview = (render_markdown(body), readability(audience, body, language))
    elif page is not None:
        preview = (page.html(), readability(audience, page.body, page.language))
    urls = {}
    if page is not None:
        topic = {"audience": page.audience, "slug": page.slug}
        urls = {
            "save": _in_language("learning_page_edit", language, **topic),
            "preview": _in_language("learning_page_preview", language, **topic),
            "restore": _in_language("learning_page_restore", language, **topic),
            "versions": {
                code: _in_language("learning_page_edit", code, **topic) for code in FORMULAS
            },
        }
    return render(
        request,
        "learning/page_edit.html",
        {
            "form": form,
            "page": page,
            "preview": preview,
            "language": language,
            "language_name": language_name(language),
            "new_version": page is not None and page.language != language,
            "urls": urls,
        },
        status=400 if form.errors else 200,
    )


def _new_page_choice(form: NewPageForm, name: str, default: str) -> str:
    if form.is_bound and form.is_valid():
        return str(form.cleaned_data[name])
    return default


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
            return redirect(
                _in_language(
                    "learning_page_edit", page.language, audience=page.audience, slug=page.slug
                )
            )
    return _editor(
        request,
        form,
        _new_page_choice(form, "audience", "parents"),
        None,
        _new_page_choice(form, "language", "en"),
    )


@require_POST
def learning_page_new_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The new page's words as families would see them, with their reading level; nothing saved."""
    require_permission(request, Permission.LEARNING_EDIT)
    form = NewPageForm(request.POST)
    return _editor(
        request,
        form,
        _new_page_choice(form, "audience", "parents"),
        None,
        _new_page_choice(form, "language", "en"),
    )


def _page_form(
    request: AuthenticatedHttpRequest, audience: str, slug: str
) -> tuple[Page, PageForm, str]:
    """The page's version in the language asked for (or the wording it has, to write that
    version from), its form, and the language."""
    require_permission(request, Permission.LEARNING_EDIT)
    language = LanguageForm(request.GET).chosen()
    page = clinic_page(request.user.clinic_id, audience, slug, language)
    if page is None:
        raise Http404("No such page.")
    initial = {"title": page.title, "summary": page.summary, "body": page.body}
    return page, PageForm(request.POST or None, initial=initial), language


@require_http_methods(["GET", "POST"])
def learning_page_edit(request: AuthenticatedHttpRequest, audience: str, slug: str) -> HttpResponse:
    """The editor of a page; its form posts here to save (the preview button posts to
    learning_page_preview)."""
    page, form, language = _page_form(request, audience, slug)
    if request.method == "POST" and form.is_valid():
        try:
            actions.learning_page_edit(
                by=request.user,
                clinic=request.user.clinic,
                audience=audience,
                slug=slug,
                language=language,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Page saved.")
            return redirect(
                _in_language("learning_page_edit", language, audience=audience, slug=slug)
            )
    return _editor(request, form, audience, page, language)


@require_POST
def learning_page_preview(
    request: AuthenticatedHttpRequest, audience: str, slug: str
) -> HttpResponse:
    """The page's changed words as families would see them, with their reading level; nothing
    saved."""
    page, form, language = _page_form(request, audience, slug)
    return _editor(request, form, audience, page, language)


@require_POST
def learning_page_restore(
    request: AuthenticatedHttpRequest, audience: str, slug: str
) -> HttpResponse:
    require_permission(request, Permission.LEARNING_EDIT)
    language = LanguageForm(request.GET).chosen()
    try:
        actions.learning_page_restore(
            by=request.user,
            clinic=request.user.clinic,
            audience=audience,
            slug=slug,
            language=language,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The page is back to BackTo's wording.")
    return redirect(_in_language("learning_page_edit", language, audience=audience, slug=slug))


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
