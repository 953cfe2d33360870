"""docs/fhir.md names every type, extension and LOINC code the endpoint serves."""

import re
from pathlib import Path

from backto.readers.fhir import care, communications, measures, observations
from backto.readers.fhir.catalogue import TYPES
from backto.readers.fhir.codes import LOINC_TOTALS, SYSTEM

DOC = (Path(__file__).parents[2] / "docs" / "fhir.md").read_text()


def test_every_type_and_its_parameters_are_documented():
    for kind in TYPES.values():
        row = next((line for line in DOC.splitlines() if line.startswith(f"| {kind.name} |")), None)
        assert row is not None, kind.name
        for name, _, _ in kind.params:
            assert f"`{name}`" in row, (kind.name, name)


def test_every_extension_and_code_system_is_documented():
    urls = set()
    for module in (care, communications, measures, observations):
        urls |= set(
            re.findall(r'"(urn:backto:extension:[a-z-]+)"', Path(module.__file__ or "").read_text())
        )
    assert urls
    for url in urls:
        assert url.rsplit(":", 1)[-1] in DOC, url
    assert SYSTEM in DOC
    for loinc, _ in LOINC_TOTALS.values():
        assert loinc in DOC
