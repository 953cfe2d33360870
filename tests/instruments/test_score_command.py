"""`backto score`: JSON lines or CSV in, one result per line out, exit status 1 on any bad line."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

PROJECT = Path(__file__).resolve().parents[2]
GOOD = json.dumps({"id": "a1", "instrument": "nrs-pain", "answers": {"current": 6}}) + "\n"
BAD = json.dumps({"id": "b1", "instrument": "nrs-pain", "answers": {"current": 11}}) + "\n"


def run(*args: str, stdin: str = "") -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("score", *args, stdin=io.StringIO(stdin), stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_it_scores_json_lines_from_stdin_without_touching_the_database() -> None:
    output, error = run(stdin=GOOD)
    assert error is None
    assert json.loads(output) == {
        "id": "a1",
        "instrument": "nrs-pain",
        "version": "1.0.0",
        "total": 6.0,
        "prorated": False,
        "missing": 0,
        "band": "moderate",
        "subscales": {"usual_week": None, "worst_week": None},
        "error": None,
    }


def test_it_fails_with_status_one_when_a_line_fails_but_scores_the_rest() -> None:
    output, error = run("-", stdin=GOOD + BAD + GOOD)
    assert error is not None
    assert error.returncode == 1
    assert "1 of 3 lines could not be scored" in str(error)
    results = [json.loads(text) for text in output.splitlines()]
    assert [r["error"] is None for r in results] == [True, False, True]
    assert "allowed: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10" in results[1]["error"]


def test_empty_input_is_not_an_error() -> None:
    assert run(stdin="") == ("", None)


def test_it_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "answers.jsonl"
    path.write_text(GOOD * 3, encoding="utf-8")
    output, error = run(str(path))
    assert error is None
    assert len(output.splitlines()) == 3


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    _, error = run(str(tmp_path / "nope.jsonl"))
    assert error is not None
    assert "cannot read" in str(error) and "nope.jsonl" in str(error)


def test_it_scores_csv(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(
        "id,instrument,current,usual_week\nr1,nrs-pain,2,3\nr2,nrs-pain,12,\n", encoding="utf-8"
    )
    output, error = run(str(path), "--format", "csv")
    assert error is not None and error.returncode == 1
    header, first, second = output.splitlines()
    assert header.startswith("id,instrument,version,total,prorated,missing,band,")
    assert first.startswith("r1,nrs-pain,1.0.0,2.0,false,0,mild,")
    assert second.startswith("r2,nrs-pain,1.0.0,,,,,") and "12 is not one of its answers" in second


def test_csv_from_stdin() -> None:
    output, error = run("--format", "csv", stdin="id,instrument,current\nr1,nrs-pain,0\n")
    assert error is None
    assert output.splitlines()[1].startswith("r1,nrs-pain,1.0.0,0.0,false,0,none,")


def test_a_bad_csv_header_is_a_command_error() -> None:
    _, error = run("--format", "csv", stdin="name,instrument,current\n")
    assert error is not None
    assert "must start with id,instrument" in str(error)


@pytest.mark.slow
def test_the_console_command_exits_zero_or_one_and_needs_no_database(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "BACKTO_SECRET_KEY": "not-a-secret-for-tests",
        "BACKTO_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": str(PROJECT),
    }
    command = [sys.executable, "-m", "backto.manage", "score"]
    ok = subprocess.run(
        command, input=GOOD, capture_output=True, text=True, env=env, cwd=PROJECT, check=False
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["total"] == 6.0
    bad = subprocess.run(
        command, input=GOOD + BAD, capture_output=True, text=True, env=env, cwd=PROJECT, check=False
    )
    assert bad.returncode == 1
    assert "1 of 2 lines could not be scored" in bad.stderr
    assert len(bad.stdout.splitlines()) == 2
    assert not (tmp_path / "var" / "backto.sqlite3").exists()
