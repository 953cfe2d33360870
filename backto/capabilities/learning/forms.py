from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from backto.capabilities.learning.models import Audience
from backto.capabilities.learning.queries import Page
from backto.clinical.pain_cycle import PRESETS, SLIDER_MAX, Settings
from backto.core.forms import ParameterForm, SwitchField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PageForm(forms.Form):
    title = forms.CharField(max_length=120)
    summary = forms.CharField(
        max_length=300,
        required=False,
        help_text="One sentence, shown in the list of pages.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    body = forms.CharField(
        label="Page (Markdown)",
        help_text="Headings start with ##, list items with -, **bold** with two stars. "
        "Short sentences and short words keep a page easy to read.",
        widget=forms.Textarea(attrs={"rows": 18}),
    )


class NewPageForm(PageForm):
    audience = forms.ChoiceField(choices=Audience.choices, label="Who the page is for")
    language = forms.ChoiceField(
        choices=settings.LANGUAGES,
        initial="en",
        required=False,
        label="Language of the page",
        help_text="Families reading in another language see it in this one until it has "
        "their language too.",
    )
    field_order = ["audience", "language", "title", "summary", "body"]

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or "en"  # a form sent without it: English


class LanguageForm(forms.Form):
    """Which language's version of a page the editor is on (`?language=es`); English when none
    is sent or the one sent is not a language BackTo speaks."""

    language = forms.ChoiceField(choices=settings.LANGUAGES, required=False)

    def chosen(self) -> str:
        language = self.cleaned_data.get("language") if self.is_valid() else ""
        return language or "en"


class SuggestForm(forms.Form):
    page = forms.ChoiceField(label=_("Page"))
    note = forms.CharField(
        max_length=200,
        required=False,
        label=_("Note for the family (optional)"),
        help_text=_("For example: worth reading before Thursday's visit."),
    )

    def __init__(self, *args: object, pages: list[Page], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["page"].choices = [  # type: ignore[attr-defined]
            (f"{p.audience}/{p.slug}", f"{p.title} ({p.audience_label.lower()})") for p in pages
        ]


def slider(label: "StrOrPromise", help_text: "StrOrPromise") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_value=SLIDER_MAX,
        required=False,
    )


class ExplainerForm(forms.Form):
    """The explainer's sliders (the template draws them as range inputs). The page's script
    moves them without a round trip; without a script the form is sent and the server draws
    the same state."""

    stimulus = slider(
        _("Stimulus"), _("How strong the thing that hurts is. It stops after beat 4.")
    )
    sensitivity = slider(_("Alarm sensitivity"), _("How strongly the nerves and brain react."))
    movement = slider(
        _("Moving the body"), _("Exercise and PT loosen muscles and bring blood flow.")
    )
    desensitization = slider(
        _("Desensitization"), _("Touch and textures teach the nerves that touch is safe.")
    )
    coping = slider(
        _("Coping skills"), _("Breathing, distraction and calm thoughts quiet the brain.")
    )
    sleep = slider(_("Sleep"), _("Good sleep turns the whole alarm system down."))


class AudienceForm(forms.Form):
    """Which version of the pages to list (`?for=kids`); none, or an unknown one, lists the
    version for the reader (kids for a teen, parents otherwise)."""

    def __init__(self, data: QueryDict, *, default: str) -> None:
        super().__init__(data)
        self.default = default
        # "for" is a Python keyword, so the field is named here rather than as an attribute.
        self.fields["for"] = forms.ChoiceField(choices=Audience.choices, required=False)

    def audience(self) -> str:
        chosen = self.cleaned_data.get("for") if self.is_valid() else ""
        return chosen or self.default


class PresetForm(forms.Form):
    """A named state of the explainer (`?preset=amplified`); an unknown name is no preset."""

    preset = forms.ChoiceField(choices=[(name, name) for name in PRESETS], required=False)

    def chosen(self) -> Settings | None:
        name = self.cleaned_data.get("preset") if self.is_valid() else ""
        return PRESETS.get(name) if name else None


class VisibilityForm(ParameterForm):
    """A page hidden from families (`hidden=1`) or shown again (`0`)."""

    hidden = SwitchField()
