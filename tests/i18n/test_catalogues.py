"""Every translation catalogue is complete and keeps every placeholder (issue 22).

A catalogue lists the strings marked in its app's code and templates (scripts/messages.py keeps it
in step, and `make test` checks that). Here: each of them has a translation in every language, no
translation is a "fuzzy" guess, and a translation keeps each placeholder of its English: a dropped
`%(name)s` would raise at run time, a dropped `{{ days }}` would silently say the wrong thing.
"""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted((ROOT / "backto").glob("**/locale/*/LC_MESSAGES/django.po"))

# %(name)s and %s / %d (Python), {name} (str.format), {{ name }} (blocktranslate's variables).
PLACEHOLDER = re.compile(
    r"%\([a-z_0-9]+\)[sdfr]|%[sdfr]|\{\{?\s*[a-z_0-9.]*\s*\}?\}", re.IGNORECASE
)


def placeholders(text: str) -> list[str]:
    return sorted(re.sub(r"\s", "", p) for p in PLACEHOLDER.findall(text))


def problems(po_path: Path) -> list[str]:
    found = []
    name = po_path.relative_to(ROOT) if po_path.is_relative_to(ROOT) else po_path.name
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete:
            continue
        what = f"{name}: {entry.msgid[:60]!r}"
        if "fuzzy" in entry.flags:
            found.append(f"{what} is a fuzzy guess, not a translation")
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            if not forms or not all(forms.values()):
                found.append(f"{what} lacks a plural form")
                continue
            english = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural))
            for form in forms.values():
                # A singular may say "one" in words instead of its count; no other may drop one.
                missing = english - set(placeholders(form))
                if missing and form != forms.get(0):
                    found.append(f"{what} drops {sorted(missing)} in {form!r}")
        elif not entry.msgstr:
            found.append(f"{what} has no translation")
        elif placeholders(entry.msgid) != placeholders(entry.msgstr):
            found.append(
                f"{what} changes the placeholders {placeholders(entry.msgid)} to "
                f"{placeholders(entry.msgstr)}"
            )
    return found


def test_there_are_catalogues_in_spanish():
    assert any(path.parts[-3] == "es" for path in CATALOGUES)


@pytest.mark.parametrize(
    "po_path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT / "backto"))
)
def test_every_string_is_translated_and_keeps_its_placeholders(po_path: Path):
    assert problems(po_path) == []


def test_a_missing_translation_or_a_dropped_placeholder_is_caught(tmp_path: Path):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Save", msgstr=""))
    po.append(polib.POEntry(msgid="Hello %(name)s", msgstr="Hola"))
    po.append(polib.POEntry(msgid="{{ days }} days in a row", msgstr="días seguidos"))
    po.append(polib.POEntry(msgid="Fine", msgstr="Bien", flags=["fuzzy"]))
    po.append(
        polib.POEntry(
            msgid="one day",
            msgid_plural="%(n)s days",
            msgstr_plural={0: "un día", 1: "%(n)s días", 2: ""},
        )
    )
    po.append(polib.POEntry(msgid="Hi %(name)s", msgstr="Hola, %(name)s"))
    path = tmp_path / "django.po"
    po.save(str(path))
    found = "\n".join(problems(path))
    assert "'Save' has no translation" in found
    assert "'Hello %(name)s' changes the placeholders" in found
    assert "'{{ days }} days in a row' changes the placeholders" in found
    assert "'Fine' is a fuzzy guess" in found
    assert "'one day' lacks a plural form" in found
    assert "Hi %(name)s" not in found


def test_the_same_english_reads_the_same_in_every_catalogue():
    """Django merges every app's catalogue into one: where two apps translate the same English
    differently, which one a page shows depends on the order of INSTALLED_APPS. Either they agree,
    or the code gives the string a context (pgettext, `translate … context`)."""
    translations: dict[tuple[str, str, str, str], dict[str, object]] = {}
    for po_path in CATALOGUES:
        language, app = po_path.parts[-3], po_path.parent.parent.parent.parent.name
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete:
                continue
            key = (language, entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")
            said = (
                tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
            )
            translations.setdefault(key, {})[app] = said
    disagreements = {
        key[2]: by_app for key, by_app in translations.items() if len(set(by_app.values())) > 1
    }
    assert disagreements == {}
