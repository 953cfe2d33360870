"""What a clinic's learning pages are (shipped files merged with its own changes, in each
language), and which pages the care team suggested to which child.

A page is a topic, (audience, slug), with a version in one or more languages. A reader gets the
version in their language; where a page has none yet, the English one (or the one there is), and
the page says which language it is in (`Page.language`), so the template can mark it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt

from backto.capabilities.learning.content import (
    ENGLISH,
    LANGUAGE_FOLDERS,
    ShippedPage,
    shipped_pages,
)
from backto.capabilities.learning.models import Audience, LearningPage, PageAssignment
from backto.core.fixed_sql import fixed_query
from backto.core.languages import language_name

Origin = Literal["shipped", "edited", "clinic"]
ORIGIN_LABELS = {
    "shipped": _("As shipped"),
    "edited": _("Changed by the clinic"),
    "clinic": _("The clinic's own page"),
}
Topic = tuple[str, str]
Rows = dict[tuple[str, str, str], LearningPage]

# Raw HTML in a page is shown as text, and markdown-it refuses javascript: and other unsafe
# link targets, so a page edited in the admin cannot inject script into a family's browser.
_markdown = MarkdownIt("commonmark", {"html": False})


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class Page:
    audience: str
    slug: str
    title: str
    summary: str
    body: str
    position: int
    origin: Origin
    hidden: bool
    language: str = ENGLISH

    @property
    def audience_label(self) -> str:
        return str(Audience(self.audience).label)

    @property
    def origin_label(self) -> str:
        return str(ORIGIN_LABELS[self.origin])

    @property
    def language_name(self) -> str:
        """The page's language named in the reader's ("inglés" for English, to a Spanish
        reader)."""
        return language_name(self.language)

    def html(self) -> SafeString:
        return render_markdown(self.body)


def render_markdown(body: str) -> SafeString:
    return mark_safe(_markdown.render(body))  # noqa: S308 - raw HTML is escaped by the parser


def _shipped(topic: Topic, language: str) -> ShippedPage | None:
    return shipped_pages(language).get(topic) if language in LANGUAGE_FOLDERS else None


def _position(topic: Topic, language: str) -> int:
    for lang in (language, *LANGUAGE_FOLDERS):
        if (shipped := _shipped(topic, lang)) is not None:
            return shipped.position
    return 1000


def _version(rows: Rows, topic: Topic, language: str, hidden: bool) -> Page | None:
    """The topic's version in this language, or None when it has none."""
    audience, slug = topic
    shipped = _shipped(topic, language)
    row = rows.get((audience, slug, language))
    position = _position(topic, language)
    if shipped is None:
        if row is None or not row.title:
            return None
        return Page(
            audience, slug, row.title, row.summary, row.body, position, "clinic", hidden, language
        )
    if row is None:
        return Page(
            audience, slug, shipped.title, shipped.summary, shipped.body, position, "shipped",
            hidden, language,
        )  # fmt: skip
    edited = bool(row.title or row.summary or row.body)
    return Page(
        audience,
        slug,
        row.title or shipped.title,
        row.summary or shipped.summary,
        row.body or shipped.body,
        position,
        "edited" if edited else "shipped",
        hidden,
        language,
    )


def _read(rows: Rows, topic: Topic, language: str, hidden: bool) -> Page | None:
    """The version a reader of `language` gets: theirs, else English, else any there is."""
    for lang in dict.fromkeys((language, ENGLISH, *languages())):
        page = _version(rows, topic, lang, hidden)
        if page is not None:
            return page
    return None


@fixed_query
def _clinic_rows(
    fields: tuple[str, ...], *, clinic_id: int, **topic: str
) -> QuerySet[LearningPage]:
    """The clinic's learning pages, of one topic when `topic` names it (`fields`: its keys)."""
    return LearningPage.objects.filter(clinic_id=clinic_id, **topic)


def _rows(clinic_id: int, **topic: str) -> tuple[Rows, set[Topic]]:
    rows = {
        (r.audience, r.slug, r.language): r
        for r in _clinic_rows(tuple(topic), clinic_id=clinic_id, **topic)
    }
    hidden = {(audience, slug) for (audience, slug, _lang), r in rows.items() if r.hidden}
    return rows, hidden


def _topics(rows: Rows) -> list[Topic]:
    shipped = [key for lang in LANGUAGE_FOLDERS for key in shipped_pages(lang)]
    return list(dict.fromkeys([*shipped, *((a, s) for a, s, _lang in rows)]))


def _in_order(pages: list[Page]) -> list[Page]:
    pages.sort(key=lambda p: (p.audience != "parents", p.position, p.title.lower()))
    return pages


def clinic_pages(
    clinic_id: int, language: str = ENGLISH, *, include_hidden: bool = False
) -> list[Page]:
    """Every page of the clinic as a reader of `language` gets it, parents' first, in list
    order (one query)."""
    rows, hidden = _rows(clinic_id)
    pages = [
        page for topic in _topics(rows) if (page := _read(rows, topic, language, topic in hidden))
    ]
    return [p for p in _in_order(pages) if include_hidden or not p.hidden]


def clinic_page_versions(clinic_id: int) -> list[Page]:
    """Every version of every page of the clinic, hidden ones too, each topic's versions
    together in the order of `settings.LANGUAGES` (one query): the admin's list."""
    rows, hidden = _rows(clinic_id)
    pages: list[Page] = []
    for topic in _topics(rows):
        versions = [_version(rows, topic, lang, topic in hidden) for lang in languages()]
        pages.extend(v for v in versions if v is not None)
    order = {lang: i for i, lang in enumerate(languages())}
    pages.sort(
        key=lambda p: (p.audience != "parents", p.position, p.slug, order.get(p.language, 99))
    )
    return pages


def clinic_page(
    clinic_id: int, audience: str, slug: str, language: str = ENGLISH, *, exact: bool = False
) -> Page | None:
    """The page as a reader of `language` gets it; with `exact`, only its version in that
    language. None when the clinic has no such page (in any language)."""
    rows, hidden = _rows(clinic_id, audience=audience, slug=slug)
    topic = (audience, slug)
    if exact:
        return _version(rows, topic, language, topic in hidden)
    return _read(rows, topic, language, topic in hidden)


def other_version(clinic_id: int, page: Page, language: str = ENGLISH) -> Page | None:
    """The same topic for the other audience (parents' page ↔ kids' page), if the clinic has it."""
    other = "kids" if page.audience == "parents" else "parents"
    found = clinic_page(clinic_id, other, page.slug, language)
    return found if found is not None and not found.hidden else None


@dataclass(frozen=True)
class Suggestion:
    assignment: PageAssignment
    page: Page


@fixed_query
def _assigned(*, patient_ids: list[int]) -> QuerySet[PageAssignment]:
    return PageAssignment.objects.filter(patient_id__in=patient_ids)


def suggestions_for(
    clinic_id: int,
    patient_ids: list[int],
    pages: list[Page] | None = None,
    language: str = ENGLISH,
) -> dict[int, list[Suggestion]]:
    """The pages suggested to each child's family, newest first, as a reader of `language` gets
    them, leaving out pages the clinic has since hidden (two queries, whatever the number of
    children; one when the caller has the clinic's pages already)."""
    if pages is None:
        pages = clinic_pages(clinic_id, language)
    shown = {(p.audience, p.slug): p for p in pages}
    found: dict[int, list[Suggestion]] = defaultdict(list)
    for assignment in _assigned(patient_ids=patient_ids):
        page = shown.get((assignment.audience, assignment.slug))
        if page is not None:
            found[assignment.patient_id].append(Suggestion(assignment, page))
    return found
