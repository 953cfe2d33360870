from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backto.capabilities.homeprogram.actions import DOSE_FIELDS, ITEM_FIELDS
from backto.capabilities.homeprogram.models import Exercise, HomeProgramItem
from backto.capabilities.homeprogram.touch_words import (
    LABELS,
    MINUTES_RULE,
    SOMETHING_ELSE,
    problem_words,
)
from backto.clinical import desensitization
from backto.clinical.desensitization import Tolerated
from backto.core.forms import OpenDayField, ParameterForm, RecordIdField, SwitchField, local_path

DOSE_LABELS = {
    "add_minutes_per_week": "Add minutes each week",
    "max_minutes": "Most minutes (the progression stops there)",
    "progression_note": "Progression, in words (optional)",
}


class ExerciseForm(forms.ModelForm):
    class Meta:
        model = Exercise
        fields = [
            "name",
            "category",
            "instructions",
            "default_sets",
            "default_reps",
            "default_minutes",
            "media",
        ]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 3})}

    name_es = forms.CharField(
        max_length=120,
        required=False,
        label="Name in Spanish (optional)",
        widget=forms.TextInput(attrs={"lang": "es"}),
    )
    instructions_es = forms.CharField(
        required=False,
        label="Instructions in Spanish (optional)",
        help_text="A family reading BackTo in Spanish sees these; without them, the English.",
        widget=forms.Textarea(attrs={"rows": 3, "lang": "es"}),
    )

    def translations(self) -> dict[str, dict[str, str]]:
        """The Spanish words typed, for Exercise.translations."""
        return words_for("es", self.cleaned_data["name_es"], self.cleaned_data["instructions_es"])


def words_for(language: str, name: str, instructions: str) -> dict[str, dict[str, str]]:
    words = {k: v.strip() for k, v in (("name", name), ("instructions", instructions)) if v}
    return {language: words} if words else {}


class ExerciseWordsForm(forms.Form):
    """An exercise's family-facing words in Spanish, on the library page (empty: the English)."""

    name = forms.CharField(
        max_length=120,
        required=False,
        label="Name in Spanish",
        widget=forms.TextInput(attrs={"lang": "es"}),
    )
    instructions = forms.CharField(
        required=False,
        label="Instructions in Spanish",
        widget=forms.Textarea(attrs={"rows": 3, "lang": "es"}),
    )

    def __init__(self, *args: Any, exercise: Exercise, **kwargs: Any) -> None:
        own = exercise.translations.get("es", {})
        kwargs.setdefault("initial", {k: own.get(k, "") for k in ("name", "instructions")})
        kwargs["auto_id"] = f"id_es{exercise.pk}_%s"
        super().__init__(*args, **kwargs)
        self.exercise = exercise


class HomeProgramItemForm(forms.ModelForm):
    class Meta:
        model = HomeProgramItem
        fields = list(ITEM_FIELDS)
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"})}
        labels = DOSE_LABELS

    def __init__(self, *args: Any, exercises: QuerySet[Exercise], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"start_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = exercises  # type: ignore[attr-defined]


class DoseForm(forms.ModelForm):
    """A change to an exercise's dose. The minutes it shows are the dose today, progression
    included: what the family is doing now, and where a new progression counts on from."""

    class Meta:
        model = HomeProgramItem
        fields = list(DOSE_FIELDS)
        labels = {**DOSE_LABELS, "minutes": "Minutes from today"}

    def __init__(
        self, *args: Any, item: HomeProgramItem, minutes_today: int | None, **kwargs: Any
    ) -> None:
        self.item = item
        initial = {name: getattr(item, name) for name in DOSE_FIELDS}
        kwargs["initial"] = {**initial, "minutes": minutes_today}
        kwargs["prefix"] = "edit"  # its fields' ids differ from the add form's
        super().__init__(*args, **kwargs)

    def changes(self) -> dict[str, Any]:
        """Only what the PT changed: a field left as shown is not a new prescription."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


class DoseAskedForm(ParameterForm):
    """Which exercise's dose the program page shows a form to change: `?edit=<item>`, if any."""

    edit = RecordIdField(required=False)


class DosePostedForm(ParameterForm):
    """Which exercise's dose the dose form changes: the same `edit`, posted, and required."""

    edit = RecordIdField()


class StopForm(ParameterForm):
    """The program page's "stop" button posts the item it stops."""

    stop = RecordIdField()


class ChecklistDayForm(ParameterForm):
    """The family's checklist is for today or yesterday (`?day=`)."""

    day = OpenDayField()


class TickForm(ParameterForm):
    """A tick on the checklist: the item, done or not, and the page to go back to (a path on this
    site, else the checklist again)."""

    item = RecordIdField()
    done = SwitchField()
    next = forms.CharField(required=False)

    def __init__(self, data: QueryDict, *, host: str) -> None:
        super().__init__(data)
        self.host = host

    def clean_next(self) -> str | None:
        return local_path(self.cleaned_data["next"], host=self.host)


TEXTURE_CHOICES = [
    ("", gettext_lazy("Choose…")),
    (
        gettext_lazy("Textures, softest first"),
        [(s.code, LABELS[s.code]) for s in desensitization.LADDER],
    ),
    (
        gettext_lazy("Other stimuli"),
        [(s.code, LABELS[s.code]) for s in desensitization.OTHER_STIMULI],
    ),
    (desensitization.OTHER, SOMETHING_ELSE),
]


class TexturesForm(forms.Form):
    """With a desensitization exercise's tick: up to three textures or stimuli tolerated and for
    how long, each row a texture, its minutes and, for "something else", a word. Rows left empty
    are skipped; the whole form may be left empty (the tick still counts). Field names are plain
    (`texture_1`, `minutes_1`, `other_1`, …); their ids carry the item, so two desensitization
    exercises on one page keep their labels apart."""

    ROWS = range(1, desensitization.ROWS_MAX + 1)

    def __init__(self, data: QueryDict | None = None, *, item_id: int) -> None:
        super().__init__(data, auto_id=f"id_textures{item_id}_%s")
        self.item_id = item_id
        for n in self.ROWS:
            self.fields[f"texture_{n}"] = forms.ChoiceField(
                label=gettext_lazy("Texture or stimulus"),
                choices=TEXTURE_CHOICES,
                required=False,
                error_messages={
                    "invalid_choice": gettext_lazy(
                        "Choose a texture from the list, or “Something else”."
                    )
                },
            )
            self.fields[f"minutes_{n}"] = forms.IntegerField(
                label=gettext_lazy("Minutes"),
                required=False,
                min_value=1,
                max_value=desensitization.MINUTES_MAX,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "invalid": MINUTES_RULE,
                    "min_value": MINUTES_RULE,
                    "max_value": MINUTES_RULE,
                },
            )
            self.fields[f"other_{n}"] = forms.CharField(
                label=gettext_lazy("If something else: what was it?"),
                required=False,
                max_length=desensitization.OTHER_WORD_MAX,
                error_messages={
                    "max_length": gettext_lazy("Use at most %(limit_value)d characters.")
                },
            )
        self._entries: list[tuple[int, Tolerated]] = []

    def rows(self) -> list[tuple[int, tuple[forms.BoundField, ...]]]:
        """Each row's number and its three fields (texture, minutes, word), for the template."""
        return [
            (n, (self[f"texture_{n}"], self[f"minutes_{n}"], self[f"other_{n}"])) for n in self.ROWS
        ]

    def more_open(self) -> bool:
        """Whether the rows after the first are shown open: when they hold something or an error."""
        if not self.is_bound:
            return False
        return any(
            self.data.get(f"{name}_{n}") or self.errors.get(f"{name}_{n}")
            for n in self.ROWS
            if n > 1
            for name in ("texture", "minutes", "other")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._entries = []
        for n in self.ROWS:
            texture = data.get(f"texture_{n}") or ""
            minutes = data.get(f"minutes_{n}")
            other = (data.get(f"other_{n}") or "").strip()
            if f"texture_{n}" in self.errors or f"minutes_{n}" in self.errors:
                continue
            if not texture:
                if minutes is not None or other:
                    self.add_error(f"texture_{n}", _("Choose the texture these minutes were for."))
                continue
            if minutes is None:
                self.add_error(
                    f"minutes_{n}", _("How many minutes? %(rule)s") % {"rule": MINUTES_RULE}
                )
                continue
            self._entries.append((n, Tolerated(texture, minutes, other)))
        for problem in desensitization.problems([t for _row, t in self._entries]):
            row = self._entries[problem.row - 1][0]
            self.add_error(f"{problem.field}_{row}", problem_words(problem))
        return data

    def tolerated(self) -> list[Tolerated]:
        """What was recorded, once the form is valid."""
        return [t for _row, t in self._entries]
