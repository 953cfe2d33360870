"""Where an alert's answers are kept. An alert names its form only by source and id; the
capability that stored the form (the diary, the questionnaires, the messages) knows how to read it back, and
registers that here when Django starts. So alerts, below them, never imports them: a new
capability that raises alerts adds a source and registers its reader."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from backto.capabilities.alerts.models import SafetyAlert


@dataclass(frozen=True)
class AlertedForm:
    """The form an alert was raised from, as it is stored now. A message (messaging) has no
    instrument: its words, when it was written, whether its author has withdrawn it since, and
    the link to its conversation instead."""

    instrument_id: str
    instrument_version: str
    answers: dict[str, Any]
    day: date  # the day the answers were for
    day_is_diary_day: bool = False  # the diary's own day, rather than the day of answering
    wording_revision: int | None = None  # the clinic's wording the answers were given with
    words: str | None = None  # a message's words
    written_at: datetime | None = None  # when the message was sent
    withdrawn: bool = False  # the message was withdrawn by its author since
    link: str = ""  # the page the form is read on (a message's conversation)


FormReader = Callable[[SafetyAlert], AlertedForm | None]

_readers: dict[str, FormReader] = {}


def register_alert_source(source: str, reader: FormReader) -> None:
    """Called from the source capability's AppConfig.ready: `reader` returns the alert's form,
    or None when it is gone (or is not the alert's child's)."""
    _readers[source] = reader


def alerted_form(alert: SafetyAlert) -> AlertedForm | None:
    reader = _readers.get(alert.source)
    return None if reader is None else reader(alert)
