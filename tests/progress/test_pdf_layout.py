"""The printed page: the clinic's paper size, no empty sections, no half-empty pages before a
table, table headers repeated across pages, the clinic's contact details on every report and a
signature block at the end of every letter. Checked on real PDFs, rendered with pypdfium2."""

import re
from datetime import timedelta

import pypdfium2
import pytest
from django.urls import reverse

from backto.access.accounts.models import Clinic
from backto.access.patients.actions import episode_transition
from backto.access.patients.models import EpisodeTransition
from backto.capabilities.careplan.actions import episode_discharge
from backto.capabilities.schoolplan.actions import school_plan_approve, school_plan_save
from backto.capabilities.schoolplan.queries import wording_token
from backto.readers.progress.reports import REPORTS, page_size, render_report, report_context
from tests.conftest import TODAY
from tests.progress.conftest import child_diary

MM = 72 / 25.4  # points in a millimetre
BOTTOM_MARGIN = 20 * MM  # base.html's @page margin


def read(pdf: bytes) -> list[tuple[tuple[float, float], str, float]]:
    """Each page's size in points, its text (whitespace as single spaces) and how far down its
    body the ink reaches (0 to 1; the page-number footer in the margin left out)."""
    document = pypdfium2.PdfDocument(pdf)
    pages = []
    for page in document:
        width, height = page.get_size()
        image = page.render(scale=1).to_pil().convert("L")
        body = int(height - BOTTOM_MARGIN)
        inked = [
            y for y in range(body) if image.crop((0, y, image.width, y + 1)).getextrema()[0] < 128
        ]
        text = " ".join(page.get_textpage().get_text_range().split())
        pages.append(((round(width), round(height)), text, max(inked, default=0) / body))
    document.close()
    return pages


def pdf_of(kind: str, episode, **kwargs) -> tuple[str, list]:
    html, pdf = render_report(REPORTS[kind], report_context(REPORTS[kind], episode, **kwargs))
    return html, read(pdf)


@pytest.mark.parametrize(("paper", "size"), [("letter", (612, 792)), ("a4", (595, 842))])
def test_the_paper_size_follows_the_clinic(running, paper, size):
    Clinic.objects.filter(pk=running.patient.clinic_id).update(paper_size=paper)
    running.patient.clinic.refresh_from_db()
    _, pages = pdf_of("family", running)
    assert {page_size for page_size, _, _ in pages} == {size}


def test_a_clinic_without_a_paper_size_prints_on_its_time_zones_paper():
    assert page_size(Clinic(paper_size="", time_zone="America/Chicago")) == "letter"
    assert page_size(Clinic(paper_size="", time_zone="Europe/Stockholm")) == "A4"
    assert page_size(Clinic(paper_size="a4", time_zone="America/Chicago")) == "A4"


def test_a_report_leaves_out_what_it_has_nothing_to_show(episode, pat):
    """A program with nothing recorded yet: no goals, wins, diary, intake, sessions or
    questionnaires. No heading or table is printed for them."""
    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    episode_discharge(
        by=pat, episode=episode, discharged_on=TODAY, reason="other", summary="Moved."
    )
    episode.refresh_from_db()
    for kind in ("family", "physician", "discharge"):
        html, pages = pdf_of(kind, episode)
        text = " ".join(t for _, t, _ in pages)
        assert "<table" not in html, kind
        headings = re.findall(r"<h2>(.*?)</h2>", html)
        assert headings == (["Follow-up"] if kind == "discharge" else []), kind
        for empty in ("No intake", "No questionnaire", "None set", "No goals", "0 sessions"):
            assert empty not in text, (kind, empty)


@pytest.fixture
def long_program(running, pat, goal):
    """Maya's program, 28 weeks of daily diary and a completed FDI: charts with long tables."""
    from backto.capabilities.measures.actions import administration_answer, mark_due
    from backto.capabilities.measures.models import Administration

    mark_due(TODAY)
    fdi = Administration.objects.get(
        episode=running, instrument_id="fdi-child", timepoint="baseline"
    )
    answers = {str(n): 2 for n in range(1, 16)}
    administration_answer(by=pat, administration=fdi, answers=answers, finish=True)
    transition = EpisodeTransition.objects.get(episode=running, target="active")
    earlier = transition.at - timedelta(weeks=20)
    EpisodeTransition.objects.filter(pk=transition.pk).update(at=earlier)
    child_diary(
        running.patient,
        running.patient.teen_account,
        earlier.date(),
        20 * 7,
        activity=lambda n: 1 + (n // 30) % 3,
        pain=lambda n: 8,
    )
    return running


def test_a_long_report_fills_its_pages_and_repeats_table_headers(long_program):
    for kind in ("family", "physician"):
        _, pages = pdf_of(kind, long_program)
        assert len(pages) >= 2, kind
        for number, (_, _text, reach) in enumerate(pages[:-1], start=1):
            # A section that did not fit used to start on a new page, leaving this one half
            # empty; now only the bottom margin and at most a row or a heading stay blank.
            assert reach > 0.9, (kind, number, reach)
        for _, text, _ in pages[1:]:
            assert not re.match(r"\d{4}-\d{2}-\d{2} ", text), text[:80]  # a row, no header
        assert any(text.startswith("Week of") for _, text, _ in pages[1:]), kind


@pytest.fixture
def every_report(running, pat, gina, goal):
    """Maya's program with every report ready: an approved school plan and a discharge."""
    plan = school_plan_save(
        by=pat, episode=running, attendance_plan="Mornings.", accommodations="", share_goals=True
    )
    school_plan_approve(by=gina, plan=plan, shown=wording_token(plan))
    episode_discharge(
        by=pat, episode=running, discharged_on=TODAY, reason="goals_met", summary="Ok."
    )
    running.refresh_from_db()
    return running


def test_every_report_carries_the_clinics_contact_details_and_letters_end_signed(every_report, pat):
    clinic = every_report.patient.clinic
    clinic.phone = "(555) 010-0100"
    clinic.address = "1 Lake Road\n  Suite 4\nLakeside, MN 55001\n"
    clinic.crisis_line = "988 Suicide & Crisis Lifeline"
    clinic.hours = ""  # not filled in: not printed
    clinic.save()
    pat.credentials = "PT, DPT"
    pat.save()
    for kind in REPORTS:
        html, pages = pdf_of(kind, every_report)
        first = pages[0][1]
        assert "Phone: (555) 010-0100" in first, kind
        assert "Address: 1 Lake Road, Suite 4, Lakeside, MN 55001" in first, kind
        assert "Out of hours or in a crisis: 988 Suicide & Crisis Lifeline" in first, kind
        assert "Phone answered" not in first, kind
        body = html.split('<div class="sources">')[0]
        if kind == "family":
            assert 'class="signature"' not in body  # a report, not a letter
            continue
        ending = body[body.rindex('<div class="signature">') :]
        assert "Pat PT, PT, DPT" in ending and clinic.name in ending, kind
        assert not re.search(r"<(h2|h3|table|ul)", ending), kind  # nothing after the signature
        text = " ".join(t for _, t, _ in pages)
        assert f"Pat PT, PT, DPT {clinic.name}" in text, kind


def test_a_letter_is_signed_by_the_clinician_who_prints_it(as_user, cora, running):
    cora.credentials = "MSW"
    cora.save()
    response = as_user(cora).get(reverse("report_pdf", args=[running.pk, "physician"]))
    text = " ".join(t for _, t, _ in read(response.content))
    assert "With kind regards, Cora Coordinator, MSW Lakeside Pain Program" in text


def test_a_long_charts_table_keeps_its_latest_rows():
    from django.template.loader import render_to_string

    chart = {
        "title": "Activity",
        "svg": "",
        "columns": ["Week of", "Minutes"],
        "rows": [[f"week-{n}", n] for n in range(1, 41)],
    }
    html = render_to_string("progress/reports/_chart.html", {"chart": chart})
    assert "week-40<" in html and "week-11<" in html and "week-10<" not in html
    assert "latest 30 rows" in html
