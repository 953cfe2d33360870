"""HTML to PDF with WeasyPrint. Imported only when a report is printed: WeasyPrint and Pango
take most of a second to load, which no other request should pay."""

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


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


def html_to_pdf(html: str) -> bytes:
    pdf = HTML(string=html, url_fetcher=MediaOnlyFetcher()).write_pdf()
    assert pdf is not None
    return pdf
