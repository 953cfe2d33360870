"""What the clinician types for each functional test, and the test a page asks for.

Fields parse what is typed (a number, a choice); the limits are the clinical core's, shown in
each field's help text from the core's own description and checked by the core when the action
scores the test, so a limit is written once (`backto/clinical/functional_tests.py`)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from backto.clinical.functional_tests import TESTS
from backto.core.forms import BoundedDateField, ParameterForm


def _help(test_id: str, name: str) -> str:
    description = TESTS[test_id].inputs.model_fields[name].description or ""
    return description[0].upper() + description[1:] + "." if description else ""


def _number(test_id: str, name: str, label: str, *, whole: bool = False) -> forms.Field:
    field: forms.Field
    if whole:
        field = forms.IntegerField(required=False, label=label)
        field.widget.attrs.update({"inputmode": "numeric"})
    else:
        field = forms.DecimalField(required=False, label=label)
        field.widget.attrs.update({"inputmode": "decimal", "step": "any"})
    field.help_text = _help(test_id, name)
    return field


class FunctionalTestForm(forms.Form):
    """The fields every test has; each test's form adds its own inputs (`core_fields`)."""

    test_id = ""
    core_fields: tuple[str, ...] = ()

    day = BoundedDateField(label="Day tested", initial=timezone.localdate)
    note = forms.CharField(
        max_length=200,
        required=False,
        label="Note (optional)",
        help_text="Up to 200 characters, for example how the child managed.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The day first, the test's own fields, the note last.
        self.order_fields(["day", *[n for n in self.fields if n not in ("day", "note")], "note"])

    def inputs(self) -> dict[str, Any]:
        """The core's inputs from what was typed (empty ones left out by the action)."""
        return {name: self.cleaned_data.get(name) for name in self.core_fields}

    def field_for(self, key: str, messages: list[str]) -> str:
        """The field that shows the core's errors about its input `key` (apply_errors)."""
        return key


class SixMinuteWalkForm(FunctionalTestForm):
    test_id = "6mwt"
    core_fields = ("distance_m", "course_length_m", "rests", "height_cm")
    distance_m = _number("6mwt", "distance_m", "Distance walked (m)")
    course_length_m = _number("6mwt", "course_length_m", "Course length (m)")
    rests = _number("6mwt", "rests", "Rests taken", whole=True)
    height_cm = _number("6mwt", "height_cm", "Height today (cm)")


class SitToStandForm(FunctionalTestForm):
    test_id = "30s-sts"
    core_fields = ("repetitions", "chair_height_cm")
    repetitions = _number("30s-sts", "repetitions", "Full stands in 30 seconds", whole=True)
    chair_height_cm = _number("30s-sts", "chair_height_cm", "Seat height (cm)")


class TimedUpAndGoForm(FunctionalTestForm):
    test_id = "tug"
    core_fields = ("seconds", "pace")
    seconds = _number("tug", "seconds", "Time (seconds)")
    pace = forms.ChoiceField(
        required=False,
        label="Pace the child was asked to walk at",
        choices=[("comfortable", "Comfortable (usual pace)"), ("fast", "Fast, without running")],
        widget=forms.RadioSelect,
    )


class SingleLegStanceForm(FunctionalTestForm):
    test_id = "single-leg-stance"
    core_fields = ("left_s", "right_s", "eyes", "cap_s")
    left_s = _number("single-leg-stance", "left_s", "Standing on the left leg (seconds)")
    right_s = _number("single-leg-stance", "right_s", "Standing on the right leg (seconds)")
    eyes = forms.ChoiceField(
        label="Eyes",
        choices=[("open", "Open"), ("closed", "Closed")],
        initial="open",
        widget=forms.RadioSelect,
    )
    cap_s = forms.TypedChoiceField(
        label="Timing stops at (the protocol's cap)",
        choices=[(30, "30 seconds"), (60, "60 seconds")],
        coerce=int,
        initial=30,
        widget=forms.RadioSelect,
    )


GRIP_TRIALS = 3


class GripForm(FunctionalTestForm):
    """Up to three trials for each hand, each its own field (a number keypad on a tablet)."""

    test_id = "grip"
    core_fields = ("dynamometer", "handle_position")
    dynamometer = forms.CharField(
        max_length=80,
        required=False,
        label="Dynamometer (make)",
        help_text=_help("grip", "dynamometer"),
    )
    handle_position = _number("grip", "handle_position", "Handle position", whole=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trials: dict[str, forms.Field] = {}
        for hand, side in (("left_kg", "Left"), ("right_kg", "Right")):
            for trial in range(1, GRIP_TRIALS + 1):
                field = _number("grip", hand, f"{side} hand, trial {trial} (kg)")
                field.help_text = (
                    "kg, 0 to 100; the best of the trials counts." if trial == 1 else ""
                )
                trials[f"{hand}_{trial}"] = field
        # After the day, the trials: the measure before the equipment; the note last.
        self.fields = {"day": self.fields["day"], **trials, **self.fields}

    def inputs(self) -> dict[str, Any]:
        given = super().inputs()
        for hand in ("left_kg", "right_kg"):
            trials: list[Decimal] = [
                value
                for trial in range(1, GRIP_TRIALS + 1)
                if (value := self.cleaned_data.get(f"{hand}_{trial}")) is not None
            ]
            given[hand] = trials or None
        return given

    def field_for(self, key: str, messages: list[str]) -> str:
        if key in ("left_kg", "right_kg"):
            trial = next(
                (
                    m.split(":")[0].removeprefix("Trial ")
                    for m in messages
                    if m.startswith("Trial ")
                ),
                "1",
            )
            return f"{key}_{trial}"
        return key


FORMS: dict[str, type[FunctionalTestForm]] = {
    form.test_id: form
    for form in (SixMinuteWalkForm, SitToStandForm, TimedUpAndGoForm, SingleLegStanceForm, GripForm)
}
assert set(FORMS) == set(TESTS), "a form for every test of the clinical core"


class ChosenTestForm(ParameterForm):
    """The test whose form a page shows (`?test=`, the first test when not given), or the one
    a form posts (its hidden `test`, required): another value is a 400 naming the field."""

    test = forms.ChoiceField(choices=[(t, TESTS[t].name) for t in TESTS], required=False)

    def __init__(self, data: Any, *, required: bool = False) -> None:
        super().__init__(data)
        self.fields["test"].required = required

    def chosen(self) -> str:
        return str(self.checked().get("test") or next(iter(TESTS)))
