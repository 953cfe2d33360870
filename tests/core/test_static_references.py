"""Every static file a template names exists. The tests serve static files without the
production manifest, so a wrong path there is only a missing script in a test browser, while in
production (ManifestStaticFilesStorage) it is a server error on every request for the page."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders

ROOT = Path(__file__).parents[2] / "backto"
STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")


def test_every_static_file_named_by_a_template_exists():
    named = {
        (path.relative_to(ROOT), name)
        for path in ROOT.rglob("*.html")
        for name in STATIC_TAG.findall(path.read_text())
    }
    assert named, "the scan found no {% static %} tag at all"
    missing = sorted((str(path), name) for path, name in named if finders.find(name) is None)
    assert not missing, missing
