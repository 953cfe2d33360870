"""The design page, /design/: every component of the design system on one page, with the
colour pairs' contrast computed from the stylesheet. It holds no record of anyone; any signed-in
person may open it (the login-required middleware keeps everyone else out)."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from backto.core import widgets
from backto.core.charts import Series, line_chart, stacked_bars
from backto.core.design import PAIRINGS, colour_tokens, root_tokens
from backto.core.templatetags.icons import icon_names

TYPE_SCALE = (
    ("text-3xl", "Page title on a wide screen"),
    ("text-2xl", "Page title, a big number"),
    ("text-xl", "Section heading"),
    ("text-lg", "Card heading, a lead paragraph"),
    ("text-md", "Body text: never smaller for reading"),
    ("text-sm", "Help text, table heads, small print"),
    ("text-xs", "Badges only"),
)
RATING = [("0", "0 (not at all)"), *((str(n), str(n)) for n in range(1, 10)), ("10", "10 (very)")]
SAMPLE_START = date(2026, 1, 5)  # a fixed day: the sample chart is the same on every visit


class FieldSamples(forms.Form):
    """Plain fields in each state: empty with help, filled, and with an error."""

    name = forms.CharField(label="Short text", help_text="Help says what to type, and why.")
    when = forms.DateField(label="A day", widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(label="A number", min_value=0, max_value=20)
    kind = forms.ChoiceField(
        label="A choice from a list", choices=[("a", "First"), ("b", "Second")]
    )
    note = forms.CharField(label="Longer text", widget=forms.Textarea(attrs={"rows": 3}))
    agree = forms.BooleanField(label="A tick box on its own")
    pick = forms.ChoiceField(
        label="A choice of a few",
        choices=[("y", "Yes"), ("n", "No"), ("u", "Not sure")],
        widget=forms.RadioSelect,
    )


class ErrorSamples(forms.Form):
    """Two fields as they look when what was typed cannot be saved."""

    count = forms.IntegerField(label="Days of school missed", min_value=0, max_value=20)
    when = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}))


class WidgetSamples(forms.Form):
    """The controls sized for a child's thumb (backto/core/widgets.py)."""

    mood = forms.ChoiceField(
        label="Face scale: how was your mood?",
        choices=[("1", "Very low"), ("2", "Low"), ("3", "Okay"), ("4", "Good"), ("5", "Great")],
        widget=widgets.FaceScale,
    )
    school = forms.ChoiceField(
        label="Choice cards: did you go to school?",
        choices=[("all", "All day"), ("part", "Part of the day"), ("none", "Not today")],
        widget=widgets.ChoiceCards,
    )
    helped = forms.MultipleChoiceField(
        label="Choice cards, several: what helped?",
        choices=[("move", "Moving"), ("friends", "Friends"), ("music", "Music")],
        widget=widgets.ChoiceCardsMultiple,
    )
    rating = forms.ChoiceField(
        label="Slider: how tired were you?",
        choices=RATING,
        widget=widgets.RatingSlider(choices=RATING),
        required=False,
    )
    days = forms.IntegerField(
        label="Count: days of school missed", widget=widgets.CountInput(0, 20), min_value=0
    )


def _sample_chart() -> str:
    days = [SAMPLE_START + timedelta(weeks=w) for w in range(0, 13, 2)]
    return line_chart(
        [
            Series("Child", list(zip(days, (34, 30, 27, 22, 18, 15, 12), strict=True))),
            Series(
                "Parent", list(zip(days, (38, 35, 30, 27, 21, 19, 16), strict=True)), dashed=True
            ),
        ],
        title="Sample scores over twelve weeks",
        description="Made-up numbers for the design page: two lines falling from the 30s to the teens.",
        y_min=0,
        y_max=60,
        bands=[(13, "mild"), (30, "severe")],
    )


def _sample_bars() -> str:
    return stacked_bars(
        [
            ("Week 1", [("Yes", 3), ("Part", 2), ("No", 2)]),
            ("Week 2", [("Yes", 5), ("Part", 1), ("No", 1)]),
        ],
        title="Sample school days",
        description="Made-up numbers: more full days in week 2 than week 1.",
    )


@require_safe
def design_system(request: HttpRequest) -> HttpResponse:
    tokens, everything = colour_tokens(), root_tokens()
    filled = FieldSamples(initial={"name": "Back on the bike", "kind": "b"}, prefix="sample")
    invalid = ErrorSamples({"invalid-count": "25", "invalid-when": ""}, prefix="invalid")
    invalid.is_valid()
    context: dict[str, Any] = {
        "colours": sorted(tokens.items()),
        "pairings": PAIRINGS,
        "type_tokens": [(name, everything[name], use) for name, use in TYPE_SCALE],
        "spacing_tokens": [
            (name, value)
            for name, value in everything.items()
            if name.startswith(("space-", "radius", "shadow", "target", "measure"))
        ],
        "icons": sorted(icon_names()),
        "chart": _sample_chart(),
        "bars": _sample_bars(),
        "fields": filled,
        "invalid": invalid,
        "widget_samples": WidgetSamples(prefix="widget"),
    }
    return render(request, "core/design.html", context)
