"""What a clinic's learning pages are (shipped files merged with its own changes), and which
pages the care team suggested to which child."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from backto.capabilities.learning.content import shipped_pages
from backto.capabilities.learning.models import Audience, LearningPage, PageAssignment

Origin = Literal["shipped", "edited", "clinic"]
ORIGIN_LABELS = {
    "shipped": "As shipped",
    "edited": "Changed by the clinic",
    "clinic": "The clinic's own page",
}

# Raw HTML in a page is shown as text, and markdown-it refuses javascript: and other unsafe
# link targets, so a page edited in the admin cannot inject script into a family's browser.
_markdown = MarkdownIt("commonmark", {"html": False})


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

    @property
    def audience_label(self) -> str:
        return str(Audience(self.audience).label)

    @property
    def origin_label(self) -> str:
        return ORIGIN_LABELS[self.origin]

    def html(self) -> SafeString:
        return render_markdown(self.body)


def render_markdown(body: str) -> SafeString:
    return mark_safe(_markdown.render(body))  # noqa: S308 - raw HTML is escaped by the parser


def _merge(row: LearningPage | None, audience: str, slug: str) -> Page | None:
    shipped = shipped_pages().get((audience, slug))
    if shipped is None and row is None:
        return None
    if shipped is None:
        assert row is not None
        return Page(audience, slug, row.title, row.summary, row.body, 1000, "clinic", row.hidden)
    if row is None:
        return Page(
            audience, slug, shipped.title, shipped.summary, shipped.body, shipped.position,
            "shipped", False,
        )  # fmt: skip
    edited = bool(row.title or row.summary or row.body)
    return Page(
        audience,
        slug,
        row.title or shipped.title,
        row.summary or shipped.summary,
        row.body or shipped.body,
        shipped.position,
        "edited" if edited else "shipped",
        row.hidden,
    )


def clinic_pages(clinic_id: int, *, include_hidden: bool = False) -> list[Page]:
    """Every page of the clinic, parents' first, in list order (one query)."""
    rows = {(r.audience, r.slug): r for r in LearningPage.objects.filter(clinic_id=clinic_id)}
    keys = list(shipped_pages()) + [key for key in rows if key not in shipped_pages()]
    pages = [page for key in keys if (page := _merge(rows.get(key), *key)) is not None]
    pages.sort(key=lambda p: (p.audience != "parents", p.position, p.title.lower()))
    return [p for p in pages if include_hidden or not p.hidden]


def clinic_page(clinic_id: int, audience: str, slug: str) -> Page | None:
    row = LearningPage.objects.filter(clinic_id=clinic_id, audience=audience, slug=slug).first()
    return _merge(row, audience, slug)


def other_version(clinic_id: int, page: Page) -> Page | None:
    """The same topic for the other audience (parents' page ↔ kids' page), if the clinic has it."""
    other = "kids" if page.audience == "parents" else "parents"
    found = clinic_page(clinic_id, other, page.slug)
    return found if found is not None and not found.hidden else None


@dataclass(frozen=True)
class Suggestion:
    assignment: PageAssignment
    page: Page


def suggestions_for(
    clinic_id: int, patient_ids: list[int], pages: list[Page] | None = None
) -> dict[int, list[Suggestion]]:
    """The pages suggested to each child's family, newest first, leaving out pages the clinic
    has since hidden (two queries, whatever the number of children; one when the caller has
    the clinic's pages already)."""
    shown = {(p.audience, p.slug): p for p in (clinic_pages(clinic_id) if pages is None else pages)}
    found: dict[int, list[Suggestion]] = defaultdict(list)
    for assignment in PageAssignment.objects.filter(patient_id__in=patient_ids):
        page = shown.get((assignment.audience, assignment.slug))
        if page is not None:
            found[assignment.patient_id].append(Suggestion(assignment, page))
    return found
