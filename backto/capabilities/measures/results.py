"""A score as an administration stores it: exact decimals as strings with everything needed to
trace it (the JSON `result`), and its total and band again as columns. Used by answering and by
rescoring, which must store a score the same way."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from backto.clinical.scoring import ScoreResult


def result_columns(record: Mapping[str, Any]) -> dict[str, Any]:
    """The stored result, and its total and band as columns (always set together)."""
    total = record.get("total")
    return {
        "result": dict(record),
        "score_total": None if total is None else Decimal(total),
        "score_band": record.get("band") or "",
    }


def result_record(result: ScoreResult) -> dict[str, Any]:
    """A score as stored: exact decimals as strings, and everything needed to trace it."""

    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "instrument_version": result.instrument_version,
        "total": text(result.total),
        "subscales": {name: text(value) for name, value in result.subscales.items()},
        "band": result.band,
        "prorated": result.prorated,
        "missing": result.missing,
        "notes": list(result.notes),
        "alerts": list(result.alerts),
        "urgent": list(result.urgent),
        "rule": result.rule,
    }
