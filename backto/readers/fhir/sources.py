"""Where resources come from: each `Source` is one kind of row (a completed questionnaire, a
therapy session) that answers as resources of one FHIR type, with the permissions that let a
person read it, its day for `date` and `_sort`, and how it is narrowed by `code`.

A search asks each source of the type for one page's worth of rows in one or two queries
(whatever the number of rows), merges them by their keys (day, rank, row id, number within the
row) and cuts the page; the next page starts after the last key, carried in an opaque cursor.
Reading one resource loads its row through the same scope (the person's circle) and
permissions, with the loaders' answers: 404 outside the circle, 403 for a role without the
permission, both audited as refusals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Model, Q, QuerySet
from django.db.models.functions import TruncDate

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import patients_for
from backto.access.patients.models import CareTeamMember, Patient
from backto.readers.fhir.params import Key, Search, Token

DAY = "fhir_day"


def base_url() -> str:
    return f"{settings.SITE_URL}/fhir"


def reference(resource_type: str, ident: Any) -> dict[str, str]:
    return {"reference": f"{resource_type}/{ident}"}


@dataclass(frozen=True)
class Found:
    """One resource a source built, with its place in a result list and its child."""

    key: Key
    patient_id: int | None
    resource: dict[str, Any]

    @property
    def ident(self) -> str:
        return str(self.resource["id"])


@dataclass
class Viewer:
    """The person a response is built for, with what the builders ask of many rows at once
    (one query for a page, never one per row)."""

    user: User
    _private: dict[int, bool] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.user.clinic.time_zone or settings.TIME_ZONE)

    def holds(self, permission: Permission) -> bool:
        return permission in self.user.permissions

    def sees_private(self, patients: Iterable[Patient]) -> set[int]:
        """Of these children, those whose teen-private answers this person reads
        (patients.access.sees_teen_private, asked for a page of children in one query)."""
        wanted = {p.pk: p for p in patients if p.pk not in self._private}
        if wanted:
            mine = {pk for pk, p in wanted.items() if p.teen_account_id == self.user.pk}
            if self.holds(Permission.TEEN_PRIVATE_VIEW):
                mine |= set(
                    CareTeamMember.objects.filter(
                        clinician_id=self.user.pk,
                        episode__patient_id__in=list(wanted),
                        episode__patient__clinic_id=self.user.clinic_id,
                    ).values_list("episode__patient_id", flat=True)
                )
            self._private.update({pk: pk in mine for pk in wanted})
        return {p.pk for p in patients if self._private.get(p.pk)}


class Source:
    """One kind of row answering as resources of `resource_type`. Subclasses set the class
    attributes and write `rows` and `build`."""

    resource_type: str = ""
    rank: int = 0  # orders sources of one type on the same day
    prefix: str = ""  # the ids' prefix ("score-12"); "" when the id is the row's
    model: type[Model]
    patient_path: str | None = None  # from the row to its child; None: not a child's record
    read: tuple[Permission, ...] = ()  # any one of them lets a person read these
    day_field: str | None = None  # the row's day; None: undated
    day_is_moment: bool = False  # the field is a moment: its day in the clinic's time zone
    numbered = False  # a row gives several resources, numbered ("bodymap-12-3")

    # What a subclass writes ------------------------------------------------------------------

    def rows(self, viewer: Viewer) -> QuerySet[Any]:
        """Every row of this kind in the person's clinic (scope is added by `scoped`)."""
        return self.model._default_manager.all()

    def build(self, rows: Sequence[Any], viewer: Viewer) -> list[Found]:
        raise NotImplementedError

    def code_filter(self, tokens: list[Token]) -> Q | None:
        """Rows with one of these codes; None when this source has none of them."""
        return Q()

    def visible(self, viewer: Viewer, rows: QuerySet[Any]) -> QuerySet[Any]:
        """Rows this person may not know of at all, beyond their circle (a teen's own
        conversation for guardians), left out."""
        return rows

    def visible_row(self, viewer: Viewer, row: Any) -> bool:
        """The same rule as `visible`, for one row already loaded."""
        return True

    def audit_type(self, row: Any) -> str:
        """The object type of a read's (or refusal's) audit event: the resource type, unless a
        row's events must stay out of a family's access log under another name."""
        return self.resource_type

    # The machinery ---------------------------------------------------------------------------

    def allowed(self, viewer: Viewer) -> bool:
        return any(viewer.holds(p) for p in self.read)

    def ident(self, pk: int, sub: int = 0) -> str:
        ident = f"{self.prefix}-{pk}" if self.prefix else str(pk)
        return f"{ident}-{sub}" if self.numbered else ident

    def patient_of(self, row: Any) -> Patient | None:
        if self.patient_path is None:
            return None
        target = row
        for step in self.patient_path.split("__") if self.patient_path else []:
            target = getattr(target, step)
        return target

    def key(self, row: Any, sub: int = 0) -> Key:
        day = getattr(row, DAY, None) if self.day_field else None
        return (day.isoformat() if isinstance(day, date) else "", self.rank, int(row.pk), sub)

    def scoped(self, viewer: Viewer) -> QuerySet[Any]:
        """This kind's rows in the person's clinic and circle, with their day."""
        rows = self.rows(viewer)
        user = viewer.user
        if self.patient_path is None:
            rows = rows.filter(clinic_id=user.clinic_id)
        elif self.patient_path == "":
            rows = rows.filter(pk__in=patients_for(user))
        else:
            rows = rows.filter(**{f"{self.patient_path}__in": patients_for(user)})
        return self.with_day(self.visible(viewer, rows), viewer)

    def in_clinic(self, viewer: Viewer) -> QuerySet[Any]:
        """This kind's rows in the person's clinic, with their day (a read checks the circle
        on the one row it loads)."""
        rows = self.rows(viewer)
        if self.patient_path is None or self.patient_path == "":
            rows = rows.filter(clinic_id=viewer.user.clinic_id)
        else:
            rows = rows.filter(**{f"{self.patient_path}__clinic_id": viewer.user.clinic_id})
        return self.with_day(rows, viewer)

    def with_day(self, rows: QuerySet[Any], viewer: Viewer) -> QuerySet[Any]:
        if not self.day_field:
            return rows
        day: Any = (
            TruncDate(self.day_field, tzinfo=viewer.zone)
            if self.day_is_moment
            else F(self.day_field)
        )
        return rows.annotate(**{DAY: day})

    def page(self, viewer: Viewer, search: Search) -> list[Found]:
        """The first `search.count` + 1 resources of this source after the cursor (fewer when
        there are no more), in the search's order. One query for the rows and whatever
        `build` asks for the whole page."""
        rows = self.scoped(viewer)
        if search.patient is not None:
            if self.patient_path is None:
                return []
            rows = rows.filter(**{self._patient_lookup(): search.patient})
        if search.codes:
            narrowed = self.code_filter(search.codes)
            if narrowed is None:
                return []
            rows = rows.filter(narrowed)
        if self.day_field:
            if search.since is not None:
                rows = rows.filter(**{f"{DAY}__gte": search.since})
            if search.until is not None:
                rows = rows.filter(**{f"{DAY}__lte": search.until})
        if search.cursor is not None:
            rows = rows.filter(self._after(search.cursor, search.newest_first))
        order = [DAY, "pk"] if self.day_field else ["pk"]
        if search.newest_first:
            order = [f"-{name}" for name in order]
        # the cursor's own row may have nothing left after it: one row more than a page needs
        chosen = list(rows.order_by(*order)[: search.count + 2])
        found = self.build(chosen, viewer)
        if search.cursor is not None:
            cursor = search.cursor
            found = [
                f for f in found if (f.key < cursor if search.newest_first else f.key > cursor)
            ]
        return found

    def _patient_lookup(self) -> str:
        return "pk" if self.patient_path == "" else f"{self.patient_path}_id"

    def _after(self, cursor: Key, newest_first: bool) -> Q:
        """Rows whose resources may come after the cursor (its own row included, for the
        resources of the row not yet given)."""
        day_text, rank, pk, _ = cursor
        more, same = ("lt", "lte") if newest_first else ("gt", "gte")
        same_row = Q(**{f"pk__{same}": pk})
        if not self.day_field or not day_text:
            if rank == self.rank:
                return same_row
            later = self.rank < rank if newest_first else self.rank > rank
            return Q() if later else Q(pk__in=[])
        day = date.fromisoformat(day_text)
        if rank == self.rank:
            return Q(**{f"{DAY}__{more}": day}) | (Q(**{DAY: day}) & same_row)
        later = self.rank < rank if newest_first else self.rank > rank
        return Q(**{f"{DAY}__{same if later else more}": day})
