"""WSGI entry point for gunicorn: `gunicorn backto.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backto.settings")

application = get_wsgi_application()

# Python's cycle collector walks every object it tracks now and then, in the middle of a request:
# a worker's modules, URLs and views are some 200,000 objects that live as long as it does, and
# the walks cost a page about 2 ms (bench/RESULTS.md). Load the views now, then leave everything
# loaded out of the walks (gc.freeze), and collect the young objects less often than every 700
# allocations: a page allocates tens of thousands.
get_resolver().url_patterns  # noqa: B018 - imports every view
gc.collect()
gc.freeze()
gc.set_threshold(10_000, 10, 10)
