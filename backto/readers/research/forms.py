from django import forms

from backto.access.accounts.models import Clinic
from backto.core.forms import BoundedDateField
from backto.readers.research.actions import CODE_RULE
from backto.readers.research.models import ResearchStudy
from backto.readers.research.queries import CohortFilter


class StudyForm(forms.Form):
    study = forms.CharField(
        label="Study code",
        help_text=CODE_RULE,
        widget=forms.TextInput(attrs={"maxlength": 30}),
        error_messages={
            "required": f"Enter the study code: {CODE_RULE}.",
            "null_characters_not_allowed": f"The study code must be {CODE_RULE}.",
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        # Its own ids: the download's form on the same page has a "study" field too.
        kwargs.setdefault("auto_id", "new_%s")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class ExportForm(forms.Form):
    study = forms.ModelChoiceField(
        label="Study",
        queryset=ResearchStudy.objects.none(),
        to_field_name="code",
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the clinic's studies."},
    )
    start = BoundedDateField(label="Program started from")
    end = BoundedDateField(label="to")
    discharged_only = forms.BooleanField(label="Discharged only", required=False)

    def __init__(self, *args: object, clinic: Clinic, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["study"].queryset = ResearchStudy.objects.filter(clinic=clinic)  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end of the period must not come before its start.")
        return data

    def cohort_filter(self) -> CohortFilter:
        data = self.cleaned_data
        return CohortFilter(data["start"], data["end"], data["discharged_only"])
