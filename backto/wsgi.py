"""WSGI entry point for gunicorn: `gunicorn backto.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backto.settings")

application = get_wsgi_application()
