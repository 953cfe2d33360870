"""Bulk inserts for synthetic data: PostgreSQL's COPY where the database is PostgreSQL,
`bulk_create` elsewhere.

`bulk_create` on PostgreSQL sends each batch as one INSERT whose every column is an array; for a
health system's worth of rows (about 430 a child) building those arrays and the statement was
two thirds of `backto synth`'s time. COPY streams the rows instead. The objects get their ids
first, from the table's own sequence, when later rows point at them (`ids=True`); leaf rows let
the column's default number them. Like `bulk_create`, no signals are sent and `save()` is not
called: fields filled when a row is first saved (`auto_now_add`, `auto_now`) are filled here.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connections, models

# Fields whose Python value psycopg writes as Django would (Django's own conversion returns the
# value unchanged for these on PostgreSQL); any other field goes through get_db_prep_save.
_AS_IS: frozenset[type[models.Field]] = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.IntegerField,
        models.BigIntegerField,
        models.SmallIntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.CharField,
        models.SlugField,
        models.EmailField,
        models.TextField,
        models.DateField,
        models.DateTimeField,
        models.BooleanField,
        models.ForeignKey,
        models.OneToOneField,
        models.UUIDField,
        models.FloatField,
    }
)


def insert(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    ids: bool = False,
    using: str = "default",
) -> None:
    """Insert the unsaved `objs`; with `ids`, each gets its primary key as bulk_create gives it."""
    if not objs:
        return
    connection = connections[using]
    if connection.vendor != "postgresql":
        model._default_manager.using(using).bulk_create(objs, batch_size=2000)
        return
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [f for f in meta.concrete_fields if ids or f is not pk]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(objs)],
            )
            for obj, (value,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = value
        for obj in objs:
            for field in stamped:
                field.pre_save(obj, add=True)
        plain = [type(f) in _AS_IS for f in fields]
        names = [f.attname for f in fields]
        # A row built before its parent was saved holds the parent, not yet its id.
        relations = [f for f in fields if isinstance(f, models.ForeignKey)]
        for obj in objs:
            for field in relations:
                if getattr(obj, field.attname) is None:
                    parent = field.get_cached_value(obj, None)
                    if parent is not None:
                        setattr(obj, field.attname, parent.pk)
        table = connection.ops.quote_name(meta.db_table)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                values = obj.__dict__
                copy.write_row(
                    [
                        values[name] if as_is else field.get_db_prep_save(values[name], connection)
                        for name, as_is, field in zip(names, plain, fields, strict=True)
                    ]
                )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using


def insert_rows(
    model: type[models.Model], names: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert plain rows of the named fields (attnames) without building model objects: for the
    most numerous leaf rows. Unnamed fields take their column's default, so name every field
    that has no default in the database."""
    if not rows:
        return
    connection = connections["default"]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            (model(**dict(zip(names, row, strict=True))) for row in rows), batch_size=5000
        )
        return
    meta = model._meta
    column = {f.attname: f.column for f in meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(column[n]) for n in names)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        ) as copy,
    ):
        for row in rows:
            copy.write_row(row)
