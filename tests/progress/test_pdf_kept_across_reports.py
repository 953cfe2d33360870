"""What html_to_pdf keeps from one report to the next (issue 24): the reports' stylesheet,
parsed once per process, and a font configuration per thread. The printed page is the same."""

import gc
import threading

import pypdfium2
import pypdfium2.raw as pdfium_c

from backto.readers.progress import pdf
from backto.readers.progress.reports import REPORTS, render_report, report_context


def font_sizes(document: bytes, text: str) -> set[float]:
    """The font sizes, in points, of the characters of `text` on the PDF's first page. (PDFium
    reads them in WeasyPrint's CSS pixels, 3/4 of a point.)"""
    page = pypdfium2.PdfDocument(document)[0]
    textpage = page.get_textpage()
    whole = textpage.get_text_range()
    start = whole.index(text)
    return {
        round(pdfium_c.FPDFText_GetFontSize(textpage.raw, i) * 0.75, 1)
        for i in range(start, start + len(text))
        if not whole[i].isspace()
    }


def test_the_stylesheet_is_parsed_once_for_every_report(running):
    pdf.report_stylesheet.cache_clear()
    for kind in ("family", "physician", "family"):
        render_report(REPORTS[kind], report_context(REPORTS[kind], running))
    info = pdf.report_stylesheet.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_the_report_is_styled_by_the_shared_stylesheet(running):
    report = REPORTS["family"]
    html, document = render_report(report, report_context(report, running))
    # The HTML holds only the @page rule (paper size, footer); the rest comes from report.css.
    assert "@page { size: letter;" in html
    assert "h1 {" not in html and "h1 {" in pdf.STYLESHEET.read_text()
    assert font_sizes(document, "How Maya is doing") == {16.0}  # h1
    assert font_sizes(document, "Function usually comes back first.") == {10.0}  # body


def test_the_font_configuration_is_kept_per_thread():
    mine = pdf.font_config()
    assert pdf.font_config() is mine
    other = []
    thread = threading.Thread(target=lambda: other.append(pdf.font_config()))
    thread.start()
    thread.join()
    assert other[0] is not mine


def test_the_cycle_collector_runs_again_after_a_report():
    assert gc.isenabled()
    pdf.html_to_pdf("<!doctype html><html lang='en'><title>t</title><p>One line.</p></html>")
    assert gc.isenabled()
    gc.disable()
    try:  # a collector someone else turned off stays off
        pdf.html_to_pdf("<!doctype html><html lang='en'><title>t</title><p>One line.</p></html>")
        assert not gc.isenabled()
    finally:
        gc.enable()
