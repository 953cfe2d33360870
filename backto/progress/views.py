"""The progress page of an episode: what the child is getting back to, in pictures."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from backto.accounts.roles import Permission
from backto.core.http import AuthenticatedHttpRequest
from backto.diary.models import DiarySettings
from backto.measures.charts import series_chart
from backto.patients.access import can, get_episode_for
from backto.progress.charts import progress_charts
from backto.progress.queries import Progress, episode_progress


def pain_shown(user: object, settings: DiarySettings | None) -> bool:
    """The care team sees pain; the child never in their own view; guardians when the care
    team allows it."""
    if getattr(user, "is_staff_member", False):
        return True
    if getattr(user, "is_teen", False):
        return False
    return settings is not None and settings.family_sees_pain


def headline(progress: Progress) -> dict[str, object]:
    """First and latest week that have a value, for the cards at the top."""

    def first_last(attribute: str) -> tuple[object, object]:
        values = [
            getattr(w, attribute) for w in progress.weeks if getattr(w, attribute) is not None
        ]
        return (
            (values[0], values[-1]) if len(values) >= 2 else (None, values[-1] if values else None)
        )

    return {
        "activity": first_last("activity"),
        "school": first_last("school"),
        "pain": first_last("pain"),
        "wins": len(progress.wins),
    }


@require_safe
def progress_page(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request, episode_id, Permission.PATIENT_VIEW)
    patient = episode.patient
    user = request.user
    settings = DiarySettings.objects.filter(patient=patient).first()
    with_pain = pain_shown(user, settings)
    child_view = user.is_teen
    progress = episode_progress(episode, until=timezone.localdate())
    return render(
        request,
        "progress/progress.html",
        {
            "episode": episode,
            "patient": patient,
            "progress": progress,
            "charts": progress_charts(progress, with_pain=with_pain, child_view=child_view),
            "headline": headline(progress),
            "with_pain": with_pain,
            "child_view": child_view,
            "staff_view": user.is_staff_member,
            "family_sees_pain": settings is not None and settings.family_sees_pain,
            "series": [(s, series_chart(s)) for s in progress.measures]
            if user.is_staff_member
            else [],
            "can": can(user, patient),
        },
    )
