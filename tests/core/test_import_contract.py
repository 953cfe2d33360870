"""The clinical core stays plain Python: the import-linter contract must name every Django app."""

import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).parents[2]


def test_the_contract_forbids_every_backto_app():
    contract = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "contracts"
    ][0]
    assert contract["source_modules"] == ["backto.clinical"]
    apps = {app for app in settings.INSTALLED_APPS if app.startswith("backto.")}
    assert apps <= set(contract["forbidden_modules"])
    assert "django" in contract["forbidden_modules"]


def test_no_clinical_module_imports_django():
    for path in (ROOT / "backto" / "clinical").rglob("*.py"):
        text = path.read_text()
        assert "import django" not in text and "from django" not in text, path
