"""Where an alert's answers are kept. An alert names its form only by source and id; the
capability that stored the form (the diary, the questionnaires) knows how to read it back, and
registers that here when Django starts. So alerts, below them, never imports them: a new
capability that raises alerts adds a source and registers its reader."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from backto.capabilities.alerts.models import SafetyAlert


@dataclass(frozen=True)
class AlertedForm:
    """The form an alert was raised from, as it is stored now."""

    instrument_id: str
    instrument_version: str
    answers: dict[str, Any]
    day: date  # the day the answers were for
    day_is_diary_day: bool = False  # the diary's own day, rather than the day of answering
    wording_revision: int | None = None  # the clinic's wording the answers were given with


FormReader = Callable[[SafetyAlert], AlertedForm | None]

_readers: dict[str, FormReader] = {}


def register_alert_source(source: str, reader: FormReader) -> None:
    """Called from the source capability's AppConfig.ready: `reader` returns the alert's form,
    or None when it is gone (or is not the alert's child's)."""
    _readers[source] = reader


def alerted_form(alert: SafetyAlert) -> AlertedForm | None:
    reader = _readers.get(alert.source)
    return None if reader is None else reader(alert)
