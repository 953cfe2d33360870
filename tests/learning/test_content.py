"""The pages BackTo ships: complete, readable at their readers' grade, and never a diagnosis."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from backto.capabilities.learning.content import AUDIENCES, parse_page, shipped_pages
from backto.capabilities.learning.queries import render_markdown
from backto.capabilities.learning.readability import MAX_GRADE, plain_text, reading_grade

PAGES = list(shipped_pages().values())
TOPICS = {
    "what-is-amps",
    "pain-cycle",
    "signs",
    "treatment",
    "goals-and-wins",
    "a-day-in-the-program",
    "i-can-do-hard-things",
}


def test_every_topic_has_a_parents_page_and_a_kids_page() -> None:
    for audience in AUDIENCES:
        assert {p.slug for p in PAGES if p.audience == audience} == TOPICS


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.audience}/{p.slug}")
def test_each_page_reads_at_or_below_its_readers_grade(page) -> None:
    grade = reading_grade(page.body)
    assert grade <= MAX_GRADE[page.audience], f"grade {grade:.1f}"
    assert page.title and page.summary and len(page.body) > 300


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.audience}/{p.slug}")
def test_no_page_tells_a_reader_they_have_a_diagnosis(page) -> None:
    text = " ".join([page.title, page.summary, plain_text(page.body)]).lower()
    pattern = r"\b(you|your child|they|he|she)\s+(has|have|had)\s+(amps|crps|fibromyalgia)\b"
    assert not re.search(pattern, text)
    assert "your amps" not in text


def test_the_pain_cycle_pages_lead_to_the_explainer() -> None:
    for audience in AUDIENCES:
        assert "(/learn/explainer/)" in shipped_pages()[(audience, "pain-cycle")].body


def test_the_signs_pages_say_they_are_no_test_and_put_warning_signs_first() -> None:
    for audience in AUDIENCES:
        body = shipped_pages()[(audience, "signs")].body.lower()
        assert "fever" in body
        assert "fever" in body[: len(body) // 2]


def test_a_page_file_needs_its_title_line() -> None:
    assert parse_page("# Title\n\nSummary line\ngoes on.\n\n## Part\n\nText.") == (
        "Title",
        "Summary line goes on.",
        "## Part\n\nText.",
    )
    with pytest.raises(ValueError, match="title"):
        parse_page("No title here")


def test_reading_grade_counts_list_items_and_headings_as_sentences() -> None:
    assert plain_text("## Move\n\n- walk\n- swim!\n\nThen *rest* a\nlittle.") == (
        "Move. walk. swim! Then rest a little."
    )
    assert reading_grade("The cat sat. The dog ran.") < 2
    assert (
        reading_grade(
            "Notwithstanding considerable interdisciplinary deliberation, "
            "rehabilitation necessitates individualized multidisciplinary "
            "intervention."
        )
        > 12
    )


def test_markdown_from_the_admin_cannot_carry_script() -> None:
    html = render_markdown("<script>alert(1)</script>\n\n[x](javascript:alert(1)) **ok**")
    assert "<script>" not in html
    assert 'href="javascript' not in html
    assert "<strong>ok</strong>" in html


class _Paragraphs(HTMLParser):
    """The running text of a rendered page's <main>: its paragraphs, one or more sentences each.
    Headings, tabs and link titles are left out: read as two-word sentences they would flatter
    the grade of a page that is mostly a list."""

    def __init__(self) -> None:
        super().__init__()
        self.main = self.para = 0
        self.words: list[str] = []
        self.sentences: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.main += tag == "main"
        self.para += tag == "p" and self.main > 0

    def handle_endtag(self, tag):
        if tag == "p" and self.para:
            self.para -= 1
            words = " ".join(" ".join(self.words).split())
            if words:
                self.sentences.append(words if words.endswith((".", "!", "?")) else words + ".")
            self.words = []
        self.main -= tag == "main"

    def handle_data(self, data):
        if self.para:
            self.words.append(data)


def running_text(html: str) -> str:
    parser = _Paragraphs()
    parser.feed(html)
    return " ".join(parser.sentences)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_each_index_page_reads_at_or_below_its_readers_grade(as_user, gina, audience) -> None:
    """The list of pages is held to the grade of the pages it lists: its introduction, the
    explainer's card and every page's summary."""
    import textstat

    html = as_user(gina).get(reverse("learning_index"), {"for": audience}).content.decode()
    text = running_text(html)
    summary = shipped_pages()[(audience, "pain-cycle")].summary
    assert summary in text  # the summaries are read with the rest
    grade = float(textstat.flesch_kincaid_grade(text))
    assert grade <= MAX_GRADE[audience], f"grade {grade:.1f}: {text}"
