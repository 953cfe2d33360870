"""What the dashboards ask of the capabilities: each capability contributes its part of a page —
a notice on the clinician's home, a card on a child's overview, a signal on the caseload, an item
on the family's today — instead of the dashboards importing every capability's models.

A capability writes plain functions in its own `dashboard.py` and registers them here with the
decorators of `dashboards`; the dashboards reader (`backto.readers.dashboards`) collects the parts
and lays them out. So a new capability adds a card without editing the dashboards, and the access
rules below never import a capability. Every part is a frozen dataclass: a contribution says what
to show and where, and the dashboards never reach back into it.

The kernel knows no models: the pages carry the access layer's Patient, Episode and User as
`Any`, and a part's `data` is read only by its own capability's template.

Query counts: a source is called once per page with every child of the page (the caseload's and
the family's sources take the whole list), so it answers in a fixed number of queries, never one
per child.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal, TypeVar

T = TypeVar("T")

# Where on the child's overview a card goes: above the details (safety first), in the program's
# grid under the episode, or below it with the questionnaires.
OverviewSlot = Literal["alerts", "program", "results"]
OVERVIEW_SLOTS: tuple[OverviewSlot, ...] = ("alerts", "program", "results")
# Where in a child's section of the family's home: above everything (a help message), with the
# running program's buttons, or below the day's to-dos (`FamilyTodo`) with what else there is.
FamilySlot = Literal["alert", "program", "today"]
FAMILY_SLOTS: tuple[FamilySlot, ...] = ("alert", "program", "today")


@dataclass(frozen=True)
class HomeNotice:
    """A notice at the top of the clinician's home: `template` is rendered with `notice` bound to
    this object (its `data` for the template)."""

    order: int
    template: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OverviewCard:
    """A card on a child's overview page, rendered from `template` with `card` bound to it."""

    slot: OverviewSlot
    order: int
    template: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FamilyTodayItem:
    """An item in one child's section of the family's home, rendered from `template` with `item`
    bound to it (and `child`, `episode` and `user` in the page's context)."""

    slot: FamilySlot
    order: int
    template: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FamilyTodo:
    """One thing to do today in a child's to-do list on the family's home: a link, ticked once
    done. `detail` is a few words beside it ("2 of 5 done", "with Maya"); never a count of days
    missed. `order` places it among the other capabilities' (the diary first)."""

    order: int
    label: str
    url: str
    done: bool = False
    detail: str = ""


@dataclass(frozen=True)
class CaseloadFlag:
    """A flag the caseload can show and filter by; `order` places it among the others."""

    key: str
    label: str
    order: int


@dataclass(frozen=True)
class CaseloadChild:
    """One child on the caseload, as the sources are asked about it."""

    patient_id: int
    episode_id: int | None  # the latest episode
    active: bool  # the latest episode is in the program
    days_in_program: int | None


@dataclass(frozen=True)
class CaseloadSignal:
    """One capability's word on one child of the caseload. The table's columns are fixed (last
    diary, questionnaires, FDI), so are these fields; `flags` and `todo` are open to any
    capability."""

    flags: tuple[str, ...] = ()  # keys of registered CaseloadFlags
    todo: tuple[str, ...] = ()  # lines for "Needs doing"
    last_diary: date | None = None
    due: int = 0
    overdue: int = 0
    fdi: tuple[Decimal, ...] = ()  # the child's FDI: baseline, latest


@dataclass(frozen=True)
class ClinicianHome:
    """The clinician's home being drawn: who looks, and whether at the whole clinic."""

    viewer: Any  # accounts.User
    everyone: bool
    _reads: dict[Hashable, Any] = field(default_factory=dict, repr=False, compare=False)

    def once(self, read: Callable[..., T], *args: Hashable) -> T:
        """`read(*args)`, read once for the page however many parts ask (one query, not two)."""
        key = (read, *args)
        if key not in self._reads:
            self._reads[key] = read(*args)
        return self._reads[key]


@dataclass(frozen=True)
class OverviewPage:
    patient: Any  # patients.Patient, already checked for the viewer
    episode: Any | None  # patients.Episode: the latest
    viewer: Any  # accounts.User
    today: date


@dataclass(frozen=True)
class FamilyChild:
    patient: Any  # patients.Patient
    episode: Any | None  # patients.Episode: the latest


@dataclass(frozen=True)
class FamilyHome:
    request: Any  # the HttpRequest: a help message is shown once per session
    viewer: Any  # accounts.User
    children: Sequence[FamilyChild]
    today: date
    _reads: dict[Hashable, Any] = field(default_factory=dict, repr=False, compare=False)

    def once(self, read: Callable[..., T], *args: Hashable) -> T:
        """`read(*args)`, read once for the page however many parts ask (a capability's card
        and its to-dos share one query)."""
        key = (read, *args)
        if key not in self._reads:
            self._reads[key] = read(*args)
        return self._reads[key]

    @property
    def patient_ids(self) -> tuple[int, ...]:
        return tuple(c.patient.pk for c in self.children)


HomeSource = Callable[[ClinicianHome], Iterable[HomeNotice]]
OverviewSource = Callable[[OverviewPage], Iterable[OverviewCard]]
FamilySource = Callable[[FamilyHome], Mapping[int, Iterable[FamilyTodayItem]]]
TodoSource = Callable[[FamilyHome], Mapping[int, Iterable[FamilyTodo]]]
CaseloadSource = Callable[[Sequence[CaseloadChild], date, Any], Mapping[int, CaseloadSignal]]
Source = TypeVar("Source", bound=Callable[..., Any])


class Dashboards:
    """The registry: the decorators register a source (idempotently, by its dotted name, so a
    module imported twice registers once); the `*_for` methods call every source and sort the
    parts by slot and order."""

    def __init__(self) -> None:
        self._home: dict[str, HomeSource] = {}
        self._overview: dict[str, OverviewSource] = {}
        self._family: dict[str, FamilySource] = {}
        self._todos: dict[str, TodoSource] = {}
        self._caseload: dict[str, CaseloadSource] = {}
        self._flags: dict[str, CaseloadFlag] = {}

    @staticmethod
    def _name(source: Callable[..., Any]) -> str:
        return f"{source.__module__}.{source.__qualname__}"

    def home_notices(self, source: Source) -> Source:
        self._home[self._name(source)] = source
        return source

    def overview_cards(self, source: Source) -> Source:
        self._overview[self._name(source)] = source
        return source

    def family_today(self, source: Source) -> Source:
        self._family[self._name(source)] = source
        return source

    def family_todos(self, source: Source) -> Source:
        self._todos[self._name(source)] = source
        return source

    def caseload_signals(self, *flags: CaseloadFlag) -> Callable[[Source], Source]:
        """Register a caseload source with the flags it may raise. Two sources may raise the same
        flag (function falling: the questionnaires or the diary) if they declare it alike."""
        for flag in flags:
            if self._flags.setdefault(flag.key, flag) != flag:
                raise ValueError(f"caseload flag {flag.key!r} is declared twice, differently")

        def register(source: Source) -> Source:
            self._caseload[self._name(source)] = source
            return source

        return register

    def notices_for(self, page: ClinicianHome) -> list[HomeNotice]:
        notices = [n for source in self._home.values() for n in source(page)]
        return sorted(notices, key=lambda n: n.order)

    def cards_for(self, page: OverviewPage) -> dict[OverviewSlot, list[OverviewCard]]:
        cards = sorted(
            (c for source in self._overview.values() for c in source(page)), key=lambda c: c.order
        )
        return {slot: [c for c in cards if c.slot == slot] for slot in OVERVIEW_SLOTS}

    def family_items_for(
        self, page: FamilyHome
    ) -> dict[int, dict[FamilySlot, list[FamilyTodayItem]]]:
        found: dict[int, list[FamilyTodayItem]] = {c.patient.pk: [] for c in page.children}
        for source in self._family.values():
            for patient_id, items in source(page).items():
                found[patient_id].extend(items)
        return {
            patient_id: {
                slot: sorted((i for i in items if i.slot == slot), key=lambda i: i.order)
                for slot in FAMILY_SLOTS
            }
            for patient_id, items in found.items()
        }

    def todos_for(self, page: FamilyHome) -> dict[int, list[FamilyTodo]]:
        """Each child's to-dos for the viewer today, in order (a child with none: an empty
        list)."""
        found: dict[int, list[FamilyTodo]] = {c.patient.pk: [] for c in page.children}
        for source in self._todos.values():
            for patient_id, todos in source(page).items():
                found[patient_id].extend(todos)
        return {pid: sorted(todos, key=lambda t: t.order) for pid, todos in found.items()}

    def caseload_flags(self) -> dict[str, str]:
        """Flag key -> label, in the flags' order (the filter's choices)."""
        return {f.key: f.label for f in sorted(self._flags.values(), key=lambda f: f.order)}

    def flag_order(self, flags: Iterable[str]) -> list[str]:
        """The flags once each, in their declared order."""
        return sorted(set(flags), key=lambda key: self._flags[key].order)

    def signals_for(
        self, children: Sequence[CaseloadChild], today: date, viewer: Any
    ) -> dict[int, list[CaseloadSignal]]:
        found: dict[int, list[CaseloadSignal]] = {c.patient_id: [] for c in children}
        for source in self._caseload.values():
            for patient_id, signal in source(children, today, viewer).items():
                found[patient_id].append(signal)
        return found


dashboards = Dashboards()
