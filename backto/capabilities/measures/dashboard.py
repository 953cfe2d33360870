"""The questionnaires' parts of the dashboards (`backto.core.dashboard`): on the home of whoever
manages the clinic's questionnaires, those whose licensed wording the clinic lacks; results and the
questionnaires coming up on a child's overview; those to fill in on the family's home, as to-dos
ticked once done today (and that some wait for the next visit); and on the caseload the questionnaires due, overdue and to enter
at the next visit, the FDI from baseline to the latest, and the flags read from the scores (the
rules: `backto.clinical.caseload`)."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.access.patients.respondents import Respondent
from backto.capabilities.instruments.models import InstrumentPack
from backto.capabilities.measures.charts import series_chart
from backto.capabilities.measures.models import (
    ANSWERABLE_STATES,
    OPEN_ADMIN_STATES,
    OVERDUE_AFTER_DAYS,
    Administration,
    AdminState,
    EpisodeMeasureSummary,
)
from backto.capabilities.measures.queries import (
    AT_VISIT,
    FamilyWording,
    due_for_family,
    episode_administrations,
    measure_series,
    missing_wording,
)
from backto.clinical.caseload import (
    NO_IMPROVEMENT_WEEKS,
    catastrophizing_high,
    fdi_change,
    function_falling,
    no_reliable_improvement,
    top_band,
)
from backto.clinical.instrument_languages import registered_in_language
from backto.clinical.instrument_registry import UnknownInstrumentError, instrument_registry
from backto.clinical.languages import DEFAULT_LANGUAGE, base_language
from backto.core.dashboard import (
    CaseloadChild,
    CaseloadFlag,
    CaseloadSignal,
    ClinicianHome,
    FamilyHome,
    FamilyTodayItem,
    FamilyTodo,
    HomeNotice,
    OverviewCard,
    OverviewPage,
    dashboards,
)
from backto.core.fixed_sql import fixed_query

NO_IMPROVEMENT = CaseloadFlag(
    "no_improvement", f"No reliable FDI improvement after {NO_IMPROVEMENT_WEEKS} weeks", order=30
)
FUNCTION_FALLING = CaseloadFlag("function_falling", "Function falling", order=40)
CATASTROPHIZING = CaseloadFlag("catastrophizing", "Pain catastrophizing high", order=50)
PARENT_CATASTROPHIZING = CaseloadFlag(
    "parent_catastrophizing", "Parent's pain catastrophizing high", order=60
)
# Each catastrophizing scale flags in the top band its own instrument file defines.
CATASTROPHIZING_FLAGS = {"pcs-c": CATASTROPHIZING.key, "pcs-p": PARENT_CATASTROPHIZING.key}


@dashboards.home_notices
def wording_to_install(page: ClinicianHome) -> Iterable[HomeNotice]:
    if not has_permission(page.viewer, Permission.INSTRUMENT_MANAGE):
        return []
    # Read once for the page: the first-run steps ask the same (clinicsetup.dashboard).
    wording = page.once(missing_wording, page.viewer.clinic)
    if not wording:
        return []
    return [HomeNotice(20, "measures/_dashboard_home.html", {"missing_wording": wording})]


@dashboards.overview_cards
def questionnaires(page: OverviewPage) -> Iterable[OverviewCard]:
    """The results (for whoever may see them) and the questionnaires coming up, from one read
    of the episode's questionnaires."""
    if page.episode is None:
        return []
    administrations = episode_administrations(page.episode.pk)
    cards = []
    if has_permission(page.viewer, Permission.MEASURE_VIEW, page.patient):
        series = [(s, series_chart(s)) for s in measure_series(administrations)]
        cards.append(
            OverviewCard("results", 10, "measures/_dashboard_results.html", {"series": series})
        )
    coming = [a for a in administrations if a.state in OPEN_ADMIN_STATES][:8]
    if coming:
        wording = FamilyWording(page.patient.clinic)
        cards.append(
            OverviewCard(
                "results",
                20,
                "measures/_dashboard_coming_up.html",
                {"measures": coming, "at_visit": {a.pk for a in coming if wording.at_visit(a)}},
            )
        )
    return cards


@dashboards.family_today
def questionnaires_at_the_next_visit(page: FamilyHome) -> Mapping[int, Iterable[FamilyTodayItem]]:
    """That the care team goes through some questionnaires at the next visit (those to fill in
    are the family's to-dos, below)."""
    due = page.once(due_for_family, page.viewer, page.patient_ids)
    return {
        pid: [
            FamilyTodayItem(
                "today", 10, "measures/_dashboard_family.html", {"at_visit_message": _(AT_VISIT)}
            )
        ]
        for pid in due.at_visit
    }


@dashboards.family_todos
def questionnaires_to_fill_in(page: FamilyHome) -> Mapping[int, Iterable[FamilyTodo]]:
    """Each questionnaire this person fills in now, and those they finished today, ticked: two
    queries for every child (and the at-visit card's read shared), and for a reader of another
    language than English one more for the page (the clinic's wording in it)."""
    due = page.once(due_for_family, page.viewer, page.patient_ids)
    found: dict[int, list[FamilyTodo]] = {}
    names = {c.patient.pk: c.patient.first_name for c in page.children}
    language = base_language(get_language())
    packs = (
        {}
        if language == DEFAULT_LANGUAGE
        else page.once(pack_titles, page.viewer.clinic_id, language)
    )

    def todo(a: Administration, done: bool) -> FamilyTodo:
        patient_id = a.episode.patient_id
        started = a.state == AdminState.IN_PROGRESS
        if a.respondent == Respondent.CHILD and not page.viewer.is_teen:
            name = {"name": names[patient_id]}
            detail = (_("with %(name)s, started") if started else _("with %(name)s")) % name
        elif page.viewer.is_teen:
            detail = (
                pgettext("to a teen", "for you, started")
                if started
                else pgettext("to a teen", "for you")
            )
        else:
            detail = (
                pgettext("to a parent", "for you, started")
                if started
                else pgettext("to a parent", "for you")
            )
        url = reverse("administration", args=[a.pk])
        return FamilyTodo(30, family_title(a, language, packs), url, done, detail)

    for pid, waiting in due.to_fill_in.items():
        found[pid] = [todo(a, False) for a in waiting]
    finished = _finished_today(
        patient_ids=list(page.patient_ids), user_id=page.viewer.pk, today=page.today
    )
    for a in finished:
        found.setdefault(a.episode.patient_id, []).append(todo(a, True))
    return found


def pack_titles(clinic_id: int, language: str) -> dict[tuple[str, str], str | None]:
    """The title of the clinic's newest wording in `language` of each instrument version it has
    worded in it (None: that wording has no title of its own): one query, the title read from
    the pack's content by the database."""
    titles: dict[tuple[str, str], str | None] = {}
    rows = (
        InstrumentPack.objects.filter(clinic_id=clinic_id, language=language)
        .order_by("revision")
        .values_list("instrument_id", "version", "content__title")
    )
    for instrument_id, version, title in rows:
        titles[(instrument_id, version)] = title if isinstance(title, str) and title else None
    return titles


def family_title(
    a: Administration, language: str, packs: Mapping[tuple[str, str], str | None]
) -> str:
    """The questionnaire's title as its page shows it to this reader (`instrument_with_text`):
    the clinic's wording in the reader's language, else the translation BackTo ships, else the
    English title, marked lang="en" for a reader of another language."""
    if language == DEFAULT_LANGUAGE:
        return a.instrument_title
    try:
        instrument = instrument_registry().get(a.instrument_id, a.instrument_version or None)
    except UnknownInstrumentError:
        return a.instrument_title
    if instrument.key in packs:
        pack_title = packs[instrument.key]
        title, title_language = (
            (pack_title, language) if pack_title else (instrument.title, instrument.language)
        )
    else:
        worded = registered_in_language(instrument.id, instrument.version, language)
        title, title_language = worded.title, worded.language
    if title_language == language:
        return title
    return format_html('<span lang="{}">{}</span>', title_language, title)


@fixed_query
def _finished_today(*, patient_ids: list[int], user_id: int, today: date) -> QuerySet[Any]:
    return (
        Administration.objects.filter(
            episode__patient_id__in=patient_ids,
            state=AdminState.COMPLETED,
            completed_by_id=user_id,
            completed_at__date=today,
        )
        .select_related("episode")
        .order_by("completed_at", "pk")
    )


@fixed_query
def _due_counts(*, episode_ids: list[int], overdue_before: date) -> QuerySet[Any]:
    answerable = Q(state__in=ANSWERABLE_STATES)
    return (
        Administration.objects.filter(episode_id__in=episode_ids)
        .order_by()
        .values("episode_id", "instrument_id", "instrument_version")
        .annotate(
            due=Count("pk", filter=answerable),
            late=Count("pk", filter=answerable & Q(due_on__lt=overdue_before)),
        )
        .values_list("episode_id", "instrument_id", "instrument_version", "due", "late")
    )


@fixed_query
def _summaries(*, episode_ids: list[int]) -> QuerySet[Any]:
    return EpisodeMeasureSummary.objects.filter(episode_id__in=episode_ids).values_list(
        "episode_id", "fdi_first", "fdi_last", "pcs_c_band", "pcs_p_band"
    )


@dashboards.caseload_signals(
    NO_IMPROVEMENT, FUNCTION_FALLING, CATASTROPHIZING, PARENT_CATASTROPHIZING
)
def measure_signals(
    children: Sequence[CaseloadChild], today: date, viewer: Any
) -> Mapping[int, CaseloadSignal]:
    """Three small queries: the clinic's installed wording, each episode's questionnaires due
    and overdue by instrument and version (counted in one pass over the episodes' questionnaires,
    led by the episode index; which of them the care team goes through at the next visit is
    `FamilyWording.at_visit`, asked once per instrument and version), and the episode's measure
    summary (the FDI first and last, the latest PCS-C and PCS-P bands). Plain grouped and keyed
    reads: correlated subqueries for the counts cost more to build than to answer."""
    by_episode = {c.episode_id: c for c in children if c.episode_id is not None}
    wording = FamilyWording(viewer.clinic)
    fdi_child = instrument_registry().find("fdi-child")
    high = {
        instrument_id: top_band(instrument_registry().find(instrument_id))
        for instrument_id in CATASTROPHIZING_FLAGS
    }
    counts: dict[int, list[int]] = {}  # episode -> [due, overdue, at the next visit]
    at_visit: dict[tuple[str, str], bool] = {}
    for episode_id, instrument_id, version, due, late in _due_counts(
        episode_ids=list(by_episode), overdue_before=today - timedelta(days=OVERDUE_AFTER_DAYS)
    ):
        if not due:
            continue
        key = (instrument_id, version)
        if key not in at_visit:
            at_visit[key] = wording.at_visit_of(instrument_id, version)
        tally = counts.setdefault(episode_id, [0, 0, 0])
        tally[0] += due
        if at_visit[key]:
            tally[2] += due
        else:  # late for the family: not those the care team enters at the next visit
            tally[1] += late
    summaries = {row[0]: row[1:] for row in _summaries(episode_ids=list(by_episode))}
    found = {}
    for episode_id, child in by_episode.items():
        due, overdue, visit = counts.get(episode_id, (0, 0, 0))
        first, last, pcs_c, pcs_p = summaries.get(episode_id, (None, None, None, None))
        fdi = tuple(v for v in (first, last) if v is not None)
        change = fdi_change(fdi_child, fdi)
        flags = []
        if no_reliable_improvement(
            active=child.active, days_in_program=child.days_in_program, change=change
        ):
            flags.append(NO_IMPROVEMENT.key)
        if function_falling(active=child.active, change=change):
            flags.append(FUNCTION_FALLING.key)
        for instrument_id, band in (("pcs-c", pcs_c), ("pcs-p", pcs_p)):
            if catastrophizing_high(band, top=high[instrument_id]):
                flags.append(CATASTROPHIZING_FLAGS[instrument_id])
        todo = tuple(
            f"{n} questionnaire{'s' if n > 1 else ''} {what}"
            for n, what in ((overdue, "overdue"), (visit, "to enter at the next visit"))
            if n
        )
        found[child.patient_id] = CaseloadSignal(
            flags=tuple(flags), todo=todo, due=due, overdue=overdue, fdi=fdi
        )
    return found
