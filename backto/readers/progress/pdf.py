"""HTML to PDF with WeasyPrint. Imported only when a report is printed: WeasyPrint and Pango
take most of a second to load, which no other request should pay.

What does not change from one report to the next is made once and kept: the reports'
stylesheet (report.css, parsed once per process) and the font configuration (one per thread:
loading Fontconfig's fonts and a fresh Pango font map for every report cost about a sixth of
the report). bench/bench_report.py measures it (issue 24)."""

import contextlib
import gc
import mimetypes
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

STYLESHEET = Path(__file__).parent / "templates" / "progress" / "reports" / "report.css"


class MediaOnlyFetcher(URLFetcher):
    """WeasyPrint may read files from the media folder (the clinic's logo) and nothing else: no
    network, no other file."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parsed = urlparse(url)
        media = Path(settings.MEDIA_ROOT).resolve()
        path = Path(unquote(parsed.path)).resolve()
        if parsed.scheme != "file" or media not in path.parents or not path.is_file():
            raise ValueError(f"reports may not load {url}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})


@cache
def report_stylesheet() -> CSS:
    """The stylesheet of every report, parsed once per process. (It is read-only once parsed,
    so the threads of a server share it; it loads nothing, so it needs no fetcher.)"""
    return CSS(string=STYLESHEET.read_text(encoding="utf-8"))


_thread = threading.local()


def font_config() -> FontConfiguration:
    """This thread's font configuration, kept from one report to the next: its Pango font map
    keeps the fonts it has loaded. One per thread, because a Pango font map may not be used by
    two threads at once. The reports declare no @font-face, so nothing accumulates in it."""
    config = getattr(_thread, "font_config", None)
    if config is None:
        config = _thread.font_config = FontConfiguration()
    return config


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while WeasyPrint builds its tens of thousands of short-lived
    boxes (they are freed by reference counting as usual); the collector runs again after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def html_to_pdf(html: str) -> bytes:
    """The report's PDF: its HTML (with the @page rule of its paper size and language) and the
    shared stylesheet."""
    document = HTML(string=html, url_fetcher=MediaOnlyFetcher())
    with collector_paused():
        pdf = document.write_pdf(stylesheets=[report_stylesheet()], font_config=font_config())
    assert pdf is not None
    return pdf
