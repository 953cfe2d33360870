"""Reads of questionnaire results: each measure's series with change from baseline, reliable
change (with the SD and r used) and, for the pain NRS, the minimal-change rule. Also what is due
for a family and what is overdue on a caseload. A fixed number of queries per page."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from backto.access.accounts.models import Clinic, User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.access.patients.lifecycle import OPEN_STATES
from backto.access.patients.respondents import Respondent, allowed_respondent
from backto.capabilities.instruments.models import InstrumentPack
from backto.capabilities.instruments.queries import worded_keys, wording_missing
from backto.capabilities.measures.models import (
    ANSWERABLE_STATES,
    Administration,
    AdminState,
    ClinicMeasure,
)
from backto.capabilities.measures.schedule import DEFAULT_TEMPLATE, TemplateRow
from backto.capabilities.measures.summary import baseline_and_latest, course_order
from backto.clinical.instrument_registry import UnknownInstrumentError, instrument_registry
from backto.clinical.instruments import Instrument
from backto.clinical.languages import base_language
from backto.clinical.reliable_change import (
    ChangeAssessment,
    ChangeError,
    PainChange,
    assess_change,
    instrument_minimal_change,
)
from backto.core.fixed_sql import fixed_query
from backto.core.languages import language_name

FUNCTION_FIRST = frozenset({"fdi-child", "fdi-parent", "school"})
PAIN_LAST = frozenset({"nrs-pain"})


@dataclass(frozen=True)
class Point:
    administration: Administration
    total: Decimal | None
    band: str | None

    @property
    def day(self) -> date:
        completed = self.administration.completed_at
        return timezone.localdate(completed) if completed else self.administration.due_on


@dataclass
class MeasureSeries:
    instrument_id: str
    respondent: str
    title: str
    instrument: Instrument | None  # None when the instrument is no longer in the registry
    points: list[Point] = field(default_factory=list)

    @cached_property
    def scored(self) -> list[Point]:
        return [p for p in self.points if p.total is not None]

    @cached_property
    def _ends(self) -> tuple[Point | None, Point | None]:
        return baseline_and_latest(self.scored, lambda p: p.administration.timepoint)

    @cached_property
    def baseline(self) -> Point | None:
        """The baseline administration's score; without one (not done, or not scorable), the
        first scored one, which `baseline_is_substitute` then flags."""
        return self._ends[0]

    @cached_property
    def baseline_is_substitute(self) -> bool:
        baseline = self.baseline
        return baseline is not None and baseline.administration.timepoint != "baseline"

    @cached_property
    def latest(self) -> Point | None:
        """The latest score after the baseline one (None until there are two)."""
        return self._ends[1]

    @cached_property
    def change(self) -> Decimal | None:
        if self.baseline is None or self.latest is None:
            return None
        assert self.baseline.total is not None and self.latest.total is not None
        return self.latest.total - self.baseline.total

    @cached_property
    def direction(self) -> str:
        scoring = self.instrument.scoring if self.instrument else None
        return scoring.direction if scoring else "higher_is_worse"

    @cached_property
    def assessment(self) -> ChangeAssessment | None:
        """Reliable change, responder and recovered, where the instrument has SD and r."""
        if self.instrument is None or self.change is None:
            return None
        scoring = self.instrument.scoring
        if scoring is None or scoring.reliable_change is None:
            return None
        assert self.baseline and self.latest
        return assess_change(self.instrument, self.baseline.total, self.latest.total)  # type: ignore[arg-type]

    @cached_property
    def minimal_change(self) -> PainChange | None:
        """The minimal clinically significant change, where the instrument defines one."""
        if self.instrument is None or self.change is None:
            return None
        scoring = self.instrument.scoring
        if scoring is None or scoring.minimal_important_change is None:
            return None
        assert self.baseline and self.latest
        try:
            return instrument_minimal_change(
                self.instrument,
                self.baseline.total,  # type: ignore[arg-type]
                self.latest.total,  # type: ignore[arg-type]
            )
        except ChangeError:
            return None


def _total(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def measure_series(administrations: Iterable[Administration]) -> list[MeasureSeries]:
    """Completed administrations grouped by measure (instrument and respondent) in the order
    they were due (a paper baseline entered late is still the baseline), measures in a
    function-first order: FDI and school before pain."""
    registry = instrument_registry()
    series: dict[tuple[str, str], MeasureSeries] = {}
    done = sorted(
        (a for a in administrations if a.state == AdminState.COMPLETED),
        key=lambda a: course_order(a.due_on, a.timepoint, a.pk),
    )
    for a in done:
        key = (a.instrument_id, a.respondent)
        if key not in series:
            instrument = registry.find(a.instrument_id, a.result.get("instrument_version"))
            series[key] = MeasureSeries(
                a.instrument_id,
                a.respondent,
                instrument.title if instrument else a.instrument_id,
                instrument,
            )
        series[key].points.append(Point(a, _total(a.result.get("total")), a.result.get("band")))
    return sorted(
        series.values(),
        key=lambda s: (
            s.instrument_id in PAIN_LAST,
            s.instrument_id not in FUNCTION_FIRST,
            s.title,
        ),
    )


@fixed_query
def _of_episode(*, episode_id: int) -> QuerySet[Administration]:
    return Administration.objects.filter(episode_id=episode_id)


def episode_administrations(episode_id: int) -> list[Administration]:
    return _of_episode(episode_id=episode_id)


class FamilyWording:
    """Which of a clinic's questionnaires a family may be sent. Never one without its words: an
    administration waits for the next visit, where the care team goes through it and enters it,
    when the instrument version it is answered on (the one pinned at its first answer, else the
    newest) has no wording at the clinic (licensed wording not installed), or is asked in clinic
    (its pathway needs a clinician at hand). One query, when made."""

    def __init__(self, clinic: Clinic) -> None:
        self.worded = worded_keys(clinic)
        self.registry = instrument_registry()

    def _not_sent(self, instrument: Instrument) -> bool:
        return instrument.key not in self.worded or instrument.setting == "in_clinic"

    def at_visit(self, administration: Administration) -> bool:
        return self.at_visit_of(administration.instrument_id, administration.instrument_version)

    def at_visit_of(self, instrument_id: str, version: str) -> bool:
        """`at_visit` for an administration of this instrument, answered on `version` (empty:
        not pinned yet, so the newest)."""
        instrument = self.registry.find(instrument_id, version or None)
        return instrument is not None and self._not_sent(instrument)

    def condition(self) -> Q:
        """`at_visit` as a condition on administrations, for counts in the database."""
        condition = Q(
            instrument_version="",
            instrument_id__in=[i.id for i in self.registry if self._not_sent(i)],
        )
        for instrument in self.registry.all_versions():
            if self._not_sent(instrument):
                condition |= Q(instrument_id=instrument.id, instrument_version=instrument.version)
        return condition


def family_respondents(*, teen: bool) -> Q:
    """The respondent rule as a condition on administrations: a teen answers their own child
    forms; a guardian the parent forms, and the child forms of a child without an account of
    their own (backto.access.patients.respondents)."""
    if teen:
        return Q(respondent=Respondent.CHILD)
    return Q(respondent=Respondent.PARENT) | Q(
        respondent=Respondent.CHILD, episode__patient__teen_account__isnull=True
    )


def _answerable(*, teen: bool, patient_ids: Sequence[int]) -> QuerySet[Administration]:
    return Administration.objects.filter(
        family_respondents(teen=teen),
        episode__patient_id__in=patient_ids,
        state__in=ANSWERABLE_STATES,
    )


@dataclass(frozen=True)
class FamilyQuestionnaires:
    """A family member's questionnaires waiting now, per child: those to fill in, and how many
    the care team will go through at the next visit (never shown as forms)."""

    to_fill_in: dict[int, list[Administration]]
    at_visit: dict[int, int]


@fixed_query
def _family_due(teen: bool, *, patient_ids: list[int]) -> QuerySet[Administration]:
    return (
        _answerable(teen=teen, patient_ids=patient_ids)
        .select_related("episode")
        .order_by("due_on", "instrument_id")
    )


def due_for_family(user: Any, patient_ids: Sequence[int]) -> FamilyQuestionnaires:
    """Questionnaires this family member can answer now, per child. Two queries."""
    to_fill_in: dict[int, list[Administration]] = defaultdict(list)
    at_next_visit: dict[int, int] = defaultdict(int)
    wording = FamilyWording(user.clinic)
    for a in _family_due(user.is_teen, patient_ids=list(patient_ids)):
        if wording.at_visit(a):
            at_next_visit[a.episode.patient_id] += 1
        else:
            to_fill_in[a.episode.patient_id].append(a)
    return FamilyQuestionnaires(dict(to_fill_in), dict(at_next_visit))


def due_counts(*, teen: bool, patient_ids: Sequence[int], clinic: Clinic) -> dict[int, int]:
    """How many questionnaires wait for a teen (or for a guardian) of each child of the clinic to
    fill in (not those for the next visit). Two queries."""
    rows = (
        _answerable(teen=teen, patient_ids=patient_ids)
        .exclude(FamilyWording(clinic).condition())
        .values("episode__patient_id")
        .annotate(n=Count("pk"))
    )
    return {row["episode__patient_id"]: row["n"] for row in rows}


def last_asked_on(administration: Administration) -> date | None:
    """The day the episode's previous completed form of the same instrument was completed (the
    latest, or for a completed form the latest before it), in the clinic's day: the answers of a
    questionnaire about the time since it was last asked cover the time since. None: the first."""
    earlier = Administration.objects.filter(
        episode_id=administration.episode_id,
        instrument_id=administration.instrument_id,
        state=AdminState.COMPLETED,
        completed_at__isnull=False,
    ).exclude(pk=administration.pk)
    if administration.completed_at is not None:
        earlier = earlier.filter(completed_at__lt=administration.completed_at)
    latest = earlier.order_by("-completed_at").values_list("completed_at", flat=True).first()
    return None if latest is None else timezone.localdate(latest)


def clinic_template(clinic: Clinic) -> list[TemplateRow]:
    """The clinic's measure template, or the default for a clinic that has not chosen one."""
    registry = instrument_registry()
    rows = [
        TemplateRow(
            m.instrument_id,
            m.respondent,
            m.every_weeks,
            at_baseline=(found := registry.find(m.instrument_id)) is None or found.at_baseline,
            at_follow_up=found is not None and found.covers_time_since_last_asked,
        )
        for m in ClinicMeasure.objects.filter(clinic=clinic)
    ]
    return rows or list(DEFAULT_TEMPLATE)


def missing_wording(clinic: Clinic) -> list[Instrument]:
    """Instruments in the clinic's questionnaires whose licensed wording it has not installed."""
    return wording_missing(clinic, [row.instrument_id for row in clinic_template(clinic)])


# Plain strings, marked for translation; said with gettext(AT_VISIT) where shown.
AT_VISIT = gettext_noop(
    "Your care team will go through a short questionnaire with you at your next visit."
)
NO_LONGER_OFFERED = gettext_noop(
    "This questionnaire is no longer offered by the clinic; there is nothing to answer."
)


def may_answer(user: User, administration: Administration) -> bool:
    """The care team enters any form (measure_enter: from paper, or as the clinician who rates
    it); a family member answers with measure_answer the forms of their own respondent (the
    respondent rule, backto.access.patients.respondents)."""
    patient = administration.episode.patient
    if has_permission(user, Permission.MEASURE_ENTER, patient):
        return True
    return has_permission(user, Permission.MEASURE_ANSWER, patient) and allowed_respondent(
        user, patient, administration.respondent
    )


def answering_instrument(administration: Administration) -> Instrument:
    """The instrument version this administration is answered on: the one pinned when it was
    started, or the newest. ValidationError when the clinic no longer offers it."""
    try:
        return instrument_registry().get(
            administration.instrument_id, administration.instrument_version or None
        )
    except UnknownInstrumentError:
        raise ValidationError(_(NO_LONGER_OFFERED), code="closed") from None


# The codes of the refusals that say a questionnaire takes no answers now (refuse_closed, the
# clinic's wording, one that is answered at the visit), as against answers that are wrong.
CLOSED_CODES = ("completed", "closed", "not_yet", "at_visit")


def refuse_closed(administration: Administration) -> None:
    state = administration.state
    if state == AdminState.COMPLETED:
        done = timezone.localtime(administration.completed_at)
        raise ValidationError(
            _(
                "This questionnaire was already completed on %(day)s at %(time)s; nothing was changed."
            )
            % {"day": date_format(done, "DATE_FORMAT"), "time": time_format(done, "TIME_FORMAT")},
            code="completed",
        )
    if state in (AdminState.CANCELLED, AdminState.MISSED):
        reason = f" ({administration.note})" if administration.note else ""
        raise ValidationError(
            _("This questionnaire was %(state)s%(reason)s; there is nothing to answer.")
            % {
                "state": _("missed") if state == AdminState.MISSED else _("cancelled"),
                "reason": reason,
            },
            code="closed",
        )
    if state not in ANSWERABLE_STATES:
        raise ValidationError(
            _("This questionnaire opens on %(day)s.")
            % {"day": date_format(administration.due_on, "DATE_FORMAT")},
            code="not_yet",
        )
    if administration.episode.state not in OPEN_STATES:
        raise ValidationError(
            _("This episode of care has ended; there is nothing to answer."), code="closed"
        )


def _shipped_translation_validated(adm: Administration, language: str) -> bool:
    """Whether the words BackTo ships for this instrument in `language` are a validated
    translation (instrument_files: translations.<language>.validated)."""
    instrument = instrument_registry().find(adm.instrument_id, adm.instrument_version or None)
    words = instrument.translations.get(base_language(language)) if instrument else None
    return words is not None and words.validated


def language_notes(administrations: Sequence[Administration], clinic: Clinic) -> dict[int, str]:
    """For the care team, by administration id: the language its questions were shown in, when
    it is not simply English to an English reader. Never silent: "Answered in English: this
    family reads Spanish; no Spanish version is installed", or "not a validated translation" for
    a licensed instrument's translation the clinic installed without declaring it validated.
    One query."""
    revisions = {
        (adm.instrument_id, adm.instrument_version, adm.wording_revision)
        for adm in administrations
        if adm.wording_revision and adm.language not in ("", "en")
    }
    validated = {
        (row.instrument_id, row.version, row.revision): bool(row.content.get("validated"))
        for row in InstrumentPack.objects.filter(
            clinic=clinic,
            instrument_id__in={key[0] for key in revisions},
            revision__in={key[2] for key in revisions},
        )
    }
    notes = {}
    for adm in administrations:
        shown, reader = adm.language, adm.reader_language or adm.language
        if not shown or (shown == "en" and reader == "en"):
            continue
        names = {"shown": language_name(shown), "reader": language_name(reader)}
        if shown != reader:
            notes[adm.pk] = (
                _(
                    "Answered in %(shown)s: this family reads %(reader)s; no %(reader)s version is installed."
                )
                % names
            )
        elif adm.wording_revision is None:
            notes[adm.pk] = (
                _("Answered in %(shown)s, in the BackTo project's wording.")
                if _shipped_translation_validated(adm, shown)
                else _(
                    "Answered in %(shown)s, in the BackTo project's wording: not a validated "
                    "translation."
                )
            ) % names
        elif validated.get((adm.instrument_id, adm.instrument_version, adm.wording_revision)):
            notes[adm.pk] = (
                _("Answered in %(shown)s, in the holder's validated translation.") % names
            )
        else:
            notes[adm.pk] = (
                _(
                    "Answered in %(shown)s: not a validated translation (the clinic's installed wording)."
                )
                % names
            )
    return notes
