"""Goals with their Goal Attainment Scaling ratings, therapy sessions, and the home program
with its adherence: the care plan as the care team's pages show it."""

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from ninja import Router

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import get_episode_for, has_permission
from backto.capabilities.careplan.models import TherapySession
from backto.capabilities.careplan.queries import program_end
from backto.capabilities.goals.models import Goal, GoalRating
from backto.capabilities.homeprogram.models import HomeProgramItem
from backto.capabilities.homeprogram.queries import adherence_by_week
from backto.readers.api.endpoints.records import PageQuery, audit_list
from backto.readers.api.pagination import page
from backto.readers.api.schemas import GoalPage, HomeProgramOut, SessionPage

router = Router(tags=["Goals, sessions and home program"])


@router.get("/episodes/{int:episode_id}/goals", response=GoalPage, url_name="api_goals")
def goal_list(
    request: AuthenticatedHttpRequest, episode_id: int, params: PageQuery
) -> dict[str, Any]:
    """The family's goals. The ratings (GAS levels, -2 to +2) are the care team's numbers: they
    come with progress_clinical_view; families read their goals in words on their pages."""
    episode = get_episode_for(request, episode_id, Permission.PATIENT_VIEW)
    ratings = has_permission(request.user, Permission.PROGRESS_CLINICAL_VIEW, episode.patient)
    goals = Goal.objects.filter(episode=episode).prefetch_related(
        Prefetch("ratings", queryset=GoalRating.objects.order_by("rated_on", "pk"))
    )
    rows, cursor = page(goals, cursor=params.cursor, limit=params.limit)
    audit_list(request, params, patient_id=episode.patient_id, episode=episode.pk)
    items = [
        {
            **{f: getattr(g, f) for f in ("id", "episode_id", "title", "discipline", "status")},
            **{f: getattr(g, f) for f in ("baseline_level", "importance", "difficulty")},
            "target_date": g.target_date,
            "levels": [{"level": level, "words": words} for level, words in g.levels],
            "ratings": list(g.ratings.all()) if ratings else [],
        }
        for g in rows
    ]
    return {"items": items, "next_cursor": cursor}


@router.get("/episodes/{int:episode_id}/sessions", response=SessionPage, url_name="api_sessions")
def session_list(
    request: AuthenticatedHttpRequest, episode_id: int, params: PageQuery
) -> dict[str, Any]:
    episode = get_episode_for(request, episode_id, Permission.SESSION_VIEW)
    rows, cursor = page(
        TherapySession.objects.filter(episode=episode), cursor=params.cursor, limit=params.limit
    )
    audit_list(request, params, patient_id=episode.patient_id, episode=episode.pk)
    return {"items": rows, "next_cursor": cursor}


@router.get(
    "/episodes/{int:episode_id}/home-program", response=HomeProgramOut, url_name="api_home_program"
)
def home_program(request: AuthenticatedHttpRequest, episode_id: int) -> dict[str, Any]:
    """The exercises with today's dose (a dose stops progressing when the program ends), and the
    last 8 weeks' adherence."""
    episode = get_episode_for(request, episode_id, Permission.PATIENT_VIEW)
    today = timezone.localdate()
    ended = program_end(episode)
    items = HomeProgramItem.objects.filter(episode=episode).select_related("exercise")
    audit_list(request, None, patient_id=episode.patient_id, episode=episode.pk)
    return {
        "episode_id": episode.pk,
        "items": [
            {
                "id": i.pk,
                "exercise": i.exercise.name,
                "category": i.exercise.category,
                "sets": i.sets,
                "reps": i.reps,
                "minutes_today": i.minutes_on(today, program_end=ended),
                "times_per_day": i.times_per_day,
                "days_per_week": i.days_per_week,
                "start_date": i.start_date,
                "end_date": i.end_date,
            }
            for i in items.order_by("pk")
        ],
        "adherence": adherence_by_week(episode, until=today),
    }
