"""The family's app: the web app manifest, the service worker and the page it shows offline.

All three are public (no sign-in): a browser fetches the manifest without cookies, and none of
them holds anything about a person. What the worker may keep offline is decided here, in
`OFFLINE_PAGES`, and written into the worker (docs/family-app.md).
"""

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from backto.capabilities.learning.models import Audience
from backto.core.languages import reader_language

BRAND_DARK = "#17467c"  # --brand-dark in backto.css: the installed app's title bar
WASH = "#f3f5f9"  # --wash: the splash screen behind the icon

# Static files every page needs, kept by the worker from the start (cache-first).
PRECACHE_STATIC = (
    "backto/backto.css",
    "backto/controls.css",
    "backto/favicon.svg",
    "backto/icons.svg",
    "vendor/htmx/htmx-2.0.11.min.js",
    "backto/signout.js",
    "backto/diary.js",
    "backto/controls.js",
    "backto/pain-cycle.js",
    "familyapp/app.js",
    "familyapp/outbox.js",
    "familyapp/icon.svg",
    "familyapp/icon-192.png",
    "familyapp/icon-512.png",
    "familyapp/icon-maskable-512.png",
    "familyapp/apple-touch-icon.png",
)

# The pages a family opens without a connection: the worker keeps the last copy of each it
# loaded (network first) and shows it offline. Nothing else is kept: not staff pages, the audit
# log, questionnaires, accounts, the API, nor any answer to a POST. These pages are sent with
# `Cache-Control: no-store` like every page to a signed-in person (backto.core.caching); the
# worker keeps them anyway, in a cache it empties at sign-out and whenever the server sends the
# sign-in page instead (the session is gone), so that nothing private lingers on a shared phone.
OFFLINE_PAGES = (
    r"^/family/$",  # the family's home
    r"^/patients/\d+/diary/$",  # today's (or yesterday's) diary
    r"^/episodes/\d+/exercises/$",  # today's exercises
    r"^/learn/$",  # the learning pages
    r"^/learn/explainer/$",  # the pain-cycle explainer
    rf"^/learn/(?:{'|'.join(Audience.values)})/[-a-zA-Z0-9_]+/$",  # one learning page
)


def precache_paths() -> list[str]:
    """PRECACHE_STATIC, every one of which must exist: a missing file would fail the worker's
    install (tests/familyapp/test_service_worker.py)."""
    missing = [name for name in PRECACHE_STATIC if not finders.find(name)]
    if missing:
        raise ImproperlyConfigured(
            f"The service worker precaches files that do not exist: {missing}"
        )
    return list(PRECACHE_STATIC)


@cache
def _worker_version(names: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for name in names:
        found = finders.find(name)
        digest.update(name.encode())
        if isinstance(found, str):
            digest.update(Path(found).read_bytes())
    template = get_template("familyapp/sw.js").template  # type: ignore[attr-defined]
    digest.update(template.source.encode())
    digest.update(json.dumps(OFFLINE_PAGES).encode())
    return digest.hexdigest()[:12]


def worker_version() -> str:
    """A version that changes whenever a precached file or the worker itself changes, so that
    an update installs a new worker whose caches replace the old ones. Worked out once per
    process, except while developing (DEBUG), where files change under a running server."""
    names = tuple(precache_paths())
    if settings.DEBUG:
        _worker_version.cache_clear()
    return _worker_version(names)


@login_not_required
@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: what a phone needs to put BackTo on its home screen."""
    icons = [
        {"src": static("familyapp/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("familyapp/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("familyapp/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
        {"src": static("familyapp/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    body = {
        "id": "/",
        "name": "BackTo",
        "short_name": "BackTo",
        # The browser asks without cookies: the language is the browser's (LocaleMiddleware).
        "description": _("Your diary, exercises and learning pages from your pain program."),
        "lang": get_language() or "en",
        "start_url": "/?source=app",
        "scope": "/",
        "display": "standalone",
        "theme_color": BRAND_DARK,
        "background_color": WASH,
        "icons": icons,
    }
    return JsonResponse(body, content_type="application/manifest+json")


@login_not_required
@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the site's root so that it may look after every page. Sent with
    `no-cache` so that the browser asks for a newer one each time it checks (to a signed-in
    person, backto.core.caching adds no-store, which asks the same)."""
    config = {
        # The reader's language too: after a change of language a new worker installs, and the
        # offline page and kept pages are fetched again in the new one.
        "version": f"{worker_version()}-{reader_language()}",
        "precache": [static(name) for name in precache_paths()] + [reverse("offline")],
        "offlinePage": reverse("offline"),
        "familyHome": reverse("family_home"),
        "signIn": reverse("login"),
        "staticPrefix": settings.STATIC_URL,
        "pages": list(OFFLINE_PAGES),
        "icon": static("familyapp/icon-192.png"),
    }
    response = render(
        request,
        "familyapp/sw.js",
        {"config": json.dumps(config, indent=2)},
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What the worker shows for a page it has not kept, without a connection. It names nobody:
    it is fetched once when the worker installs and shown to whoever opens the app offline."""
    return render(request, "familyapp/offline.html")
