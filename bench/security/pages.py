"""What a person reads in an answer (a page's text, a PDF's, a zip's files) and what the crawl
keeps of each page: its forms and query strings, for the crash probe to send again."""

from __future__ import annotations

import io
import re
import threading
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

from bench.load import Session
from bench.security.client import Reply


class PageParser(HTMLParser):
    """A page's forms (method, action, enctype, fields) and the links that carry a query. A
    button's formaction is an address of its own the form also posts to (one POST view per
    action: the care team's "Make lead", the care plan's "Make this the plan", signing a note)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self._form is not None and tag in ("button", "input") and a.get("formaction"):
            self._form["formactions"].append(a["formaction"])
        if tag == "a" and "?" in a.get("href", ""):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "method": a.get("method", "get").lower(),
                "action": a.get("action", ""),
                "multipart": "multipart" in a.get("enctype", ""),
                "fields": [],
                "files": [],
                "formactions": [],
            }
            self.forms.append(self._form)
        elif tag == "option" and self._form is not None and self._select is not None:
            self._form["fields"].append((self._select, a.get("value", "")))
            self._select = None  # the first option: a value the form offers
        elif self._form is None or "name" not in a:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                self._form["files"].append(a["name"])
            elif kind not in ("checkbox", "radio") or "checked" in a:
                self._form["fields"].append((a["name"], a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                self._form["fields"].append((a["name"], a.get("value", "on")))
        elif tag == "button" and a.get("value"):
            self._form["fields"].append((a["name"], a["value"]))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "textarea":
            self._form["fields"].append((a["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def page_text(reply: Reply) -> str:
    """What a person reads in a reply: a page's text, a PDF's text, every file of a zip."""
    if reply.content_type.startswith("application/pdf"):
        import pypdfium2

        document = pypdfium2.PdfDocument(reply.body)
        text = " ".join(page.get_textpage().get_text_range() for page in document)
        return text + "\n" + re.sub(r"\s+", "", text)
    if reply.content_type.startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(reply.body)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return reply.body.decode("utf-8", "replace")


@dataclass
class Crawl:
    """What the privacy probe leaves for the crash probe: signed-in personas and what they saw."""

    sessions: dict[str, Session] = field(default_factory=dict)
    forms: dict[tuple, tuple[str, str, dict]] = field(default_factory=dict)
    links: dict[tuple, tuple[str, str]] = field(default_factory=dict)
    cat: dict = field(default_factory=dict)
    shapes: set[tuple[str, str]] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saw(self, username: str, path: str, reply: Reply) -> None:
        if reply.status != 200 or not reply.content_type.startswith("text/html"):
            return
        shape = (re.sub(r"\d+", "N", path), username.rstrip("0123456789"))
        with self.lock:
            if shape in self.shapes:
                return  # parsing is slow: each page once a kind of persona
            self.shapes.add(shape)
        parser = PageParser()
        parser.feed(reply.body.decode("utf-8", "replace"))
        with self.lock:
            for form in parser.forms:
                if form["method"] != "post":
                    continue
                names = tuple(sorted({n for n, _ in form["fields"]} | set(form["files"])))
                for address in [form["action"] or path, *form["formactions"]]:
                    action = urllib.parse.urljoin(path, address)
                    self.forms.setdefault(
                        (re.sub(r"\d+", "N", action), names), (username, action, form)
                    )
            for href in parser.links:
                target = urllib.parse.urljoin(path, href)
                parts = urllib.parse.urlsplit(target)
                if parts.netloc:
                    continue
                names = tuple(sorted(urllib.parse.parse_qs(parts.query, keep_blank_values=True)))
                self.links.setdefault((re.sub(r"\d+", "N", parts.path), names), (username, target))
