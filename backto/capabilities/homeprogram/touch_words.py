"""The touch practice in the reader's language: the textures' names and the family's sentences
about a week of desensitization (the rules and the English words are
backto/clinical/desensitization.py, which holds no Django; these are its words, translatable)."""

from collections.abc import Sequence

from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy

from backto.clinical import desensitization
from backto.clinical.desensitization import WeekProgress

# Each stimulus's label (the form's choice, a tick's note) and phrase (in a sentence), by code.
LABELS = {
    "silk": gettext_lazy("Silk or satin"),
    "cotton_ball": gettext_lazy("Cotton ball"),
    "fleece": gettext_lazy("Fleece"),
    "soft_towel": gettext_lazy("Soft towel"),
    "rough_towel": gettext_lazy("Rough towel"),
    "corduroy": gettext_lazy("Corduroy"),
    "velcro_soft": gettext_lazy("Velcro, soft side"),
    "brush": gettext_lazy("Brush"),
    "lotion": gettext_lazy("Lotion massage"),
    "vibration": gettext_lazy("Vibration"),
    "warm_water": gettext_lazy("Warm water"),
    "cool_water": gettext_lazy("Cool water"),
}
PHRASES = {
    "silk": pgettext_lazy("in a sentence", "silk"),
    "cotton_ball": pgettext_lazy("in a sentence", "a cotton ball"),
    "fleece": pgettext_lazy("in a sentence", "fleece"),
    "soft_towel": pgettext_lazy("in a sentence", "a soft towel"),
    "rough_towel": pgettext_lazy("in a sentence", "a rough towel"),
    "corduroy": pgettext_lazy("in a sentence", "corduroy"),
    "velcro_soft": pgettext_lazy("in a sentence", "the soft side of velcro"),
    "brush": pgettext_lazy("in a sentence", "a brush"),
    "lotion": pgettext_lazy("in a sentence", "lotion massage"),
    "vibration": pgettext_lazy("in a sentence", "vibration"),
    "warm_water": pgettext_lazy("in a sentence", "warm water"),
    "cool_water": pgettext_lazy("in a sentence", "cool water"),
}
_BY_PHRASE = {desensitization.STIMULI[code].phrase: words for code, words in PHRASES.items()}
SOMETHING_ELSE = gettext_lazy("Something else")


def stimulus_label(code: str, other: str = "") -> str:
    """A stimulus's name as the form lists it; the family's own word for "something else"."""
    if code == desensitization.OTHER:
        return other
    return str(LABELS.get(code, desensitization.stimulus_for(code, other).label))


def minutes_in_words(n: int) -> str:
    return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}


def noted_words(code: str, other: str, minutes: int) -> str:
    """A texture noted with a tick: "Soft towel, 5 minutes"."""
    return gettext("%(texture)s, %(minutes)s") % {
        "texture": stimulus_label(code, other),
        "minutes": minutes_in_words(minutes),
    }


def _and(words: Sequence[str]) -> str:
    if len(words) == 1:
        return words[0]
    return gettext("%(some)s and %(last)s") % {"some": ", ".join(words[:-1]), "last": words[-1]}


def week_in_words(week: WeekProgress, *, name: str | None, this_week: bool) -> str:
    """A week in plain, warm words for the family, about the child (`name`) or to the teen
    (`name` None); what the skin tolerated, never pain."""
    when = gettext("This week") if this_week else gettext("Last week")
    others = _and([str(_BY_PHRASE.get(p, p)) for p in week.others]) if week.others else ""
    days = ngettext("%(n)d day", "%(n)d days", week.days) % {"n": week.days}
    values = {"when": when, "name": name or "", "others": others, "days": days}
    if week.roughest is not None and week.roughest_minutes is not None:
        values["texture"] = str(PHRASES.get(week.roughest.code, week.roughest.phrase))
        values["minutes"] = minutes_in_words(week.roughest_minutes)
        if week.others:
            text = (
                gettext(
                    "%(when)s you went up to %(texture)s for %(minutes)s, and also tried "
                    "%(others)s, on %(days)s."
                )
                if name is None
                else gettext(
                    "%(when)s %(name)s went up to %(texture)s for %(minutes)s, and also tried "
                    "%(others)s, on %(days)s."
                )
            )
        elif name is None:
            text = gettext("%(when)s you went up to %(texture)s for %(minutes)s, on %(days)s.")
        else:
            text = gettext("%(when)s %(name)s went up to %(texture)s for %(minutes)s, on %(days)s.")
    elif week.others:
        text = (
            gettext("%(when)s you practised with %(others)s, on %(days)s.")
            if name is None
            else gettext("%(when)s %(name)s practised with %(others)s, on %(days)s.")
        )
    elif name is None:
        text = gettext("%(when)s you did touch practice, on %(days)s.")
    else:
        text = gettext("%(when)s %(name)s did touch practice, on %(days)s.")
    return text % values


MINUTES_RULE = format_lazy(
    gettext_lazy("Give whole minutes from 1 to {most}."), most=desensitization.MINUTES_MAX
)


# A day's record's problems (desensitization.problems), by rule, with the rule's values.
PROBLEMS = {
    "too_many_rows": gettext_lazy("Record at most %(most)s textures in a day."),
    "no_word": gettext_lazy("Say in a word what the something else was."),
    "word_not_wanted": gettext_lazy("Type a word only when the texture is “Something else”."),
    "word_too_long": gettext_lazy("Use at most %(most)s characters for the word."),
    "minutes": gettext_lazy("Give whole minutes from 1 to %(most)s."),
    "repeated": gettext_lazy(
        "This texture is already in row %(row)s: record it once, with its longest time."
    ),
}


def problem_words(problem: desensitization.Problem) -> str:
    """The problem in the reader's language (the clinical core's English for a rule not here,
    such as a texture code no form offers)."""
    words = PROBLEMS.get(problem.rule)
    return str(words) % dict(problem.values) if words is not None else problem.message
