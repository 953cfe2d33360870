"""Intake forms, for the family at home and for the clinician at the visit."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

from backto.capabilities.exam.intake_queries import SIGN_FEATURES
from backto.capabilities.intake.models import Intake
from backto.capabilities.intake.queries import TallySources
from backto.capabilities.intake.screening_forms import (
    CLINICIAN_TRI_CHOICES,
    FEATURE_ITEMS,
    RED_FLAGS,
    TRI_CHOICES,
    family_question,
    red_flag_question,
)
from backto.clinical.criteria_tallies import BUDAPEST_CATEGORIES
from backto.clinical.screening import PAIN_PATTERNS

HISTORY_FIELDS = [
    "onset_date",
    "trigger",
    "trigger_note",
    "prior_treatments",
    "medicines",
    "workup",
]
# The help of a number the baseline body map gives once it is marked (docs/program.md).
BODY_MAP_TAKES_OVER = "Typed only until a baseline body map is marked: then the map counts it."


class IntakeForm(forms.ModelForm):
    """History, screening items and red flags; `for_family` switches to plain questions, in the
    reader's language (the clinician's labels stay English)."""

    regions = forms.IntegerField(min_value=1, max_value=30, required=False)
    pattern = forms.ChoiceField(required=False)

    class Meta:
        model = Intake
        fields = HISTORY_FIELDS
        widgets = {
            "onset_date": forms.DateInput(attrs={"type": "date"}),
            "prior_treatments": forms.Textarea(attrs={"rows": 2}),
            "medicines": forms.Textarea(attrs={"rows": 2}),
            "workup": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self,
        *args: Any,
        for_family: bool,
        months: int,
        sources: TallySources | None = None,
        map_due: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.for_family = for_family
        self.sources = sources or TallySources()
        intake: Intake = self.instance
        tri = TRI_CHOICES if for_family else CLINICIAN_TRI_CHOICES
        if for_family:
            labels = {
                "onset_date": _("When did the pain start?"),
                "trigger": _("What started it?"),
                "trigger_note": _("Tell us more (optional)"),
                "prior_treatments": _("What has been tried so far?"),
                "medicines": _("Medicines now or before"),
            }
            self.fields.pop("workup")  # the care team's to record
        else:
            labels = {
                "onset_date": "Onset date",
                "trigger": "Trigger",
                "trigger_note": "Trigger note",
                "prior_treatments": "Prior treatments",
                "medicines": "Medicines",
                "workup": "Medical work-up",
            }
        for name, label in labels.items():
            self.fields[name].label = label
        for item in FEATURE_ITEMS:
            stored = intake.screening.get(item.key, {})
            label = (
                family_question(item.key, months)
                if for_family
                else item.label.format(months=months)
            )
            self.fields[f"s_{item.key}"] = forms.ChoiceField(
                label=label,
                choices=tri,
                widget=forms.RadioSelect,
                required=False,
                initial=stored.get("answer", ""),
            )
            if not for_family:
                self.fields[f"n_{item.key}"] = forms.CharField(
                    label=f"Note: {item.label.split(':')[0].format(months=months)}",
                    max_length=300,
                    required=False,
                    initial=stored.get("note", ""),
                )
        self.fields["regions"].label = (
            _("How many areas of the body hurt?") if for_family else "Painful body regions (count)"
        )
        self.fields["regions"].initial = intake.screening.get("distribution", {}).get("value")
        if not for_family:
            self.fields["regions"].help_text = BODY_MAP_TAKES_OVER
        if self.sources.pain_map is not None or map_due:
            # The body map counts the painful regions (marked, or due for this family member to
            # mark): nobody types them. A count typed before stays in the record (screening_data).
            self.fields.pop("regions")
        self.fields["pattern"].label = (
            _("Is the pain there all the time, or does it come and go?")
            if for_family
            else "Pattern"
        )
        if for_family:
            names = {"constant": _("All the time"), "intermittent": _("Comes and goes")}
        else:
            names = {p: p.capitalize() for p in PAIN_PATTERNS}
        pattern_field: forms.ChoiceField = self.fields["pattern"]  # type: ignore[assignment]
        pattern_field.choices = [("", _("Not sure") if for_family else "Unknown")] + [
            (p, names[p]) for p in PAIN_PATTERNS
        ]
        self.fields["pattern"].initial = intake.screening.get("pattern", {}).get("value", "")
        for flag in RED_FLAGS:
            stored = intake.red_flags.get(flag.key, {})
            label = red_flag_question(flag) if for_family else flag.label
            self.fields[f"r_{flag.key}"] = forms.ChoiceField(
                label=label,
                choices=tri,
                widget=forms.RadioSelect,
                required=False,
                initial=stored.get("answer", ""),
            )

    def _bound(self, test: Any) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if test(name)]

    @property
    def history_fields(self) -> list[forms.BoundField]:
        return self._bound(lambda n: n in HISTORY_FIELDS)

    @property
    def red_flag_fields(self) -> list[forms.BoundField]:
        return self._bound(lambda n: n.startswith("r_"))

    @property
    def screening_fields(self) -> list[forms.BoundField]:
        return self._bound(lambda n: n[:2] in ("s_", "n_") or n in ("regions", "pattern"))

    def clean_onset_date(self) -> date | None:
        onset: date | None = self.cleaned_data.get("onset_date")
        if onset and onset > timezone.localdate():
            raise forms.ValidationError(_("The start of the pain cannot be in the future."))
        return onset

    def screening_data(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        result: dict[str, dict[str, Any]] = {}
        for item in FEATURE_ITEMS:
            result[item.key] = {"answer": data.get(f"s_{item.key}") or "unknown"}
            if f"n_{item.key}" in self.fields:  # only the clinician's form has notes
                result[item.key]["note"] = data.get(f"n_{item.key}") or ""
        if "regions" not in self.fields:
            if "distribution" in self.instance.screening:  # typed before the map: kept
                result["distribution"] = self.instance.screening["distribution"]
        elif data.get("regions"):
            result["distribution"] = {"answer": "yes", "value": data["regions"]}
        if data.get("pattern"):
            result["pattern"] = {"answer": "yes", "value": data["pattern"]}
        return result

    def red_flag_data(self) -> dict[str, dict[str, Any]]:
        return {
            flag.key: {"answer": self.cleaned_data.get(f"r_{flag.key}") or "unknown"}
            for flag in RED_FLAGS
        }

    def history_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in HISTORY_FIELDS if name in self.fields}


ACR_FIELDS = ("wpi", "ss", "generalized_regions", "duration_months")
BUDAPEST_LABELS = {
    "allodynia": "Allodynia",
    "hyperalgesia": "Hyperalgesia (pinprick)",
    "temperature_asymmetry": "Temperature asymmetry",
    "colour_change": "Skin colour change or asymmetry",
    "swelling": "Swelling (edema)",
    "sweating_change": "Sweating change or asymmetry",
    "reduced_range_of_motion": "Reduced range of motion",
    "weakness": "Motor weakness",
    "tremor": "Tremor",
    "dystonia": "Dystonia",
    "trophic_change": "Trophic change (hair, nail, skin)",
}


class CriteriaForm(forms.Form):
    """Optional Budapest (symptoms and signs kept apart) and ACR data, for clinicians."""

    disproportionate_pain = forms.ChoiceField(
        choices=CLINICIAN_TRI_CHOICES,
        initial="unknown",
        required=False,
        label="A. Continuing pain disproportionate to any inciting event",
    )
    no_better_explanation = forms.ChoiceField(
        choices=CLINICIAN_TRI_CHOICES,
        initial="unknown",
        required=False,
        label="D. No other diagnosis better explains the signs and symptoms",
    )
    temperature_difference_c = forms.DecimalField(
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=-10,
        max_value=10,
        label="Measured skin temperature difference, affected minus other side (°C)",
    )
    wpi = forms.IntegerField(
        required=False, min_value=0, max_value=19, label="Widespread pain index (WPI, 0–19)"
    )
    ss = forms.IntegerField(
        required=False, min_value=0, max_value=12, label="Symptom severity (SS, 0–12)"
    )
    generalized_regions = forms.IntegerField(
        required=False, min_value=0, max_value=5, label="Regions with pain, of 5 (ACR 2016)"
    )
    duration_months = forms.DecimalField(
        required=False,
        min_value=0,
        max_value=240,
        decimal_places=1,
        label="Symptoms for how many months",
    )

    def __init__(
        self, *args: Any, intake: Intake, sources: TallySources | None = None, **kwargs: Any
    ) -> None:
        self.intake = intake
        self.sources = sources or TallySources()
        budapest, acr = intake.budapest, intake.acr
        initial = {
            "disproportionate_pain": budapest.get("disproportionate_pain", "unknown"),
            "no_better_explanation": budapest.get("no_better_explanation", "unknown"),
            "temperature_difference_c": budapest.get("temperature_difference_c"),
            **{k: acr.get(k) for k in ACR_FIELDS},
        }
        for kind in ("symptoms", "signs"):
            for feature, state in budapest.get(kind, {}).items():
                initial[f"{kind}_{feature}"] = state
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for features in BUDAPEST_CATEGORIES.values():
            for feature in features:
                for kind, word in (("symptoms", "reported"), ("signs", "seen at exam")):
                    if kind == "signs" and feature == "temperature_asymmetry":
                        continue  # a temperature sign comes only from the measured difference
                    self.fields[f"{kind}_{feature}"] = forms.ChoiceField(
                        choices=CLINICIAN_TRI_CHOICES,
                        initial="unknown",
                        required=False,
                        label=f"{BUDAPEST_LABELS[feature]} ({word})",
                    )
        for name in ("wpi", "generalized_regions"):
            self.fields[name].help_text = BODY_MAP_TAKES_OVER
        self.fields[
            "temperature_difference_c"
        ].help_text = (
            "Typed only until a sensory exam is recorded: then its measured difference is used."
        )
        # What the intake's exam answers is shown read-only (the template), not typed again;
        # values typed before it stay in the record (budapest_data and acr_data keep them). A sign
        # the exam left unknown, or a difference it did not measure, is still typed here and
        # counts (summary.merged_signs).
        exam = self.sources.exam
        if exam is not None:
            day = exam.day.isoformat()
            for name in [n for n in self.fields if n.startswith("signs_")]:
                if exam.answered(name.removeprefix("signs_")):
                    self.fields.pop(name)
                else:
                    self.fields[
                        name
                    ].help_text = f"The exam of {day} left this unknown: what is typed here counts."
            if exam.temperature_difference_c is not None:
                self.fields.pop("temperature_difference_c")
            else:
                self.fields[
                    "temperature_difference_c"
                ].help_text = f"Not measured at the exam of {day}: what is typed here counts."
        if self.sources.pain_map is not None:
            self.fields.pop("wpi")
            self.fields.pop("generalized_regions")

    @property
    def exam_signs(self) -> list[tuple[str, str]]:
        """The signs the intake's exam answered (yes or no) as (label, answer), for the
        read-only list."""
        exam = self.sources.exam
        if exam is None:
            return []
        return [(BUDAPEST_LABELS[f], exam.signs[f]) for f in SIGN_FEATURES if exam.answered(f)]

    @property
    def exam_left_unknown(self) -> list[str]:
        """The labels of the signs the intake's exam left unknown (typed in this form)."""
        exam = self.sources.exam
        if exam is None:
            return []
        return [BUDAPEST_LABELS[f] for f in SIGN_FEATURES if not exam.answered(f)]

    @property
    def typed_kept(self) -> list[tuple[str, str]]:
        """What was typed for the signs the exam answers: kept in the record, not used."""
        exam = self.sources.exam
        if exam is None:
            return []
        typed = self.intake.budapest.get("signs", {})
        kept = [
            (BUDAPEST_LABELS[f], typed[f])
            for f in SIGN_FEATURES
            if exam.answered(f) and typed.get(f) in ("yes", "no")
        ]
        difference = self.intake.budapest.get("temperature_difference_c")
        if exam.temperature_difference_c is not None and difference is not None:
            kept.append(("Temperature difference", f"{difference} °C"))
        return kept

    @property
    def budapest_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in ACR_FIELDS]

    @property
    def acr_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ACR_FIELDS if name in self.fields]

    def budapest_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        stored = self.intake.budapest
        # What the exam answers is not in the form: what was typed for it before is kept.
        signs = dict(stored.get("signs", {}))
        signs.update(
            {f: data[f"signs_{f}"] or "unknown" for f in SIGN_FEATURES if f"signs_{f}" in data}
        )
        if "temperature_difference_c" in self.fields:
            diff = data.get("temperature_difference_c")
            temperature = str(diff) if diff is not None else None
        else:
            temperature = stored.get("temperature_difference_c")
        return {
            "disproportionate_pain": data["disproportionate_pain"] or "unknown",
            "no_better_explanation": data["no_better_explanation"] or "unknown",
            "temperature_difference_c": temperature,
            "symptoms": {
                f: data[f"symptoms_{f}"] or "unknown"
                for fs in BUDAPEST_CATEGORIES.values()
                for f in fs
            },
            "signs": signs,
        }

    def acr_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        months = data.get("duration_months")
        typed = {
            # From the body map when it is there: what was typed before is kept.
            name: data.get(name) if name in self.fields else self.intake.acr.get(name)
            for name in ("wpi", "generalized_regions")
        }
        return {
            "wpi": typed["wpi"],
            "ss": data.get("ss"),
            "generalized_regions": typed["generalized_regions"],
            "duration_months": float(months) if months is not None else None,
        }
