"""The discharge summary and the pages around a discharged episode count the program to the
discharge date, however long ago it was."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from backto.capabilities.careplan.queries import program_end
from backto.readers.progress.queries import Progress, episode_progress
from backto.readers.progress.reports import REPORTS, render_report, report_context
from tests.progress.test_reports import pdf_pages


def test_the_discharge_summary_counts_the_program_to_the_discharge_date(discharged):
    ended = discharged.discharge.discharged_on
    report = REPORTS["discharge"]
    context = report_context(report, discharged, today=timezone.localdate())
    assert context["progress"].length == (8, 0)
    assert context["period"][1] == ended  # the summary covers the program, not the months since
    _, pdf = render_report(report, context)
    text = " ".join(" ".join(text.split()) for _, text in pdf_pages(pdf))  # lines joined
    assert f"Discharged {ended:%-d %B %Y}" in text and "after 8 weeks in the program" in text
    assert "69 weeks" not in text and "70 weeks" not in text
    assert f"to {ended:%-d %B %Y}" in text  # the period in the header ends at the discharge


def test_a_program_length_reads_in_weeks_and_days():
    start = date(2025, 8, 12)
    for days, words in ((56, (8, 0)), (53, (7, 4)), (3, (0, 3)), (-2, (0, 0))):
        progress = Progress(episode=None, start=start, until=start + timedelta(days=400))  # type: ignore[arg-type]
        progress.ended_on = start + timedelta(days=days)
        assert progress.length == words


def test_the_progress_page_and_physician_letter_of_a_discharged_episode_stop_at_discharge(
    as_user, pat, discharged
):
    ended = discharged.discharge.discharged_on
    assert program_end(discharged) == ended
    progress = episode_progress(discharged, until=timezone.localdate())
    assert progress.weeks_in_program == 9  # discharged on the first day of week 9
    page = as_user(pat).get(reverse("progress", args=[discharged.pk])).content.decode()
    assert f"to {ended:%-d %B %Y} (8 weeks)" in page and "week 70" not in page
    report = REPORTS["physician"]
    html, _ = render_report(report, report_context(report, discharged))
    assert f"to {ended:%-d %B %Y} (8 weeks)" in html


def test_a_running_program_has_no_end(running):
    assert program_end(running) is None
    assert episode_progress(running, until=timezone.localdate()).ended_on is None
