"""The forms of the body map the family marks, and the care team's period for the heat map."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backto.access.patients.respondents import FAMILY_RESPONDENTS, Respondent
from backto.capabilities.exam.body_map_widget import BodyMapField
from backto.core.forms import BoundedDateField, ParameterField, ParameterForm

NOWHERE = "nowhere"


class FamilyRespondentField(ParameterField):
    """Whose map a family page is about, as the page sends it: `child` or `parent`."""

    problem = gettext_lazy("“{name}” must be “child” or “parent”.")

    def clean(self, value: Any) -> str:
        value = self.to_python(value)
        if not value and not self.required:
            return ""
        if value not in FAMILY_RESPONDENTS:
            raise self.refuse()
        return str(value)


class MapForForm(ParameterForm):
    """The family page's `?for=child|parent` (which of the maps due to show; empty: the first)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["for"] = FamilyRespondentField(required=False)  # `for` is a Python word


class PostedRespondentForm(ParameterForm):
    """The respondent a family's map is posted for, read before the map's own form so that its
    words (the legend an error names) are the right person's."""

    respondent = FamilyRespondentField()


class _MarkedMapForm(forms.Form):
    """What both map forms share: the regions, and "Nowhere right now" as its own button
    (`nowhere` in the data), a real answer; saving with nothing marked asks to choose it. A new
    form carries a fresh submission key, so that a form sent twice saves once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)

    @property
    def nowhere(self) -> bool:
        return NOWHERE in self.data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        regions = cleaned.get("regions")
        if regions is None:
            return cleaned
        if self.nowhere and regions:
            self.add_error(
                "regions",
                _(
                    "You chose “Nowhere right now” with places marked: untick the places, or "
                    "save them with “Save these places”."
                ),
            )
        elif not self.nowhere and not regions:
            self.add_error(
                "regions",
                _("Mark at least one place on the body, or choose “Nowhere right now”."),
            )
        return cleaned


class PainMapForm(_MarkedMapForm):
    """One map at one point: the point travels in hidden fields (the action checks it is open)."""

    respondent = forms.ChoiceField(
        choices=[(r.value, r.label) for r in Respondent if r in FAMILY_RESPONDENTS],
        widget=forms.HiddenInput,
    )
    timepoint = forms.CharField(max_length=20, widget=forms.HiddenInput)
    label = forms.CharField(max_length=60, widget=forms.HiddenInput)
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    regions = BodyMapField(required=False, label=gettext_lazy("Where it bothered"))

    def __init__(self, *args: Any, regions_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if regions_label:
            self.fields["regions"].label = regions_label


# Whose map the care team records, as the point's choice says it.
STAFF_RESPONDENT_WORDS = {
    Respondent.CHILD: "the child's map, from their paper form",
    Respondent.PARENT: "a parent's map, from their paper form",
    Respondent.CLINICIAN: "your own map as the clinician",
}


@dataclass(frozen=True)
class PostedPoint:
    respondent: str
    timepoint: str
    label: str


def point_value(point: Any) -> str:
    """A point's value in the care team's form: respondent, timepoint and label."""
    return f"{point.respondent}|{point.timepoint}|{point.label}"


class StaffPainMapForm(_MarkedMapForm):
    """A map the care team records at a point open now (`pain_map_queries.due_for_care_team`):
    the family's answers from paper, or the clinician's own map. The point is chosen among
    those open; the day is the one the map was marked on (a paper form may be a few days old)."""

    # The open points are the choices shown; a point posted is parsed, not looked up among
    # them, so that a form sent twice answers with the map it saved, and a point that closed
    # meanwhile is refused by the action with its reason.
    point = forms.CharField(
        label="Check-in and whose map",
        max_length=100,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the check-in and whose map it is."},
    )
    day = BoundedDateField(label="Day it was marked")
    regions = BodyMapField(required=False, label="Where it bothered (recorded map)")
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, points: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.points = {point_value(p): p for p in points}
        widget = self.fields["point"].widget
        assert isinstance(widget, forms.RadioSelect)
        widget.choices = [
            (value, f"{p.label}: {STAFF_RESPONDENT_WORDS[Respondent(p.respondent)]}")
            for value, p in self.points.items()
        ]
        if len(self.points) == 1:
            self.initial.setdefault("point", next(iter(self.points)))

    def clean_point(self) -> PostedPoint:
        respondent, _sep, rest = self.cleaned_data["point"].partition("|")
        timepoint, _sep, label = rest.partition("|")
        if respondent not in Respondent.values or not timepoint or not label:
            raise ValidationError("Choose one of the check-ins listed.", code="invalid_choice")
        return PostedPoint(respondent, timepoint, label)


class PeriodForm(forms.Form):
    """The heat map's period (both days included) and whose maps it counts and compares: by
    default the family's line (at each point the child's map, else a parent's), else one
    respondent's maps."""

    start = BoundedDateField(label="From", required=False)
    end = BoundedDateField(label="To", required=False)
    respondent = forms.ChoiceField(
        label="Marked by",
        required=False,
        choices=[
            ("", "The family (the child's map, else a parent's)"),
            ("child", "The child"),
            ("parent", "A parent"),
            ("clinician", "A clinician"),
        ],
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The last day is on or after the first day.")
        return cleaned
