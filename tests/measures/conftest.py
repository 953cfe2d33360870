import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from backto.access.patients.models import Episode
from backto.capabilities.measures.models import Administration
from backto.clinical import instrument_registry as registry_module


def baseline(episode: Episode, instrument_id: str) -> Administration:
    return Administration.objects.get(
        episode=episode, instrument_id=instrument_id, timepoint="baseline"
    )


@pytest.fixture
def instrument_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., None]]:
    """A private copy of the instrument files: add_version(id, version, change) writes a new
    version of a shipped instrument; remove(id) takes one out. The registry reloads from it."""
    directory = tmp_path / "instruments"
    shutil.copytree(registry_module.SHIPPED_INSTRUMENTS_DIR, directory)
    monkeypatch.setattr(registry_module, "SHIPPED_INSTRUMENTS_DIR", directory)
    registry_module.instrument_registry.cache_clear()

    def add_version(
        instrument_id: str, version: str, change: Callable[[dict[str, Any]], None]
    ) -> None:
        data = json.loads((directory / f"{instrument_id}.json").read_text())
        data["version"] = version
        change(data)
        (directory / f"{instrument_id}-{version}.json").write_text(json.dumps(data))
        registry_module.instrument_registry.cache_clear()

    def remove(instrument_id: str) -> None:
        for path in directory.glob(f"{instrument_id}*.json"):
            path.unlink()
        registry_module.instrument_registry.cache_clear()

    add_version.remove = remove  # type: ignore[attr-defined]
    yield add_version
    registry_module.instrument_registry.cache_clear()
