"""docs/instruments.md stays honest: every shipped instrument and version is documented."""

from pathlib import Path

import pytest

from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Instrument
from backto.clinical.scoring import ENGINE_VERSION

DOC = Path(__file__).resolve().parents[2] / "docs" / "instruments.md"


@pytest.mark.parametrize("instrument", list(instrument_registry()), ids=lambda i: i.id)
def test_every_instrument_has_a_row_in_the_docs(instrument: Instrument) -> None:
    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    key = f"| `{instrument.id}` | {instrument.version} |"
    assert any(row.startswith(key) for row in rows), f"document {key} in docs/instruments.md"


def test_the_docs_name_the_engine_version() -> None:
    assert f"Scoring engine version: **{ENGINE_VERSION}**" in DOC.read_text(encoding="utf-8")
