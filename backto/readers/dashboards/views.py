"""The homes and a child's overview: the access layer's records, with the parts each capability
contributes (`backto.core.dashboard`). Thin views: load through access.py, read, render."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import (
    audit_page_view,
    can,
    filters_detail,
    get_patient_for,
    has_permission,
    require_permission,
    sees_teen_private,
)
from backto.access.patients.lifecycle import EpisodeState, transitions_from
from backto.access.patients.models import (
    CareTeamMember,
    Episode,
    EpisodeTransition,
    Guardianship,
    Patient,
)
from backto.capabilities.diary.queries import Streak, streaks_for
from backto.core.dashboard import (
    ClinicianHome,
    FamilyChild,
    FamilyHome,
    FamilySlot,
    FamilyTodayItem,
    FamilyTodo,
    dashboards,
)
from backto.readers.dashboards.caseload_signals import flag_labels
from backto.readers.dashboards.caseload_table import rows_html
from backto.readers.dashboards.forms import CaseloadForm, CelebrationForm
from backto.readers.dashboards.overview import overview_cards, program_days
from backto.readers.dashboards.queries import SORT_LABELS, caseload, family_children


@require_safe
@vary_on_headers("HX-Request")
def clinician_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.CASELOAD_VIEW)
    user = request.user
    clinic_wide = has_permission(user, Permission.CASELOAD_VIEW_CLINIC)
    # Coordinators and admins look after the whole clinic: they start there.
    flags = flag_labels()
    chosen = CaseloadForm(request.GET, flags=flags).chosen()
    everyone = clinic_wide and chosen["show"] == "clinic"
    state, flag, sort, page = chosen["state"], chosen["flag"], chosen["sort"], chosen["page"]
    # No name search here: a child's name must never travel in a URL or an access log.
    listing = caseload(user, everyone=everyone, state=state, flag=flag, sort=sort, page=page)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "rows": listing.rows,
        "rows_html": rows_html(listing.rows),
        "listing": listing,
        "page_query": query.urlencode(),
        # The notices sit above the table: the table alone (htmx) needs none of them.
        "notices": []
        if request.htmx
        else dashboards.notices_for(ClinicianHome(viewer=user, everyone=everyone)),
        "clinic_wide": clinic_wide,
        "everyone": everyone,
        "state": state,
        "states": EpisodeState.choices,
        "flag": flag,
        "flags": flags.items(),
        "sort": sort,
        "sorts": SORT_LABELS.items(),
        "can": can(user),
    }
    audit_page_view(
        request,
        detail=filters_detail(
            show="clinic" if everyone else "mine",
            state=state,
            flag=flag,
            sort=sort,
            page=listing.page,
        ),
    )
    template = (
        "dashboards/_caseload_table.html" if request.htmx else "dashboards/clinician_home.html"
    )
    return render(request, template, context)


@dataclass(frozen=True)
class FamilyRow:
    """One child's section of the family's home: the child, the latest episode and its care
    team, today's to-dos, and what each capability puts there, by slot."""

    patient: Patient
    episode: Episode | None
    team: list[CareTeamMember]
    todos: list[FamilyTodo]
    items: dict[FamilySlot, list[FamilyTodayItem]]


SAVED_WORDS = {
    "created": gettext_lazy("Saved. Thank you for writing today!"),
    "already": gettext_lazy("This was already saved. Nothing more to do."),
    "edited": gettext_lazy("Saved. Your changes are in."),
}


@dataclass(frozen=True)
class Celebration:
    """The short "saved" at the top of the home after a diary is written: what the save did, the
    days in a row, and a milestone on the day it is reached."""

    patient: Patient
    words: str
    streak: Streak

    @property
    def milestone_today(self) -> int | None:
        reached = self.streak.milestone
        return reached if reached is not None and reached == self.streak.total_days else None


def celebration_for(
    request: AuthenticatedHttpRequest, children: list[FamilyChild], today: date
) -> Celebration | None:
    """The celebration the diary asked for (`?diary=&saved=`), for a child of this home only: a
    child the viewer cannot see, or a value the diary never sends, is no celebration. One query
    (the streak) when there is one, none otherwise."""
    chosen = CelebrationForm(request.GET).chosen()
    if chosen is None:
        return None
    patient_id, outcome = chosen
    patient = next((c.patient for c in children if c.patient.pk == patient_id), None)
    if patient is None:
        return None
    streak = streaks_for([patient.pk], today=today)[patient.pk]
    return Celebration(patient, str(SAVED_WORDS[outcome]), streak)


@require_safe
def family_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.is_staff_member:  # presentation, not access: staff have their own home
        return redirect("clinician_home")
    children, teams = family_children(user)
    today = timezone.localdate()
    page = FamilyHome(request=request, viewer=user, children=children, today=today)
    items = dashboards.family_items_for(page)
    todos = dashboards.todos_for(page)
    rows = [
        FamilyRow(
            c.patient,
            c.episode,
            teams.get(c.episode.pk, []) if c.episode else [],
            todos[c.patient.pk],
            items[c.patient.pk],
        )
        for c in children
    ]
    # One event for the page: which children's program it showed, by id.
    audit_page_view(request, detail="patients " + ",".join(str(c.patient.pk) for c in children))
    return render(
        request,
        "dashboards/family_home.html",
        {"rows": rows, "celebration": celebration_for(request, children, today)},
    )


@require_safe
def patient_overview(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request, patient_id, Permission.PATIENT_VIEW)
    episodes = list(
        Episode.objects.filter(patient=patient).prefetch_related(
            Prefetch("care_team", queryset=CareTeamMember.objects.select_related("clinician")),
            Prefetch("transitions", queryset=EpisodeTransition.objects.select_related("by")),
        )
    )
    current = episodes[0] if episodes else None
    guardians = Guardianship.objects.filter(patient=patient).select_related("guardian")
    today = timezone.localdate()
    return render(
        request,
        "dashboards/patient_overview.html",
        {
            "patient": patient,
            "episodes": episodes,
            "current": current,
            "transitions": transitions_from(current.state) if current else [],
            "guardians": guardians,
            "can": can(request.user, patient),
            "family_view": not request.user.is_staff_member,
            "sees_private": sees_teen_private(request.user, patient),
            "program": program_days(current, today=today),
            "cards": overview_cards(patient, current, viewer=request.user, today=today),
        },
    )
