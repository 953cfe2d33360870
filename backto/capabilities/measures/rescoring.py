"""Scoring stored answers again with the current engine, for `backto rescore`: a comparison of
the stored result with a new one. Nothing is written here (`administration_rescore_apply` in
actions.py stores a new result)."""

from dataclasses import dataclass
from typing import Any

from backto.capabilities.measures.models import Administration
from backto.capabilities.measures.results import result_record
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.scoring import score


@dataclass(frozen=True)
class Rescored:
    administration_id: int
    instrument_id: str
    before: dict[str, Any]
    after: dict[str, Any]

    @property
    def differences(self) -> list[str]:
        keys = ("instrument_version", "total", "subscales", "band", "prorated", "missing")
        return [
            f"{key}: {self.before.get(key)!r} -> {self.after.get(key)!r}"
            for key in keys
            if self.before.get(key) != self.after.get(key)
        ]


def rescore(administration: Administration, *, latest: bool = False) -> tuple[Rescored, str] | None:
    """Score stored answers again with the current engine: on the version they were last scored
    with, or with `latest` on the newest version of the instrument. Returns the comparison and the
    engine version, or None when the version is gone (reported by the command)."""
    registry = instrument_registry()
    scored_with = (
        administration.result.get("instrument_version") or administration.instrument_version
    )
    instrument = registry.find(administration.instrument_id, None if latest else scored_with)
    if instrument is None:
        return None
    result = score(instrument, administration.answers)
    after = (
        {"errors": list(result.errors), "instrument_version": instrument.version}
        if result.errors
        else result_record(result)
    )
    return (
        Rescored(administration.pk, administration.instrument_id, administration.result, after),
        result.engine_version,
    )
