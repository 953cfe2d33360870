"""What the clinician types for a sensory, autonomic and motor exam: one form for the exam day,
a group of fields per stimulus and one for the signs.

Fields parse what is typed (a number, a choice, the regions drawn); the limits are the clinical
core's (`backto.clinical.sensory_exam` and `sensory_signs`), checked when the action works the exam out, and its
errors come back keyed by the core's field, shown under the field here (`field_for`)."""

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils import timezone

from backto.capabilities.exam.body_map_widget import BodyMapField
from backto.clinical.sensory_exam import (
    EVOKED_PAIN,
    MONOFILAMENT_FORCES_G,
    STIMULI,
    STIMULUS_KIND,
    STIMULUS_LABELS,
)
from backto.clinical.sensory_signs import (
    ACCLIMATISATION_MIN,
    CIRCUMFERENCE_CM,
    COLOURS,
    ROOM_C,
    SIGN_LABELS,
    SKIN_C,
    SWEATING_LABELS,
    SWELLING_ABOVE_CM,
)
from backto.core.forms import BoundedDateField

SITES = 2  # rows of temperature and of circumference sites on the form (the core takes up to 4)
TRI_CHOICES = [("yes", "Yes"), ("no", "No"), ("unknown", "Not checked")]
STIMULUS_HELP = {
    "brush": "Stroke with a soft brush.",
    "cotton": "Touch with cotton wool.",
    "monofilament": "Press the filament until it bends; give its force.",
    "cold": "Touch with something cold, such as a cool metal tool.",
    "pinprick": "A light pinprick, tested for hyperalgesia: more pain than a pinprick should give.",
}


def _decimal(label: str, help_text: str) -> forms.DecimalField:
    field = forms.DecimalField(required=False, label=label, help_text=help_text)
    field.widget.attrs.update({"inputmode": "decimal", "step": "0.1"})
    return field


def _tri(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        required=False,
        label=label,
        choices=TRI_CHOICES,
        initial="unknown",
        widget=forms.RadioSelect,
    )


@dataclass(frozen=True)
class Group:
    """Fields shown together in one fieldset (`form_fields.html` renders its fields)."""

    legend: str
    key: str
    help: str
    visible_fields: list[BoundField]
    regions: BoundField | None = None  # the body map, drawn apart from the other fields
    hidden_fields: tuple[()] = ()
    non_field_errors: tuple[()] = ()


class SensoryExamForm(forms.Form):
    """The exam day, each stimulus (tested or not, the territory drawn, the evoked pain, the
    monofilament's force), and the signs."""

    day = BoundedDateField(label="Day examined", initial=timezone.localdate)
    note = forms.CharField(
        max_length=200,
        required=False,
        label="Note (optional)",
        help_text="Up to 200 characters, for example how the child managed the exam.",
    )

    # The form's own key, new each time the page draws the form: the same exam sent twice (a
    # double tap, a resend after a slow answer) is saved once (`sensory_exam_record`).
    submission_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This page is out of date: reload it and record the exam again.",
            "invalid": "This page is out of date: reload it and record the exam again.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {
            "submission_key": self.fields["submission_key"],
            "day": self.fields["day"],
        }
        for stimulus in STIMULI:
            label = STIMULUS_LABELS[stimulus]
            fields[f"{stimulus}_tested"] = forms.BooleanField(
                required=False,
                label=f"{label} tested",
                help_text="Tick when tested; drawing a territory counts as tested.",
            )
            if stimulus == "monofilament":
                fields["monofilament_monofilament_g"] = forms.ChoiceField(
                    required=False,
                    label="Monofilament force (g)",
                    choices=[
                        ("", "Choose the force"),
                        *[(str(g), f"{g} g") for g in MONOFILAMENT_FORCES_G],
                    ],
                    help_text="The Semmes-Weinstein filament used; 15 g is usual for mapping.",
                )
            what = "allodynia" if STIMULUS_KIND[stimulus] == "allodynia" else "hyperalgesia"
            fields[f"{stimulus}_regions"] = BodyMapField(
                required=False,
                label=f"{label}: where it evoked pain ({what})",
                help_text="Leave empty when the stimulus evoked no pain.",
            )
            fields[f"{stimulus}_evoked_pain"] = forms.IntegerField(
                required=False,
                label=f"{label}: evoked pain (0 to 10)",
                help_text="With a territory: 0 no pain to 10 worst pain.",
                widget=forms.NumberInput(
                    attrs={"inputmode": "numeric", "min": EVOKED_PAIN[0], "max": EVOKED_PAIN[1]}
                ),
            )
        fields["affected_side"] = forms.ChoiceField(
            required=False,
            label="Affected side",
            choices=[("left", "Left"), ("right", "Right"), ("", "Not one side")],
            initial="",
            widget=forms.RadioSelect,
        )
        fields["room_c"] = _decimal(
            "Room temperature (°C)", f"{ROOM_C[0]} to {ROOM_C[1]} °C, optional."
        )
        fields["acclimatisation_min"] = forms.IntegerField(
            required=False,
            label="Minutes the skin acclimatised",
            help_text=f"{ACCLIMATISATION_MIN[0]} to {ACCLIMATISATION_MIN[1]}, optional.",
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
        for kind, unit, limits, what in (
            ("temperatures", "c", SKIN_C, "Skin temperature"),
            ("circumferences", "cm", CIRCUMFERENCE_CM, "Circumference"),
        ):
            symbol = "°C" if unit == "c" else "cm"
            for index in range(SITES):
                number = index + 1
                fields[f"{kind}_{index}_site"] = forms.CharField(
                    required=False,
                    max_length=60,
                    label=f"{what}, site {number}: where",
                    help_text="The same landmark on both sides, e.g. back of the foot.",
                )
                fields[f"{kind}_{index}_affected_{unit}"] = _decimal(
                    f"{what}, site {number}: affected side ({symbol})",
                    f"{limits[0]} to {limits[1]} {symbol}, to 0.1.",
                )
                fields[f"{kind}_{index}_other_{unit}"] = _decimal(
                    f"{what}, site {number}: other side ({symbol})",
                    f"{limits[0]} to {limits[1]} {symbol}, to 0.1.",
                )
        fields["colour_change"] = _tri(SIGN_LABELS["colour_change"])
        fields["colour"] = forms.ChoiceField(
            required=False,
            label="Colour seen (with a colour change)",
            choices=[
                ("", "Not described"),
                *[(c, c.replace("-", " or ").capitalize()) for c in COLOURS],
            ],
        )
        fields["swelling"] = _tri("Swelling seen")
        fields["sweating_change"] = _tri(SIGN_LABELS["sweating_change"])
        fields["sweating"] = forms.ChoiceField(
            required=False,
            label="Sweating on the affected side (with a change)",
            choices=[
                ("", "Not described"),
                *SWEATING_LABELS.items(),
            ],
        )
        fields["trophic_change"] = _tri(SIGN_LABELS["trophic_change"])
        fields["reduced_range_of_motion"] = _tri(SIGN_LABELS["reduced_range_of_motion"])
        fields["range_of_motion_joints"] = forms.CharField(
            required=False,
            max_length=100,
            label="Which joints move less",
            help_text="With reduced range of motion, e.g. right ankle dorsiflexion.",
        )
        for name in ("weakness", "dystonia", "tremor"):
            fields[name] = _tri(SIGN_LABELS[name])
        fields["note"] = self.fields["note"]
        self.fields = fields

    def add_error(self, field: str | None, error: Any) -> None:
        """As Django's, and each field with an error has its control described by its error list
        (`<id>_error`, then its help `<id>_helptext`), so a screen reader reads why on the field."""
        super().add_error(field, error)
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            described = [f"{bound.auto_id}_error"]
            if bound.help_text:
                described.append(f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)

    # --- What the action takes -----------------------------------------------------------------

    def findings(self) -> list[dict[str, object]]:
        """Each stimulus tested (ticked, or with a territory, pain or force given)."""
        found = []
        data = self.cleaned_data
        for stimulus in STIMULI:
            given = {
                "regions": data.get(f"{stimulus}_regions") or [],
                "evoked_pain": data.get(f"{stimulus}_evoked_pain"),
            }
            if stimulus == "monofilament":
                given["monofilament_g"] = data.get("monofilament_monofilament_g") or None
            if data.get(f"{stimulus}_tested") or any(
                v not in (None, "", []) for v in given.values()
            ):
                found.append({"stimulus": stimulus, **given})
        return found

    def signs(self) -> dict[str, object]:
        data = self.cleaned_data
        signs: dict[str, object] = {
            name: data.get(name) or ""
            for name in (
                "affected_side",
                "colour_change",
                "colour",
                "swelling",
                "sweating_change",
                "sweating",
                "trophic_change",
                "reduced_range_of_motion",
                "range_of_motion_joints",
                "weakness",
                "dystonia",
                "tremor",
            )
        }
        signs["room_c"] = data.get("room_c")
        signs["acclimatisation_min"] = data.get("acclimatisation_min")
        for kind, unit in (("temperatures", "c"), ("circumferences", "cm")):
            rows = []
            for index in range(SITES):
                row = {
                    "site": data.get(f"{kind}_{index}_site") or "",
                    f"affected_{unit}": data.get(f"{kind}_{index}_affected_{unit}"),
                    f"other_{unit}": data.get(f"{kind}_{index}_other_{unit}"),
                }
                if any(v not in (None, "") for v in row.values()):
                    rows.append(row)
            signs[kind] = rows
        return signs

    def field_for(self, key: str, messages: list[str]) -> str:
        """The field that shows the core's errors about `key` (`brush.evoked_pain`,
        `temperatures.0.site`): its dots as underscores; a list's own error on its first site."""
        if key in ("temperatures", "circumferences"):
            return f"{key}_0_site"
        if key in STIMULI:
            return f"{key}_tested"
        return key.replace(".", "_")

    # --- How the page groups it ----------------------------------------------------------------

    def stimulus_groups(self) -> list[Group]:
        groups = []
        for stimulus in STIMULI:
            names = [f"{stimulus}_tested"]
            if stimulus == "monofilament":
                names.append("monofilament_monofilament_g")
            names.append(f"{stimulus}_evoked_pain")
            groups.append(
                Group(
                    STIMULUS_LABELS[stimulus],
                    stimulus,
                    STIMULUS_HELP[stimulus],
                    [self[name] for name in names],
                    self[f"{stimulus}_regions"],
                )
            )
        return groups

    def sign_groups(self) -> list[Group]:
        def fields(*names: str) -> list[BoundField]:
            return [self[name] for name in names]

        sites = {
            kind: [
                self[name]
                for index in range(SITES)
                for name in (
                    f"{kind}_{index}_site",
                    f"{kind}_{index}_affected_{unit}",
                    f"{kind}_{index}_other_{unit}",
                )
            ]
            for kind, unit in (("temperatures", "c"), ("circumferences", "cm"))
        }
        return [
            Group(
                "Skin temperature",
                "temperature",
                "Mirror sites on both sides, to 0.1 °C. A difference of more than 1.0 °C is "
                "flagged (the Budapest sign's threshold).",
                fields("affected_side", "room_c", "acclimatisation_min") + sites["temperatures"],
            ),
            Group(
                "Colour, swelling and sweating",
                "vasomotor",
                f"Circumference at the same landmark on both sides, to 0.1 cm; more than "
                f"{SWELLING_ABOVE_CM} cm larger on the affected side counts as swelling.",
                fields("colour_change", "colour", "swelling")
                + sites["circumferences"]
                + fields("sweating_change", "sweating"),
            ),
            Group(
                "Motor and trophic signs",
                "motor",
                "",
                fields(
                    "trophic_change",
                    "reduced_range_of_motion",
                    "range_of_motion_joints",
                    "weakness",
                    "dystonia",
                    "tremor",
                ),
            ),
        ]
