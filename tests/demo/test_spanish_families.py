"""The demo's Spanish-speaking families (issue #22): their accounts in Spanish, their words and
the team's for them in Spanish, their logins listed as such, the demo the same for a seed."""

from backto.access.accounts.models import User
from backto.access.patients.models import Patient
from backto.capabilities.goals.models import Goal, GoalStep
from backto.capabilities.wins.models import Win
from backto.demo.program import GOALS, WINS
from backto.demo.spanish import WORDS, home_language, in_language
from tests.core.test_demo import run_demo


def spanish_families() -> list[Patient]:
    return list(Patient.objects.filter(family_language="es").order_by("id"))


def test_the_demo_has_spanish_speaking_families_whose_accounts_read_spanish(db):
    output = run_demo("--patients", "12")
    families = spanish_families()
    assert len(families) >= 2
    assert any(p.teen_account_id for p in families)
    for patient in families:
        assert home_language(patient.languages) == "es"
        for link in patient.guardianships.select_related("guardian"):
            assert link.guardian.language == "es"
            assert f"{link.guardian.username:<20} parent of {patient.name}, reads Spanish" in output
        if patient.teen_account:
            assert patient.teen_account.language == "es"
            assert f"{patient.teen_account.username:<20} {patient.name}, age" in output
    others = Patient.objects.exclude(family_language="es")
    assert others.exists()
    assert not User.objects.filter(
        guardianships__patient__in=others, language="es"
    ).exists()  # an English-speaking family's accounts stay English
    assert output.count("reads Spanish") == sum(1 + bool(p.teen_account_id) for p in families)


def test_a_spanish_speaking_familys_words_are_in_spanish(db):
    run_demo("--patients", "12")
    families = spanish_families()
    spanish_wins = {WORDS[w] for w in WINS}
    english_goals = {title for title, *_ in GOALS}
    wins = Win.objects.filter(patient__in=families)
    assert wins.exists() and all(w.text in spanish_wins for w in wins)
    goals = Goal.objects.filter(episode__patient__in=families)
    assert goals.exists() and not goals.filter(title__in=english_goals).exists()
    assert all(g.level_0 in WORDS.values() for g in goals)
    steps = GoalStep.objects.filter(goal__in=goals)
    assert steps.exists() and all(s.text in WORDS.values() for s in steps)
    # Everyone else's stay in English.
    assert Win.objects.exclude(patient__in=families).filter(text__in=list(WINS)).exists()


def test_the_demo_lists_the_spanish_families_the_same_way_on_every_start(db):
    first = run_demo("--patients", "12")
    again = run_demo("--patients", "12", "--if-empty")
    listed = [line for line in first.splitlines() if "reads Spanish" in line]
    assert listed and listed == [line for line in again.splitlines() if "reads Spanish" in line]


def test_every_demo_text_has_its_spanish():
    texts = [t for title, _, levels, steps in GOALS for t in (title, *levels, *steps)] + WINS
    assert [t for t in texts if in_language(t, "es") == t] == []
    assert in_language("Walked to the mailbox", "en") == "Walked to the mailbox"


def test_the_home_language_is_the_first_one_listed():
    assert home_language("Spanish") == "es"
    assert home_language("Spanish, English") == "es"
    assert home_language("English, Spanish") == "en"
    assert home_language("") == "en"
