"""Documentation that tests keep honest: every setting and script variable is in the README."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]


def used_variables() -> set[str]:
    names = set(
        re.findall(r'env(?:bool|int|list)?\("([A-Z_]+)"', (ROOT / "backto/settings.py").read_text())
    )
    for script in ("scripts/run",):
        names |= set(re.findall(r"BACKTO_([A-Z_]+)", (ROOT / script).read_text()))
    return {f"BACKTO_{n}" for n in names} - {"BACKTO_TESTING"}


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in used_variables() if f"`{name}`" not in readme)
    assert not missing, f"document these in README.md's configuration table: {missing}"


def test_the_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme


def test_ci_runs_the_readmes_test_command():
    assert "make test" in (ROOT / ".ci/run").read_text()


def test_every_pinned_runtime_dependency_is_explained():
    readme = (ROOT / "README.md").read_text().lower()
    wanted = [
        line.split("[")[0].split(">")[0].split("<")[0].strip().lower()
        for line in (ROOT / "requirements.in").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert [name for name in wanted if name not in readme] == []
