"""Loading instrument files, and the registry of instruments by id and version.

`instrument_registry()` holds the instruments shipped in `instrument_files/`, each validated when
loaded; a malformed file fails with an `InstrumentFileError` naming the file, the field and what is
allowed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from backto.clinical.instruments import Instrument

SHIPPED_INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instrument_files"


class InstrumentFileError(ValueError):
    """A malformed instrument file: the message names the file, the field and what is allowed."""


class UnknownInstrumentError(LookupError):
    """No instrument with this id (and version); the message lists the known ones."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown instrument"


def _describe_location(location: Sequence[int | str], raw: object) -> str:
    parts: list[str] = []
    node: object = raw
    for step in location:
        if isinstance(step, int):
            parts.append(f"[{step}]")
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("linkId"), str):
                parts.append(f" (linkId {node['linkId']!r})")
        else:
            if isinstance(node, dict):
                node = node.get(step)
            elif step in {"int", "float"} or "[" in step:
                continue  # pydantic's name for a union member, not a field
            else:
                node = None
            parts.append(f".{step}" if parts else step)
    return "".join(parts) or "(top level)"


def instrument_from_data(data: object, *, source: str) -> Instrument:
    """Validate parsed JSON as an instrument; `source` names the file in error messages."""
    try:
        return Instrument.model_validate(data)
    except ValidationError as error:
        raise InstrumentFileError(format_validation_error(error, data, source=source)) from None


def format_validation_error(error: ValidationError, data: object, *, source: str) -> str:
    allowed_fields = ", ".join(Instrument.model_fields)
    lines = []
    for problem in error.errors():
        where = _describe_location(problem["loc"], data)
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            message += (
                f" (allowed at the top level: {allowed_fields})" if len(problem["loc"]) == 1 else ""
            )
        lines.append(f"{source}: field {where}: {message}")
    return "\n".join(lines)


def load_instrument(path: str | Path) -> Instrument:
    """Read and validate one instrument file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InstrumentFileError(
            f"{path.name}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InstrumentFileError(f"{path}: cannot be read: {error}") from None
    return instrument_from_data(data, source=path.name)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


class InstrumentRegistry:
    """Instruments by id and version; iteration yields the newest version of each, by id."""

    def __init__(self, instruments: Iterable[Instrument]) -> None:
        self._by_key: dict[tuple[str, str], Instrument] = {}
        self._latest: dict[str, Instrument] = {}
        for instrument in instruments:
            if instrument.key in self._by_key:
                raise InstrumentFileError(
                    f"instrument {instrument.id} version {instrument.version} is defined twice"
                )
            self._by_key[instrument.key] = instrument
            current = self._latest.get(instrument.id)
            if current is None or _version_key(instrument.version) > _version_key(current.version):
                self._latest[instrument.id] = instrument

    def __iter__(self) -> Iterator[Instrument]:
        return iter(sorted(self._latest.values(), key=lambda instrument: instrument.id))

    def __len__(self) -> int:
        return len(self._latest)

    def __contains__(self, instrument_id: object) -> bool:
        return instrument_id in self._latest

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._latest))

    def all_versions(self) -> list[Instrument]:
        return sorted(self._by_key.values(), key=lambda i: (i.id, _version_key(i.version)))

    def find(self, instrument_id: str, version: str | None = None) -> Instrument | None:
        if version is None:
            return self._latest.get(instrument_id)
        return self._by_key.get((instrument_id, version))

    def get(self, instrument_id: str, version: str | None = None) -> Instrument:
        instrument = self.find(instrument_id, version)
        if instrument is not None:
            return instrument
        if instrument_id in self._latest:
            versions = sorted(
                (key[1] for key in self._by_key if key[0] == instrument_id), key=_version_key
            )
            raise UnknownInstrumentError(
                f"instrument {instrument_id!r} has no version {version!r}; "
                f"versions: {', '.join(versions)}"
            )
        raise UnknownInstrumentError(
            f"unknown instrument {instrument_id!r}; known instruments: {', '.join(self.ids)}"
        )


def load_instruments(directory: str | Path) -> InstrumentRegistry:
    """Load and validate every `*.json` instrument file in `directory`."""
    return InstrumentRegistry(
        load_instrument(path) for path in sorted(Path(directory).glob("*.json"))
    )


@lru_cache(maxsize=1)
def instrument_registry() -> InstrumentRegistry:
    """The instruments shipped with BackTo (loaded once per process)."""
    return load_instruments(SHIPPED_INSTRUMENTS_DIR)
