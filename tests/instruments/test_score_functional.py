"""`backto score` with functional test lines (docs/functional-tests.md): the same command, the same
exit status, one line out per line in."""

import io
import json

from django.core.management import CommandError, call_command

WALK = {"id": "x", "test": "6mwt", "distance_m": 480, "age_years": 12.5, "sex": "female"}
WALK_LINE = json.dumps({**WALK, "height_cm": 152}) + "\n"
PAIN_LINE = json.dumps({"id": "a1", "instrument": "nrs-pain", "answers": {"current": 6}}) + "\n"


def run(stdin: str) -> tuple[list[dict[str, object]], CommandError | None]:
    out = io.StringIO()
    try:
        call_command("score", stdin=io.StringIO(stdin), stdout=out)
    except CommandError as error:
        return [json.loads(line) for line in out.getvalue().splitlines()], error
    return [json.loads(line) for line in out.getvalue().splitlines()], None


def test_a_6mwt_line_gives_the_distance_the_source_and_why_there_is_no_percent() -> None:
    [result], error = run(WALK_LINE)
    assert error is None
    assert result["id"] == "x" and result["test"] == "6mwt"
    assert result["values"] == {"distance_m": 480.0}
    assert result["percent_predicted"] is None and result["reference"] is None
    assert "checked against its published text" in str(result["no_reference"])
    assert result["engine_version"] == "1.0.0" and result["error"] is None


def test_functional_and_instrument_lines_share_one_run() -> None:
    lines = [
        WALK_LINE,
        PAIN_LINE,
        json.dumps({"id": "t", "test": "tug", "seconds": 7.15, "pace": "comfortable"}) + "\n",
    ]
    results, error = run("".join(lines))
    assert error is None
    assert [r.get("test") or r.get("instrument") for r in results] == ["6mwt", "nrs-pain", "tug"]
    assert results[1]["total"] == 6.0
    assert results[2]["values"] == {"seconds": 7.2}


def test_a_bad_functional_line_makes_the_command_exit_one_and_the_rest_are_scored() -> None:
    bad = json.dumps({"id": "b", "test": "grip", "left_kg": 140}) + "\n"
    results, error = run(WALK_LINE + bad + PAIN_LINE)
    assert error is not None and error.returncode == 1
    assert "1 of 3 lines could not be scored" in str(error)
    assert [r["error"] is None for r in results] == [True, False, True]
    assert "grip: left_kg trial 1: 140 is not allowed: kg, 0 to 100" in str(results[1]["error"])
