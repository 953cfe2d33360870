"""Health care before and after the program, from the healthcare-use questionnaire
(CLINICAL.md, "Medicines and healthcare use"): the baseline form, about the 3 months before the
program, beside the latest form after it (at discharge or a follow-up), each count per 3 months
exactly as the form was scored (the stored result, with its instrument version and rule).

One query for any number of episodes: the letters read one, the program outcomes a cohort.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple, Protocol, TypeVar

from django.db.models import QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from backto.capabilities.measures.models import Administration, AdminState, Timepoint

HEALTHCARE_USE = "healthcare-use"

# The form's counts (its subscales, each per 3 months), in the order the letters list them.
COUNTS: tuple[tuple[str, Promise], ...] = (
    ("emergency", gettext_lazy("Emergency visits")),
    ("urgent_care", gettext_lazy("Urgent-care visits")),
    ("specialist", gettext_lazy("Specialist visits")),
    ("imaging_tests", gettext_lazy("Imaging and tests")),
    ("hospital_nights", gettext_lazy("Nights in hospital")),
    ("school_nurse", gettext_lazy("School-nurse visits")),
    ("work_days_missed", gettext_lazy("Days a parent missed work")),
)
VISITS = gettext_lazy("Medical visits (emergency, urgent care and specialists)")


@dataclass(frozen=True)
class VisitsForm:
    """One completed healthcare-use form, as scored: counts per 3 months."""

    administration_id: int
    timepoint: str
    label: str
    completed_on: date
    months: Decimal  # the months its answers cover
    visits: Decimal | None  # the total: medical visits per 3 months
    counts: dict[str, Decimal | None]  # each count per 3 months, by subscale
    answered: dict[str, int | None]  # the counts as the family gave them, over `months`
    instrument_version: str
    engine_version: str
    rule: str


@dataclass(frozen=True)
class Row:
    key: str
    label: Promise
    before: Decimal | None  # per 3 months
    after: Decimal | None

    @property
    def change(self) -> Decimal | None:
        """After minus before, per 3 months (negative: less health care), or None."""
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class BeforeAfter:
    """An episode's baseline form and its latest form after the baseline (None until there is
    one)."""

    before: VisitsForm
    after: VisitsForm | None

    def rows(self) -> list[Row]:
        """The medical visits, then each count: before, after and the change per 3 months."""
        after = self.after
        pairs = [
            ("visits", VISITS, self.before.visits, after.visits if after else None),
            *(
                (key, label, self.before.counts.get(key), after.counts.get(key) if after else None)
                for key, label in COUNTS
            ),
        ]
        return [Row(*pair) for pair in pairs]


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _form(row: Mapping[str, Any]) -> VisitsForm:
    result = row["result"] or {}
    completed: datetime = row["completed_at"]
    return VisitsForm(
        administration_id=row["pk"],
        timepoint=row["timepoint"],
        label=row["label"],
        completed_on=timezone.localdate(completed),
        months=Decimal(str(row["answers"].get("months_covered"))),
        visits=row["score_total"],
        counts={key: _decimal(result.get("subscales", {}).get(key)) for key, _label in COUNTS},
        answered={key: row["answers"].get(key) for key, _label in COUNTS},
        instrument_version=row["instrument_version"],
        engine_version=row["engine_version"],
        rule=result.get("rule", ""),
    )


def before_after(
    episodes: Iterable[int] | QuerySet[Any],
    *,
    until: date | None = None,
    after_at: Iterable[str] = (Timepoint.DISCHARGE, Timepoint.FOLLOW_UP),
    using: str = "default",
) -> dict[int, BeforeAfter]:
    """Each episode's health care before and after, for the episodes (ids, or a queryset of
    their ids) that have a completed baseline form. `until`: only forms completed by that day
    (a letter printed today); `after_at`: the time points an "after" form may be from (a
    discharge summary: the discharge's own form, however late it was filled in)."""
    after_at = set(after_at)
    forms = Administration.objects.using(using).filter(
        episode_id__in=episodes,
        instrument_id=HEALTHCARE_USE,
        state=AdminState.COMPLETED,
        completed_at__isnull=False,
    )
    found: dict[int, list[VisitsForm]] = {}
    for row in forms.order_by("episode_id", "completed_at", "pk").values(
        "pk",
        "episode_id",
        "timepoint",
        "label",
        "completed_at",
        "answers",
        "result",
        "score_total",
        "instrument_version",
        "engine_version",
    ):
        form = _form(row)
        if until is None or form.completed_on <= until:
            found.setdefault(row["episode_id"], []).append(form)
    summaries = {}
    for episode_id, episode_forms in found.items():
        pair = _before_and_after(episode_forms, after_at)
        if pair is not None:
            summaries[episode_id] = BeforeAfter(*pair)
    return summaries


class _Dated(Protocol):
    @property
    def timepoint(self) -> str: ...

    @property
    def completed_on(self) -> date: ...


D = TypeVar("D", bound=_Dated)


def _before_and_after(forms: Sequence[D], after_at: set[str]) -> tuple[D, D | None] | None:
    """Of one episode's forms in the order they were completed: the baseline form and the latest
    form from one of `after_at` completed on or after its day (None without a baseline)."""
    before = next((f for f in forms if f.timepoint == Timepoint.BASELINE), None)
    if before is None:
        return None
    later = [f for f in forms if f.timepoint in after_at and f.completed_on >= before.completed_on]
    return before, (later[-1] if later else None)


class _Totals(NamedTuple):
    timepoint: str
    completed_on: date
    values: tuple[Decimal | None, ...]


def cohort_before_after(
    episodes: QuerySet[Any], keys: Sequence[str], *, using: str = "default"
) -> dict[int, dict[str, tuple[Decimal | None, Decimal | None]]]:
    """For a cohort (the program outcomes): each episode's named figures ("visits", or a key of
    COUNTS), before and after, by the same rule as `before_after` (any time point after the
    baseline at discharge or a follow-up). Only those figures are read, in SQL, not each form's
    answers and result: a cohort has thousands of forms."""
    zone = timezone.get_current_timezone()
    subscales = {
        f"figure_{key}": KT(f"result__subscales__{key}") for key in keys if key != "visits"
    }
    columns = ["score_total" if key == "visits" else f"figure_{key}" for key in keys]
    forms = (
        Administration.objects.using(using)
        .filter(
            episode_id__in=episodes,
            instrument_id=HEALTHCARE_USE,
            state=AdminState.COMPLETED,
            completed_at__isnull=False,
        )
        .annotate(completed_on=TruncDate("completed_at", tzinfo=zone), **subscales)
        .order_by("episode_id", "completed_at", "pk")
    )
    found: dict[int, list[_Totals]] = {}
    for episode_id, timepoint, completed_on, *values in forms.values_list(
        "episode_id", "timepoint", "completed_on", *columns
    ):
        found.setdefault(episode_id, []).append(
            _Totals(timepoint, completed_on, tuple(_decimal(v) for v in values))
        )
    after_at: set[str] = {Timepoint.DISCHARGE, Timepoint.FOLLOW_UP}
    figures = {}
    for episode_id, episode_forms in found.items():
        pair = _before_and_after(episode_forms, after_at)
        if pair is None:
            continue
        before, after = pair
        figures[episode_id] = {
            key: (before.values[n], after.values[n] if after else None)
            for n, key in enumerate(keys)
        }
    return figures
