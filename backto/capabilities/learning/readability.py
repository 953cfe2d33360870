"""How hard a learning page is to read, as a US school grade.

English pages are measured with the Flesch–Kincaid grade (textstat, English). Spanish pages are
measured with Fernández Huerta's reading ease (textstat's `fernandez_huerta`, language "es"),

    ease = 206.84 − 60 × (syllables per word) − 1.02 × (words per sentence),

and the ease is turned into a grade with the published interpretation table of the formula
(Fernández Huerta, J. (1959), "Medidas sencillas de lecturabilidad", Consigna 214: 29–32; the
table as given by legible.es, "Lecturabilidad Fernández Huerta",
https://legible.es/blog/lecturabilidad-fernandez-huerta/):

    ease      reading        school grade
    90–100    very easy      4th grade
    80–90     easy           5th grade
    70–80     fairly easy    6th grade
    60–70     normal         7th–8th grade
    50–60     fairly hard    pre-university (end of secondary school: grade 12)
    30–50     hard           university (grade 16)
    0–30      very hard      university graduate (grade 18)

Each band's grade is read at its lower edge (the hardest text in the band) and the grade runs
in a straight line between edges: ease 90 is grade 4.0, 80 is 5.0, 70 is 6.0, 60 is 8.0, 50 is
12.0, 30 is 16.0, 0 is 18.0; above 90 one grade less for every ten points, never below 0.
So the same targets hold in both languages, and mean what the table says: a kids' page within
grade 4 has an ease of 90 or more, a parents' page within grade 8 an ease of 60 or more.

Pages are Markdown. Headings, paragraphs and list items are each read as their own sentence:
a list item without a full stop is still a separate thought for a reader, and counting it as
part of the next sentence would make every list look like one long sentence.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any

from markdown_it import MarkdownIt

KIDS_MAX_GRADE = 4.0
PARENTS_MAX_GRADE = 8.0
MAX_GRADE = {"kids": KIDS_MAX_GRADE, "parents": PARENTS_MAX_GRADE}

# Fernández Huerta's table as (ease, grade) at each band's lower edge, easiest first.
EASE_TO_GRADE = [
    (90.0, 4.0),
    (80.0, 5.0),
    (70.0, 6.0),
    (60.0, 8.0),
    (50.0, 12.0),
    (30.0, 16.0),
    (0.0, 18.0),
]
# The formula each language is measured with, for the admin to name.
FORMULAS = {"en": "Flesch–Kincaid", "es": "Fernández Huerta"}

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


@functools.cache
def _spanish() -> Any:
    """textstat's measures with the language set to Spanish: an instance of its own, so the
    module-level English one that `flesch_kincaid_grade` uses is never switched."""
    from textstat.textstat import textstatistics

    measures = textstatistics()
    measures.set_lang("es")
    return measures


def fernandez_huerta(text: str) -> float:
    """Fernández Huerta's reading ease of Spanish text (higher is easier)."""
    return float(_spanish().fernandez_huerta(text))


def grade_from_ease(ease: float) -> float:
    """A Fernández Huerta reading ease as a US school grade, by the table above."""
    top_ease, top_grade = EASE_TO_GRADE[0]
    if ease >= top_ease:
        return max(0.0, top_grade - (ease - top_ease) / 10)
    for (upper, easier), (lower, harder) in itertools.pairwise(EASE_TO_GRADE):
        if ease >= lower:
            return easier + (harder - easier) * (upper - ease) / (upper - lower)
    return EASE_TO_GRADE[-1][1]


@functools.lru_cache(maxsize=512)
def reading_grade(markdown: str, language: str = "en") -> float:
    """The page's reading grade: Flesch–Kincaid for English, Fernández Huerta's ease as a grade
    for Spanish."""
    text = plain_text(markdown)
    if not text:
        return 0.0
    if language == "es":
        return grade_from_ease(fernandez_huerta(text))
    import textstat  # loads a pronunciation dictionary: only when a grade is asked for

    return float(textstat.flesch_kincaid_grade(text))
