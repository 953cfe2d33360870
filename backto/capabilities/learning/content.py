"""The learning pages BackTo ships: Markdown files, one folder per language and audience.

English pages are in `content/parents/` and `content/kids/`; each other language has its own
folder with the same two inside (`content/es/parents/`, `content/es/kids/`). A Spanish page is
written for Spanish readers, not translated word for word, and has the same file name as the
English page on the same topic, so both answer at the same address and a reader gets the one in
their language.

A file is named `NN-slug.md` (NN orders the list; the same slug in both audiences' folders links
a parent page with its kids' page). Its first line is `# Title`, its first paragraph the summary
shown in the list, and the rest the page.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from backto.clinical.languages import base_language

CONTENT = Path(__file__).resolve().parent / "content"
AUDIENCES = ("parents", "kids")
ENGLISH = "en"
# The languages BackTo ships pages in, and where each one's folders are.
LANGUAGE_FOLDERS = {ENGLISH: CONTENT, "es": CONTENT / "es"}
_NAME = re.compile(r"^(?P<position>\d{2})-(?P<slug>[a-z0-9-]+)\.md$")


@dataclass(frozen=True)
class ShippedPage:
    audience: str
    slug: str
    position: int
    title: str
    summary: str
    body: str
    language: str = ENGLISH


def parse_page(text: str) -> tuple[str, str, str]:
    """Title, summary and body of a page file; ValueError when it lacks its title line."""
    first, _, rest = text.strip().partition("\n")
    if not first.startswith("# "):
        raise ValueError("the first line must be the title, starting with '# '")
    summary, _, body = rest.strip().partition("\n\n")
    return first[2:].strip(), " ".join(summary.split()), body.strip()


def content_language(language: str | None) -> str:
    """The shipped language closest to a language code ("es-mx" → "es"); English otherwise."""
    base = base_language(language)
    return base if base in LANGUAGE_FOLDERS else ENGLISH


@functools.cache
def shipped_pages(language: str = ENGLISH) -> dict[tuple[str, str], ShippedPage]:
    """Every shipped page in one language by (audience, slug), in list order."""
    folder = LANGUAGE_FOLDERS[language]
    pages = []
    for audience in AUDIENCES:
        for path in (folder / audience).glob("*.md"):
            match = _NAME.match(path.name)
            if match is None:
                raise ValueError(f"{path}: a page file is named NN-slug.md")
            title, summary, body = parse_page(path.read_text(encoding="utf-8"))
            pages.append(
                ShippedPage(
                    audience, match["slug"], int(match["position"]), title, summary, body, language
                )
            )
    pages.sort(key=lambda p: (p.audience, p.position))
    return {(p.audience, p.slug): p for p in pages}
