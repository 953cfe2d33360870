"""The learning pages BackTo ships: Markdown files in `content/parents/` and `content/kids/`.

A file is named `NN-slug.md` (NN orders the list; the same slug in both folders links a parent
page with its kids' page). Its first line is `# Title`, its first paragraph the summary shown in
the list, and the rest the page.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

CONTENT = Path(__file__).resolve().parent / "content"
AUDIENCES = ("parents", "kids")
_NAME = re.compile(r"^(?P<position>\d{2})-(?P<slug>[a-z0-9-]+)\.md$")


@dataclass(frozen=True)
class ShippedPage:
    audience: str
    slug: str
    position: int
    title: str
    summary: str
    body: str


def parse_page(text: str) -> tuple[str, str, str]:
    """Title, summary and body of a page file; ValueError when it lacks its title line."""
    first, _, rest = text.strip().partition("\n")
    if not first.startswith("# "):
        raise ValueError("the first line must be the title, starting with '# '")
    summary, _, body = rest.strip().partition("\n\n")
    return first[2:].strip(), " ".join(summary.split()), body.strip()


@functools.cache
def shipped_pages() -> dict[tuple[str, str], ShippedPage]:
    """Every shipped page by (audience, slug), in list order."""
    pages = []
    for audience in AUDIENCES:
        for path in (CONTENT / audience).glob("*.md"):
            match = _NAME.match(path.name)
            if match is None:
                raise ValueError(f"{path}: a page file is named NN-slug.md")
            title, summary, body = parse_page(path.read_text(encoding="utf-8"))
            pages.append(
                ShippedPage(audience, match["slug"], int(match["position"]), title, summary, body)
            )
    pages.sort(key=lambda p: (p.audience, p.position))
    return {(p.audience, p.slug): p for p in pages}
