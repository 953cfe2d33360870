"""Goals with their Goal Attainment Scaling ratings, therapy sessions, and the home program
with its adherence: the care plan as the care team's pages show it. A goal's rating and an
exercise's tick are written through the pages' own actions, and both are idempotent by nature:
one rating per goal, review day and kind of rater; one tick per exercise and day."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.utils import timezone
from ninja import Router

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import get_episode_for, get_record_for, has_permission
from backto.capabilities.careplan.models import TherapySession
from backto.capabilities.careplan.queries import program_end
from backto.capabilities.goals.actions import goal_rate
from backto.capabilities.goals.models import Goal, GoalRating
from backto.capabilities.homeprogram.actions import exercise_tick
from backto.capabilities.homeprogram.models import ExerciseLog, HomeProgramItem
from backto.capabilities.homeprogram.queries import adherence_by_week
from backto.clinical.desensitization import Tolerated
from backto.readers.api.bodies import body_of, read_body
from backto.readers.api.endpoints.records import PageQuery, audit_list
from backto.readers.api.pagination import page
from backto.readers.api.schemas import (
    ExerciseDayIn,
    ExerciseDayOut,
    GoalPage,
    GoalRatingIn,
    GoalRatingOut,
    HomeProgramOut,
    SessionPage,
)

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


@router.post(
    "/goals/{int:goal_id}/ratings",
    response=GoalRatingOut,
    url_name="api_goal_rate",
    openapi_extra=body_of(GoalRatingIn),
)
def goal_rating(request: AuthenticatedHttpRequest, goal_id: int) -> GoalRating:
    """Rate how far a goal has come on a review day, as the goal's page does: the care team
    always may, a family where its clinic lets families rate. A second rating of the same day by
    the same kind of rater (care team, family) replaces the first."""
    goal = get_record_for(
        request,
        Goal.objects.select_related("episode__patient__clinic"),
        goal_id,
        Permission.PATIENT_VIEW,
        write=Permission.GOAL_RATE,
        patient_path="episode__patient",
    )
    body = read_body(request, GoalRatingIn)
    return goal_rate(
        by=request.user, goal=goal, level=body.level, rated_on=body.rated_on, note=body.note
    )


def _texture_pointer(field: str) -> str:
    """The action's field of a texture row ("minutes_2") as the body's ("tolerated/1/minutes")."""
    name, _, row = field.rpartition("_")
    if not row.isdigit():
        return field
    return f"tolerated/{int(row) - 1}/{'code' if name == 'texture' else name}"


@router.put(
    "/home-program/{int:item_id}/days/{day}",
    response=ExerciseDayOut,
    url_name="api_exercise_day",
    openapi_extra=body_of(ExerciseDayIn),
)
def exercise_day(request: AuthenticatedHttpRequest, item_id: int, day: date) -> dict[str, Any]:
    """Tick an exercise as done on a day (today or yesterday, as the checklist does), or untick
    it. Sending the same tick twice changes nothing; to change a day's textures, untick and tick
    again."""
    item = get_record_for(
        request,
        HomeProgramItem.objects.select_related("exercise"),
        item_id,
        Permission.PATIENT_VIEW,
        write=Permission.EXERCISE_TICK,
        patient_path="episode__patient",
    )
    body = read_body(request, ExerciseDayIn)
    tolerated = [Tolerated(code=t.code, minutes=t.minutes, other=t.other) for t in body.tolerated]
    try:
        exercise_tick(by=request.user, item=item, day=day, done=body.done, tolerated=tolerated)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {_texture_pointer(f): messages for f, messages in error.error_dict.items()}
        ) from error
    log = (
        ExerciseLog.objects.filter(item=item, day=day)
        .annotate(textures=Count("tolerated"))
        .values_list("textures", flat=True)
        .first()
    )
    return {"item_id": item.pk, "day": day, "done": log is not None, "textures": log or 0}
