"""How hard a learning page is to read, as a US school grade (Flesch–Kincaid).

Pages are Markdown. Headings, paragraphs and list items are each read as their own sentence:
a list item without a full stop is still a separate thought for a reader, and counting it as
part of the next sentence would make every list look like one long sentence.
"""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt

KIDS_MAX_GRADE = 4.0
PARENTS_MAX_GRADE = 8.0
MAX_GRADE = {"kids": KIDS_MAX_GRADE, "parents": PARENTS_MAX_GRADE}

_parser = MarkdownIt("commonmark")
_ENDINGS = (".", "!", "?", ":", ";")


def plain_text(markdown: str) -> str:
    """The page's words with one sentence end after each heading, paragraph and list item."""
    sentences = []
    for token in _parser.parse(markdown):
        if token.type != "inline":
            continue
        words = "".join(
            " " if child.type in ("softbreak", "hardbreak") else child.content
            for child in token.children or ()
            if child.type in ("text", "code_inline", "softbreak", "hardbreak")
        ).strip()
        if words:
            sentences.append(words if words.endswith(_ENDINGS) else words + ".")
    return " ".join(sentences)


@functools.lru_cache(maxsize=512)
def reading_grade(markdown: str) -> float:
    """Flesch–Kincaid grade level of the page's text (textstat, English)."""
    import textstat  # loads a pronunciation dictionary: only when a grade is asked for

    text = plain_text(markdown)
    return float(textstat.flesch_kincaid_grade(text)) if text else 0.0
