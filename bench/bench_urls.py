"""The app's URLs plus the baselines the benchmarks compare against: a bare view of the same
server, middleware and database that writes one row (for submissions) or reads one (for pages)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST, require_safe

from backto.audit.models import AuditEvent
from backto.urls import urlpatterns as app_urls


@require_POST
def bare_write(request: HttpRequest) -> HttpResponse:
    AuditEvent.objects.create(action="create", object_type="bench", actor_id=request.user.pk)
    return HttpResponse(status=204)


@require_safe
def bare_read(request: HttpRequest) -> HttpResponse:
    event = AuditEvent.objects.order_by("-id").first()
    return HttpResponse(str(event.pk if event else 0))


urlpatterns = [
    path("bench/write/", bare_write),
    path("bench/read/", bare_read),
    *app_urls,
]
