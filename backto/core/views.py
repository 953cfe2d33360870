from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the app and its database answer, 503 when the database does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Pages link the SVG icon; this answers the browsers that ask for /favicon.ico anyway."""
    return HttpResponsePermanentRedirect(static("backto/favicon.svg"))


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if getattr(user, "is_staff_member", False):  # presentation, not access: each to their home
        return redirect("clinician_home")
    return redirect("family_home")
