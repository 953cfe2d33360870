"""The words of the intake questions. Clinicians see the clinical core's item labels (English);
families see plain questions written by this project, marked for translation: a parent answers,
so the Spanish says "usted" and "su hijo o hija"."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from backto.clinical.screening import DEFAULT_RED_FLAGS, SCREENING_ITEMS, RedFlag

TRI_CHOICES = [
    ("yes", gettext_lazy("Yes")),
    ("no", gettext_lazy("No")),
    ("unknown", gettext_lazy("Not sure")),
]
CLINICIAN_TRI_CHOICES = [
    ("yes", gettext_lazy("Yes")),
    ("no", gettext_lazy("No")),
    ("unknown", gettext_lazy("Unknown")),
]

# Item 1 ("duration") names the clinic's number of months: `family_question` words it.
FAMILY_QUESTIONS: dict[str, Promise] = {
    "not_relieved_by_medicines": gettext_lazy(
        "Do usual pain medicines (like ibuprofen) leave the pain about the same?"
    ),
    "no_medical_cause": gettext_lazy(
        "Have doctors looked for a cause without finding one (or are tests still going on)?"
    ),
    "out_of_proportion": gettext_lazy(
        "Does the pain seem much bigger than any injury, or anything doctors found?"
    ),
    "allodynia": gettext_lazy("Does light touch hurt, like clothes, bedsheets or a gentle hand?"),
    "hyperalgesia": gettext_lazy(
        "Does something that should hurt a little, like a small bump, hurt a lot?"
    ),
    "vasomotor": gettext_lazy(
        "Does the skin where it hurts change colour, or feel warmer or colder than the other side?"
    ),
    "sudomotor_swelling": gettext_lazy(
        "Is there swelling, or more or less sweating, where it hurts?"
    ),
    "motor_trophic": gettext_lazy(
        "Is that part harder to move, shaky or stiff, or have hair, nails or skin there changed?"
    ),
    "associated_symptoms": gettext_lazy(
        "Are there other troubles, like tiredness, poor sleep, headaches, tummy aches or dizziness?"
    ),
    "functional_impact": gettext_lazy(
        "Has the pain made your child miss school or stop activities?"
    ),
}
FEATURE_ITEMS = [item for item in SCREENING_ITEMS if item.kind == "feature"]
RED_FLAGS = DEFAULT_RED_FLAGS

# Each default red flag as a whole question (so its words can be ordered in any language) and as
# the words a family's summary lists ("A doctor still needs to check: fever, ...").
FAMILY_RED_FLAG_QUESTIONS = {
    "fever": gettext_lazy("Has your child had fever?"),
    "weight_loss": gettext_lazy("Has your child had weight loss with no clear reason?"),
    "night_pain": gettext_lazy("Has your child had pain that wakes your child at night?"),
    "joint_swelling": gettext_lazy("Has your child had a swollen or red joint?"),
    "neurological_deficit": gettext_lazy(
        "Has your child had new weakness, numbness or loss of a skill in one area?"
    ),
    "abnormal_labs": gettext_lazy("Has your child had abnormal blood or other test results?"),
    "focal_bone_pain": gettext_lazy("Has your child had pain in one spot on a bone?"),
}
FAMILY_RED_FLAG_WORDS = {
    "fever": pgettext_lazy("warning sign", "fever"),
    "weight_loss": pgettext_lazy("warning sign", "weight loss with no clear reason"),
    "night_pain": pgettext_lazy("warning sign", "pain that wakes your child at night"),
    "joint_swelling": pgettext_lazy("warning sign", "a swollen or red joint"),
    "neurological_deficit": pgettext_lazy(
        "warning sign", "new weakness, numbness or loss of a skill in one area"
    ),
    "abnormal_labs": pgettext_lazy("warning sign", "abnormal blood or other test results"),
    "focal_bone_pain": pgettext_lazy("warning sign", "pain in one spot on a bone"),
}


def family_question(key: str, months: int) -> str:
    """The family's question for a screening feature, in the active language."""
    if key == "duration":
        return ngettext(
            "Has the pain lasted %(months)s month or more?",
            "Has the pain lasted %(months)s months or more?",
            months,
        ) % {"months": months}
    return str(FAMILY_QUESTIONS[key])


def red_flag_question(flag: RedFlag) -> str:
    """The family's question for a red flag; a flag a clinic added is asked in its own words."""
    question = FAMILY_RED_FLAG_QUESTIONS.get(flag.key)
    return str(question) if question else f"Has your child had {flag.family_label}?"


def red_flag_words(flag: RedFlag) -> str:
    """A red flag as a family's summary names it; a flag a clinic added in its own words."""
    words = FAMILY_RED_FLAG_WORDS.get(flag.key)
    return str(words) if words else flag.family_label


assert {"duration", *FAMILY_QUESTIONS} == {item.key for item in FEATURE_ITEMS}
assert set(FAMILY_RED_FLAG_QUESTIONS) == set(FAMILY_RED_FLAG_WORDS) == {f.key for f in RED_FLAGS}
