"""No screen or document says a child has AMPS, CRPS or fibromyalgia (DESIGN.md safety rules)."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]
DIAGNOSTIC = re.compile(
    r"\b(has|have|diagnos\w*( of| with)?|suffers? from|consistent with|confirms?|meets criteria for)"
    r"\s+(amps|crps|fibromyalgia|amplified musculoskeletal pain syndrome|complex regional pain)",
    re.IGNORECASE,
)


def texts():
    # The shared templates, the instrument files, and every capability's and reader's own
    # templates (the intake's tallies read from the exam among them).
    folders = [ROOT / "backto/templates", ROOT / "backto/clinical/instrument_files"]
    folders += sorted((ROOT / "backto").glob("*/*/templates"))
    for folder in folders:
        for path in folder.rglob("*"):
            if path.suffix in {".html", ".txt", ".json", ".md"}:
                yield path, path.read_text()


def test_the_scan_reads_the_capabilities_templates():
    scanned = {str(p.relative_to(ROOT)) for p, _ in texts()}
    assert "backto/capabilities/intake/templates/intake/_signs_from_exam.html" in scanned


def test_no_template_or_instrument_says_a_child_has_the_condition():
    found = [
        (str(p.relative_to(ROOT)), m.group(0)) for p, t in texts() for m in DIAGNOSTIC.finditer(t)
    ]
    assert found == []


def test_the_scan_would_catch_diagnostic_wording():
    assert DIAGNOSTIC.search("Your child has AMPS.")
    assert DIAGNOSTIC.search("findings consistent with CRPS")
    assert not DIAGNOSTIC.search("features often seen in amplified pain")
