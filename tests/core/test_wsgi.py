"""backto.wsgi: the WSGI application, loaded with its views, and a cycle collector that leaves
what was loaded out of its walks."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_the_worker_freezes_what_it_loaded_and_collects_less_often() -> None:
    probe = (
        "import gc, sys, backto.wsgi; "
        "print(gc.get_freeze_count() > 100_000, 'backto.readers.dashboards.views' in sys.modules, "
        "gc.get_threshold()[0], callable(backto.wsgi.application))"
    )
    env = {**os.environ, "BACKTO_TESTING": "1", "DJANGO_SETTINGS_MODULE": "backto.settings"}
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["True", "True", "10000", "True"]
