"""The layers are enforced by import-linter (pyproject.toml, run by `make test`); these tests keep
the contract covering every app and the picture in docs/architecture.md true to it."""

import importlib.util
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).parents[2]
spec = importlib.util.spec_from_file_location("architecture", ROOT / "scripts" / "architecture.py")
assert spec and spec.loader
architecture = importlib.util.module_from_spec(spec)
sys.modules["architecture"] = architecture
spec.loader.exec_module(architecture)


def test_every_backto_app_sits_in_a_layer():
    layers = [
        part.strip()
        for layer in architecture.layers_contract()["layers"]
        for part in layer.split("|")
    ]
    placed = {f"backto.{layer}" for layer in layers} | {
        f"backto.{layer}.{app}" for layer in layers for app in architecture.apps_in(layer)
    }
    apps = {app for app in settings.INSTALLED_APPS if app.startswith("backto.")}
    assert apps <= placed, apps - placed


def test_the_architecture_page_draws_the_contract():
    assert architecture.current_block() == architecture.diagram(), (
        "docs/architecture.md is out of date: run python scripts/architecture.py --write"
    )


def test_no_clinical_module_imports_django():
    for path in (ROOT / "backto" / "clinical").rglob("*.py"):
        text = path.read_text()
        assert "import django" not in text and "from django" not in text, path
