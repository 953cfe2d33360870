"""The medicine forms: the entry (add and edit), the quick stop, and the clinic's names. No field
for a dose, a strength or a route: BackTo is not a prescribing system."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backto.capabilities.medicines.models import NAME_MAX, DatePrecision
from backto.core.forms import BoundedDateField

OTHER = ""


class MedicineForm(forms.Form):
    listed_name = forms.ChoiceField(
        required=False,
        label=_("Which medicine"),
        help_text=_("Choose it from the clinic's list, or write its name in the next box."),
    )
    other_name = forms.CharField(
        required=False,
        max_length=NAME_MAX,
        label=_("Or write its name"),
        help_text=_("Only the name, as on the box or bottle. No doses here."),
    )
    purpose = forms.CharField(
        required=False,
        max_length=200,
        label=_("What it is for"),
        help_text=_("For example: sleep, headaches, the foot pain."),
    )
    how_often = forms.CharField(
        required=False,
        max_length=100,
        label=_("How often, in words"),
        help_text=_("For example: every evening, only on bad days."),
    )
    started_on = BoundedDateField(required=False, label=_("Started"))
    started_month_only = forms.BooleanField(required=False, label=_("Only the month it started"))
    stopped_on = BoundedDateField(
        required=False,
        label=_("Stopped"),
        help_text=_("Leave it empty while the medicine is still taken."),
    )
    stopped_month_only = forms.BooleanField(required=False, label=_("Only the month it stopped"))
    reduced_on = BoundedDateField(
        required=False,
        label=_("Taken less since"),
        help_text=_(
            "The day it was cut down: taken less often, or less of it. Write how often now above. "
            "Leave it empty otherwise."
        ),
    )
    helped = forms.CharField(
        required=False,
        max_length=300,
        label=_("Did it help? In the family's words"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, names: list[str], language: str = "", **kwargs: Any) -> None:
        """`names`: the names the clinic's list offers (and the entry's own, when editing one
        picked from it). `language`: the family's, on the boxes for their words."""
        super().__init__(*args, **kwargs)
        field = self.fields["listed_name"]
        field.choices = [  # type: ignore[attr-defined]
            (OTHER, _("Not on the list (write it below)")),
            *((name, name) for name in names),
        ]
        if language:
            for name in ("purpose", "how_often", "helped"):
                self.fields[name].widget.attrs["lang"] = language

    def entry(self) -> dict[str, Any]:
        """The cleaned form as the actions take it."""
        data = self.cleaned_data
        listed = data["listed_name"]
        return {
            "name": listed or data["other_name"],
            "from_list": bool(listed),
            "purpose": data["purpose"],
            "how_often": data["how_often"],
            "started_on": data["started_on"],
            "started_precision": _precision(data["started_month_only"]),
            "stopped_on": data["stopped_on"],
            "stopped_precision": _precision(data["stopped_month_only"]),
            "reduced_on": data["reduced_on"],
            "helped": data["helped"],
        }

    @staticmethod
    def field_for(name: str, messages: list[str]) -> str:
        """Where an action's error shows (apply_errors): its name on the name's boxes."""
        return {"name": "other_name"}.get(name, name)


def _precision(month_only: bool) -> str:
    return DatePrecision.MONTH if month_only else DatePrecision.DAY


def initial_for(medicine: Any, names: list[str]) -> dict[str, Any]:
    """The edit form's first values, from the entry."""
    listed = medicine.name if medicine.from_list and medicine.name in names else OTHER
    return {
        "listed_name": listed,
        "other_name": "" if listed else medicine.name,
        "purpose": medicine.purpose,
        "how_often": medicine.how_often,
        "started_on": medicine.started_on,
        "started_month_only": medicine.started_precision == DatePrecision.MONTH,
        "stopped_on": medicine.stopped_on,
        "stopped_month_only": medicine.stopped_precision == DatePrecision.MONTH,
        "reduced_on": medicine.reduced_on,
        "helped": medicine.helped,
    }


class StopForm(forms.Form):
    stopped_on = BoundedDateField(label=_("Stopped on"))
    stopped_month_only = forms.BooleanField(required=False, label=_("Only the month it stopped"))

    def stop(self) -> dict[str, Any]:
        day: date = self.cleaned_data["stopped_on"]
        return {
            "stopped_on": day,
            "stopped_precision": _precision(self.cleaned_data["stopped_month_only"]),
        }


class NameForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX, label=_("Medicine name"))


class NameEditForm(forms.Form):
    new_name = forms.CharField(max_length=NAME_MAX, label=_("Name"))
    active = forms.BooleanField(required=False, label=_("Offer it when a medicine is added"))

    def __init__(self, *args: Any, current: str = "", **kwargs: Any) -> None:
        """`current`: the name as it is, so that each row's boxes say which name they change."""
        super().__init__(*args, **kwargs)
        if current:
            self.fields["new_name"].label = _("Name (now “%(name)s”)") % {"name": current}
            self.fields["active"].label = _("Offer “%(name)s” when a medicine is added") % {
                "name": current
            }
