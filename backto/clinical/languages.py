"""Language codes, without Django: "es-MX", "es_mx" and "es" are the same language to BackTo's
words (Latin American Spanish is its one Spanish)."""

from __future__ import annotations

DEFAULT_LANGUAGE = "en"


def base_language(language: str | None) -> str:
    """ "es-MX" and "es_mx" -> "es"; empty -> "en"."""
    return (language or DEFAULT_LANGUAGE).replace("_", "-").split("-")[0].lower()
