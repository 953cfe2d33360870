"""Fuzzing the inputs that were server errors: whatever a request or a file holds, the answer is
a page, a redirect or a message naming the field (400), never a 500, and the checks every page
shares refuse exactly what they do not allow."""

import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backto.capabilities.homeprogram.models import ExerciseLog
from backto.clinical.instrument_packs import InstrumentPack, InstrumentPackError, pack_from_json
from backto.core.forms import BadParameter, ParameterForm, RecordIdField, SwitchField

# Requests share the test's database and client: nothing needs rolling back between examples.
REQUESTS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(), children),
    max_leaves=40,
)


class Tick(ParameterForm):
    item = RecordIdField()
    done = SwitchField()


def checked(**data: str) -> dict:
    return Tick({"item": "1", "done": "1", **data}).checked()


@given(st.text() | st.from_regex(r"[0-9]{1,25}", fullmatch=True))
def test_a_record_id_is_ascii_digits_within_64_bits_or_refused(value: str) -> None:
    if value.isascii() and value.isdigit() and len(value) <= 18:
        assert checked(item=value)["item"] == int(value) < 2**63
    else:
        with pytest.raises(BadParameter, match="“item” must be a record number"):
            checked(item=value)


@given(st.text(max_size=3))
def test_a_switch_is_0_or_1_or_refused(value: str) -> None:
    if value in ("0", "1"):
        assert checked(done=value)["done"] is (value == "1")
    else:
        with pytest.raises(BadParameter, match=r"“done” must be 1 \(on\) or 0 \(off\)\."):
            checked(done=value)


def _read(content: str | bytes) -> InstrumentPack | str:
    try:
        return pack_from_json(content, source="fuzz.json")
    except InstrumentPackError as error:
        return str(error)


@pytest.mark.slow
@settings(max_examples=200)
@given(
    st.one_of(
        JSON.map(json.dumps),
        st.fixed_dictionaries(
            {"instrument": st.text(), "version": st.text(), "items": JSON, "pack_format": JSON}
        ).map(json.dumps),
        st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
        st.integers(1, 3000).map(lambda n: '{"pack_format": ' + "9" * n + "}"),
        st.text(),
        st.binary(),
    )
)
def test_any_pack_file_is_a_pack_or_a_refusal_naming_the_file(content: str | bytes) -> None:
    result = _read(content)
    assert isinstance(result, InstrumentPack) or result.startswith("fuzz.json")


@pytest.mark.slow
@REQUESTS
@given(
    item=st.text(max_size=30) | st.from_regex(r"[0-9]{1,30}", fullmatch=True),
    done=st.text(max_size=3),
    back=st.text(max_size=40),
)
def test_any_tick_is_a_redirect_or_a_named_refusal(
    as_user, gina, episode, walk_item, item, done, back
):
    client = as_user(gina)
    response = client.post(
        reverse("exercises_today", args=[episode.pk]), {"item": item, "done": done, "next": back}
    )
    assert response.status_code in (302, 400, 404)
    if response.status_code == 400:
        assert ExerciseLog.objects.filter(item=walk_item).count() <= 1
    if response.status_code == 302:
        assert response["Location"].startswith("/")


@pytest.mark.slow
@REQUESTS
@given(
    since=st.dates(),
    until=st.dates(),
    actor=st.text(max_size=200),
    patient=st.text(max_size=25),
)
def test_any_audit_filter_is_a_page_or_a_named_refusal(as_user, ada, since, until, actor, patient):
    query = {"since": since.isoformat(), "until": until.isoformat(), "actor": actor}
    response = as_user(ada).get(reverse("audit_log"), {**query, "patient": patient})
    assert response.status_code in (200, 400)


@pytest.mark.slow
@REQUESTS
@given(start=st.dates(), end=st.dates())
def test_any_outcomes_period_is_a_page_or_a_named_refusal(as_user, cora, start, end):
    period = {"start": start.isoformat(), "end": end.isoformat()}
    for name in ("outcomes", "outcomes_export"):
        assert as_user(cora).get(reverse(name), period).status_code in (200, 400, 409)


@pytest.mark.slow
@REQUESTS
@given(steps=st.lists(st.text(max_size=300), max_size=25))
def test_any_small_steps_make_a_goal_or_a_named_refusal(as_user, pat, episode, steps):
    from tests.goals.test_goals import new_goal

    response = as_user(pat).post(
        reverse("goal_list", args=[episode.pk]), new_goal(steps="\n".join(steps))
    )
    assert response.status_code in (200, 302)
