#!/usr/bin/env python3
"""Keep the translation catalogues in step with the code: `make messages`.

    python scripts/messages.py [APP_DIR…] update every app's locale/es/LC_MESSAGES/django.po from
                                          the strings marked in its code and templates, then
                                          compile the .mo files that are committed beside them
    python scripts/messages.py --check    fail if a marked string is missing from its catalogue
                                          (or a catalogue lists one the code no longer has), or a
                                          committed .mo is not what its .po compiles to

Each app keeps its own catalogue (`<app>/locale/`), so a capability's words travel with it; the
project's own templates (backto/templates/) and settings use backto/locale/. The catalogues'
completeness (every family-facing string translated, no placeholder dropped) is a test:
tests/i18n/test_catalogues.py.
"""

from __future__ import annotations

import argparse
import gettext
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "backto"


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backto.settings")
    os.environ.setdefault("BACKTO_TESTING", "1")
    import django

    django.setup()


def translated_languages() -> list[str]:
    """Every language of settings.LANGUAGES but English, the language the code is written in."""
    from django.conf import settings

    return [code for code, _ in settings.LANGUAGES if code != "en"]


def catalogue_dirs() -> list[Path]:
    """Every app of BackTo's (each with its own locale/), and the project's own (backto/locale)."""
    from django.apps import apps

    dirs = [Path(c.path) for c in apps.get_app_configs() if Path(c.path).is_relative_to(PACKAGE)]
    return [*sorted(dirs), PACKAGE]


def make_messages(where: Path, apps_inside: list[Path]) -> None:
    """Run makemessages in `where`, writing only to where/locale (the apps inside it are left to
    their own run)."""
    from django.core.management import call_command
    from django.test import override_settings

    os.chdir(where)
    ignore = [
        str(app.relative_to(where)) + "/*"
        for app in apps_inside
        if app != where and app.is_relative_to(where)
    ]
    with override_settings(LOCALE_PATHS=[where / "locale"]):
        call_command(
            "makemessages",
            locale=translated_languages(),
            ignore_patterns=[*ignore, "static/*", "migrations/*"],
            no_obsolete=True,
            add_location="file",
            verbosity=0,
        )
    for po in (where / "locale").glob("*/LC_MESSAGES/django.po"):
        tidy_header(po)


HEADER = "BackTo's translation of this app's words. Guide and glossary: docs/i18n.md."


def tidy_header(po_path: Path) -> None:
    """Fill in the header xgettext leaves as a template (and marks fuzzy, which would make msgfmt
    skip it and lose the charset), and drop its dates, which would change on every run."""
    import polib

    po = polib.pofile(str(po_path), wrapwidth=100)
    po.header = HEADER
    po.metadata_is_fuzzy = False
    for entry in po.fuzzy_entries():  # msgmerge's guesses from similar strings: never shipped
        entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        entry.msgstr = ""
        entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
    for key in ("POT-Creation-Date", "PO-Revision-Date", "Report-Msgid-Bugs-To"):
        po.metadata.pop(key, None)
    po.metadata.update(
        {
            "Project-Id-Version": "BackTo",
            "Last-Translator": "BackTo project",
            "Language-Team": "BackTo project",
            "Language": po_path.parts[-3],
        }
    )
    po.save()


def update(only: list[Path]) -> None:
    dirs = catalogue_dirs()
    for where in dirs:
        if only and where not in only:
            continue
        (where / "locale").mkdir(exist_ok=True)
        make_messages(where, dirs)
        compile_all([where])


def compile_all(dirs: list[Path]) -> None:
    for where in dirs:
        for po in (where / "locale").glob("*/LC_MESSAGES/django.po"):
            subprocess.run(
                ["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)], check=True
            )


def msgids(po: Path) -> set[tuple[str, str]]:
    import polib

    return {
        (entry.msgctxt or "", entry.msgid) for entry in polib.pofile(str(po)) if not entry.obsolete
    }


def compiled_matches(po: Path) -> bool:
    """Whether the committed .mo holds exactly what compiling the .po gives."""
    mo = po.with_suffix(".mo")
    if not mo.exists():
        return False
    with tempfile.NamedTemporaryFile(suffix=".mo") as fresh:
        subprocess.run(["msgfmt", "-o", fresh.name, str(po)], check=True)
        with open(fresh.name, "rb") as new, mo.open("rb") as old:
            return gettext.GNUTranslations(new)._catalog == gettext.GNUTranslations(old)._catalog  # type: ignore[attr-defined]


def check() -> int:
    """Make the catalogues afresh in a copy of the tree and compare what they list."""
    problems = []
    dirs = catalogue_dirs()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "backto"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
        copies = [copy / where.relative_to(PACKAGE) for where in dirs]
        for where in copies:
            (where / "locale").mkdir(exist_ok=True)
            make_messages(where, copies)
        for where, fresh in zip(dirs, copies, strict=True):
            for lang in translated_languages():
                po = where / "locale" / lang / "LC_MESSAGES" / "django.po"
                new = fresh / "locale" / lang / "LC_MESSAGES" / "django.po"
                old_ids = msgids(po) if po.exists() else set()
                new_ids = msgids(new) if new.exists() else set()
                name = po.relative_to(ROOT)
                for _ctxt, msgid in sorted(new_ids - old_ids):
                    problems.append(f"{name}: missing {msgid[:70]!r}")
                for _ctxt, msgid in sorted(old_ids - new_ids):
                    problems.append(f"{name}: no longer in the code {msgid[:70]!r}")
                if po.exists() and not compiled_matches(po):
                    problems.append(f"{po.with_suffix('.mo').relative_to(ROOT)}: not its .po")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"\n{len(problems)} problems: run `make messages`, then translate.", file=sys.stderr)
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument(
        "apps", nargs="*", type=Path, help="only these apps' folders (backto for the project's own)"
    )
    args = parser.parse_args()
    setup_django()
    if args.check:
        return check()
    update([path.resolve() for path in args.apps])
    return 0


if __name__ == "__main__":
    sys.exit(main())
