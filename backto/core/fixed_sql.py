"""Queries whose SQL Django works out once per shape, then runs again with each call's values.

Building a queryset with a subquery or two and compiling it to SQL costs Django about a
millisecond, several times what PostgreSQL takes to answer it; the caseload, the family home and
the progress page ask a score of such queries on every request, always the same SQL with other
ids and dates in it. `fixed_query` turns a function that builds a queryset into one that has it
compiled once per *shape* and afterwards only puts in the values:

    @fixed_query
    def _waiting(everyone: bool, *, user_id: int, patient_ids: list[int]) -> QuerySet[Any]:
        return Message.objects.filter(...).values_list(...)

    rows = _waiting(everyone, user_id=user.pk, patient_ids=ids)

- Positional arguments are the shape: whatever changes the SQL itself (a flag, a role's reach).
  They must be hashable, and the builder must read nothing else that could change its SQL.
- Keyword arguments are the values: ints, strings, dates, aware datetimes, and lists of ints or
  of strings (for `__in`). They must reach the query as they are: a value worked out from one
  (the day 28 days before `today`) is a value of its own.
- The builder returns a queryset; the call returns its results as a list, made by Django's own
  iterables from the rows (records, select_related and all, or values).

The SQL is kept for each shape in each time zone: Django writes the current one into a query
that takes the date of a datetime. The first call for a shape builds the queryset twice, with two
sets of stand-in values, and compares the SQL: the same text, and the stand-ins where the values
go. Anything else (a value worked out from one, SQL that changes with a value) is refused there
and then. With FIXED_SQL_CHECK (the tests, development) every call also builds the queryset with
its real values and checks that Django compiles exactly the SQL and parameters about to run. An
empty list, or a queryset given as a value (a subquery), runs the queryset as Django builds it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections
from django.db.models import ManyToOneRel, Model, QuerySet
from django.utils import timezone

T = TypeVar("T")

# Stand-ins: far from any real value, and within a 32-bit column's range (Django refuses a lookup
# beyond a column's range before it writes any SQL).
_INT_BASE = 1_900_000_000
_DAY_BASE = date(2900, 1, 1)
_MOMENT_BASE = datetime(2900, 1, 1, tzinfo=UTC)
_PLACEHOLDER = re.compile(r"(%%|%s)")


def _kind(name: str, value: Any) -> str:
    if isinstance(value, bool):
        raise TypeError(f"{name}: a flag changes the SQL; pass it in the shape, not as a value")
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "str"
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise TypeError(f"{name}: a naive datetime; pass an aware one")
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, list | tuple | set | frozenset):
        if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return "int[]"
        if all(isinstance(v, str) for v in value):
            return "str[]"
    raise TypeError(
        f"{name}: {type(value).__name__} is not a value a fixed query takes "
        "(int, str, date, aware datetime, or a list of ints or of strings)"
    )


def _django_builds(value: Any) -> bool:
    """A value Django writes its own way, which the query then runs as Django builds it: an
    empty list (an empty `IN` is no SQL at all) or a queryset (a subquery)."""
    return isinstance(value, QuerySet) or (
        isinstance(value, list | tuple | set | frozenset) and not value
    )


def _stand_in(kind: str, index: int, variant: int) -> Any:
    n = 2 * index + variant
    if kind == "int":
        return _INT_BASE + n
    if kind == "str":
        return f"\ue000stand-in {n}"
    if kind == "date":
        return _DAY_BASE + timedelta(days=n)
    if kind == "datetime":
        return _MOMENT_BASE + timedelta(minutes=n)
    return [_stand_in(kind.removesuffix("[]"), index, variant)]


def _segments(sql: str) -> list[str]:
    """The SQL around its placeholders (one more piece than placeholders); `%%` is no
    placeholder."""
    pieces, current = [], ""
    for piece in _PLACEHOLDER.split(sql):
        if piece == "%s":
            pieces.append(current)
            current = ""
        else:
            current += piece
    return [*pieces, current]


def _compile(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, tuple(params)


@dataclass(frozen=True)
class _Slot:
    position: int  # the parameter's index in the compiled SQL
    name: str
    kind: str
    adapt: Callable[[Any], Any]


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet[Any]  # built with stand-ins, never run
    compiler: Any  # its compiler, set up: what Django reads to turn rows into results
    sql: str
    segments: list[str]
    constants: tuple[Any, ...]  # the parameters, with None where a value goes
    slots: list[_Slot]
    has_list: bool

    def bind(self, values: dict[str, Any]) -> tuple[str, list[Any]]:
        params = list(self.constants)
        if not self.has_list:
            for slot in self.slots:
                params[slot.position] = slot.adapt(values[slot.name])
            return self.sql, params
        # A list goes in as many placeholders as it has distinct values, as Django writes it.
        by_position = {slot.position: slot for slot in self.slots}
        sql: list[str] = [self.segments[0]]
        flat: list[Any] = []
        for position, constant in enumerate(params):
            found = by_position.get(position)
            if found is None:
                sql.append("%s")
                flat.append(constant)
            elif found.kind.endswith("[]"):
                distinct = list(dict.fromkeys(values[found.name]))
                sql.append(", ".join(["%s"] * len(distinct)))
                flat.extend(found.adapt(v) for v in distinct)
            else:
                sql.append("%s")
                flat.append(found.adapt(values[found.name]))
            sql.append(self.segments[position + 1])
        return "".join(sql), flat

    def run(self, values: dict[str, Any]) -> list[Any]:
        """The rows, records or values, as Django's own iterables make them of this SQL: a copy
        of the set-up compiler that answers the bound SQL, on this thread's connection."""
        sql, params = self.bind(values)
        compiler = _shallow_copy(self.compiler)
        compiler.connection = connections[self.compiler.using]
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        query = _shallow_copy(self.queryset.query)
        query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
        queryset = _shallow_copy(self.queryset)
        queryset._query = query  # type: ignore[attr-defined]  # what QuerySet.query reads
        return list(queryset)


def _shallow_copy(thing: T) -> T:
    """A new object with the same attributes (copy.copy would run a queryset: its pickling
    support fetches the rows)."""
    new = object.__new__(type(thing))
    new.__dict__.update(thing.__dict__)
    return new


def _adapter(kind: str, alias: str, compiled_param: Any) -> Callable[[Any], Any]:
    """How a value becomes the parameter Django would have passed: its own integer type (psycopg's
    Int4 or Int8 on PostgreSQL), and the backend's text for dates and datetimes."""
    ops = connections[alias].ops
    kind = kind.removesuffix("[]")  # a list's values, each
    if kind == "int":
        return type(compiled_param) if isinstance(compiled_param, int) else int
    if kind == "date":
        return ops.adapt_datefield_value
    if kind == "datetime":
        return ops.adapt_datetimefield_value
    return str


class FixedQuery:
    def __init__(self, build: Callable[..., QuerySet[Any]]):
        self.build = build
        self.name = f"{build.__module__}.{build.__qualname__}"
        self._compiled: dict[Hashable, _Compiled] = {}
        self._lock = threading.Lock()

    def __call__(self, *shape: Hashable, **values: Any) -> list[Any]:
        if any(_django_builds(value) for value in values.values()):
            return list(self.build(*shape, **values))
        kinds = tuple((name, _kind(name, value)) for name, value in values.items())
        # Django writes the current time zone into the SQL of a date taken from a datetime
        # (`completed_at__date`): each zone has its own SQL.
        key = (shape, kinds, timezone.get_current_timezone_name())
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._work_out(shape, kinds)
                self._compiled[key] = compiled
        if settings.FIXED_SQL_CHECK:
            self._check(compiled, shape, values)
        return compiled.run(values)

    def _work_out(
        self, shape: tuple[Hashable, ...], kinds: tuple[tuple[str, str], ...]
    ) -> _Compiled:
        built = [
            self.build(
                *shape,
                **{name: _stand_in(kind, i, variant) for i, (name, kind) in enumerate(kinds)},
            )
            for variant in (0, 1)
        ]
        (sql, params), (other_sql, other_params) = (_compile(qs) for qs in built)
        queryset = built[0]
        alias = queryset.db
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError(
                f"{self.name}: its SQL changes with the values; put what does in the shape"
            )
        segments = _segments(sql)
        if len(segments) != len(params) + 1:
            raise ValueError(f"{self.name}: its SQL's placeholders do not match its parameters")
        slots, constants = [], list(params)
        for position, (first, second) in enumerate(zip(params, other_params, strict=True)):
            if first == second and type(first) is type(second):
                continue
            found = None
            for i, (name, kind) in enumerate(kinds):
                adapt = _adapter(kind, alias, first)
                one, two = (_stand_in(kind.removesuffix("[]"), i, variant) for variant in (0, 1))
                if adapt(one) == first and adapt(two) == second:
                    found = _Slot(position, name, kind, adapt)
                    break
            if found is None:
                raise ValueError(
                    f"{self.name}: parameter {position} is worked out from a value; pass it as a "
                    "value of its own"
                )
            slots.append(found)
            constants[position] = None
        compiler = queryset.query.get_compiler(using=alias)
        compiler.as_sql()  # sets up what turns rows into results
        return _Compiled(
            queryset=queryset,
            compiler=compiler,
            sql=sql,
            segments=segments,
            constants=tuple(constants),
            slots=slots,
            has_list=any(slot.kind.endswith("[]") for slot in slots),
        )

    def _check(
        self, compiled: _Compiled, shape: tuple[Hashable, ...], values: dict[str, Any]
    ) -> None:
        queryset = self.build(*shape, **values)
        expected = _compile(queryset)
        sql, params = compiled.bind(values)
        if queryset.db != compiled.compiler.using or expected != (sql, tuple(params)):
            raise AssertionError(
                f"{self.name}: the fixed SQL differs from what Django compiles for these values "
                f"(the builder reads something beyond its shape and values):\n{sql}\n{params}\n"
                f"Django:\n{expected[0]}\n{expected[1]}"
            )


def fixed_query(build: Callable[..., QuerySet[Any]]) -> FixedQuery:
    return FixedQuery(build)


def prefetched(instances: Sequence[Model], name: str, records: Iterable[Model]) -> None:
    """Leave `records`, read by a fixed query, on `instances` as `prefetch_related(name)` would:
    each instance's `<name>.all()` gives its own records in the order given, without a query,
    and each record's link back to its instance is set. `name` is the related name of a foreign
    key to the instances' model. Django's prefetch builds and compiles its query on every call,
    which costs more than the query itself on the pages opened most."""
    if not instances:
        return
    relation = type(instances[0])._meta.get_field(name)
    if not isinstance(relation, ManyToOneRel):
        raise TypeError(f"{name}: not the related name of a foreign key to these records")
    link = relation.field  # the records' foreign key
    by_pk = {instance.pk: instance for instance in instances}
    own: dict[Any, list[Model]] = {pk: [] for pk in by_pk}
    for record in records:
        key = getattr(record, link.attname)
        own[key].append(record)
        link.set_cached_value(record, by_pk[key])
    for instance in instances:
        queryset = getattr(instance, name).get_queryset()
        queryset._result_cache = own[instance.pk]
        queryset._prefetch_done = True
        cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
        cache[relation.cache_name] = queryset
