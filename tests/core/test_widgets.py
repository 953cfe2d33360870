"""The thumb-sized controls (backto.core.widgets): each is a real input with its label, keeps the
field's required mark and errors, and renders through form_field.html as a group with a legend."""

from django import forms
from django.template.loader import render_to_string
from django.utils.html import format_html

from backto.core.widgets import (
    ChoiceCards,
    ChoiceCardsMultiple,
    CountInput,
    FaceScale,
    RatingSlider,
    face_drawing,
)

MOODS = [(0, "Very sad"), (1, "A bit sad"), (2, "Okay"), (3, "Good"), (4, "Great")]
PAIN = [(0, "0 (no hurt)"), *((n, str(n)) for n in range(1, 10)), (10, "10 (worst hurt)")]


class ThumbForm(forms.Form):
    mood = forms.TypedChoiceField(
        label="How did you feel?", choices=MOODS, coerce=int, widget=FaceScale
    )
    activity = forms.TypedChoiceField(
        label="How much did you do?",
        choices=[(0, "Hardly any"), (1, "Some"), (2, "All")],
        coerce=int,
        widget=ChoiceCards,
        error_messages={"required": "What I did: please choose an answer."},
    )
    helped = forms.TypedMultipleChoiceField(
        label="What helped?",
        choices=[(1, "Breathing"), (2, "Music")],
        coerce=int,
        required=False,
        widget=ChoiceCardsMultiple,
    )
    pain = forms.TypedChoiceField(
        label="How much does it hurt?",
        choices=PAIN,
        coerce=int,
        required=False,
        empty_value=None,
        widget=RatingSlider(choices=PAIN),
    )
    missed = forms.TypedChoiceField(
        label="Days missed",
        choices=[(n, f"{n} days") for n in range(21)],
        coerce=int,
        widget=CountInput(0, 20),
        error_messages={"invalid_choice": "Days missed: type a whole number from 0 to 20."},
    )


def rendered(form: forms.Form, name: str) -> str:
    return render_to_string("form_field.html", {"field": form[name]})


def test_choice_cards_are_real_radios_each_with_its_label_and_tick():
    html = rendered(ThumbForm(), "activity")
    assert '<legend id="id_activity_legend">How much did you do?</legend>' in html
    assert 'class="choice-cards"' in html and html.count('class="choice-card"') == 3
    assert '<input type="radio" name="activity" value="1" required id="id_activity_1">' in html
    assert '<label for="id_activity_1"><span class="choice-mark" aria-hidden="true">' in html
    assert '<span class="choice-words">Some</span></label>' in html


def test_several_choices_are_checkboxes_without_required():
    html = rendered(ThumbForm(), "helped")
    assert 'class="choice-cards multiple"' in html
    assert '<input type="checkbox" name="helped" value="2" id="id_helped_1">' in html
    assert "required" not in html


def test_the_chosen_card_is_checked_after_a_post():
    form = ThumbForm({"activity": "2", "mood": "3", "missed": "0"})
    assert 'value="2" required id="id_activity_2" checked>' in rendered(form, "activity")


def test_words_and_values_are_escaped_and_marked_up_words_kept():
    """The cards are written in Python: text is escaped as the templates would, HTML (a label
    marked with its language) is kept."""

    class Words(forms.Form):
        said = forms.ChoiceField(
            choices=[
                ('a"<b>', "Tom & <Jerry>"),
                ("x", format_html('<span lang="es">{}</span>', "Sí")),
            ],
            widget=ChoiceCards(attrs={"data-note": 'say "hi"', "hidden": True, "off": False}),
        )

    html = rendered(Words(), "said")
    assert 'value="a&quot;&lt;b&gt;"' in html
    assert '<span class="choice-words">Tom &amp; &lt;Jerry&gt;</span>' in html
    assert '<span class="choice-words"><span lang="es">Sí</span></span>' in html
    assert ' data-note="say &quot;hi&quot;"' in html and " hidden " in html and "off" not in html


def test_the_face_scale_draws_a_face_beside_each_answer_sad_to_happy():
    html = rendered(ThumbForm(), "mood")
    assert 'class="choice-cards face-scale"' in html
    assert html.count('<svg class="face"') == 5 and html.count('aria-hidden="true"') >= 5
    assert '<span class="choice-words">Very sad</span>' in html
    assert face_drawing(0)["mouth"] != face_drawing(1)["mouth"]
    assert face_drawing(0)["brows"] and not face_drawing(1)["brows"]
    # a frown bends up (its middle above its ends), a smile down
    assert face_drawing(0)["mouth"] == "M11 29 Q20 20 29 29"
    assert face_drawing(1)["mouth"] == "M11 27 Q20 36 29 27"


def test_the_slider_starts_unrated_in_the_middle_with_its_ends_in_words():
    html = rendered(ThumbForm(), "pain")
    assert 'type="range" name="pain" min="0" max="10" step="1" value="5"' in html
    assert 'aria-labelledby="id_pain_legend"' in html
    assert 'aria-describedby="id_pain_ends"' in html and 'id="id_pain_ends"' in html
    assert "0 no hurt" in html and "10 worst hurt" in html
    assert 'name="pain_slider" value="1"' in html
    assert 'name="pain_rated" value="1" id="id_pain_rated">' in html  # not ticked
    assert "unrated" in html


def test_a_slider_value_counts_only_when_rated():
    base = {"activity": "1", "mood": "2", "missed": "3", "pain": "5", "pain_slider": "1"}
    unrated = ThumbForm(base)
    assert unrated.is_valid() and unrated.cleaned_data["pain"] is None
    rated = ThumbForm({**base, "pain_rated": "1", "pain": "7"})
    assert rated.is_valid() and rated.cleaned_data["pain"] == 7
    html = rendered(rated, "pain")
    assert 'value="7"' in html and 'id="id_pain_rated" checked>' in html


def test_the_count_box_says_its_range_and_names_the_field_when_out_of_it():
    form = ThumbForm({"activity": "1", "mood": "2", "missed": "25"})
    assert not form.is_valid()
    assert form.errors["missed"] == ["Days missed: type a whole number from 0 to 20."]
    html = rendered(form, "missed")
    assert 'type="number" name="missed" value="25"' in html
    assert 'min="0" max="20" step="1" inputmode="numeric" class="count-input"' in html
    assert '<span class="count-range">0 to 20</span>' in html
    assert "Days missed: type a whole number from 0 to 20." in html


def test_a_missing_required_answer_names_the_field():
    form = ThumbForm({"mood": "2", "missed": "1"})
    assert not form.is_valid()
    assert form.errors["activity"] == ["What I did: please choose an answer."]
    assert "What I did: please choose an answer." in rendered(form, "activity")
