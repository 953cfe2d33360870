"""Goals as a Spanish-reading family sees them (issue 22): the page's words and the levels in
plain Spanish words; the goal's own words are the care team's, written in the family's language,
which the goal forms name and put on their inputs."""

import re

from django.urls import reverse

from backto.capabilities.goals.models import GoalRating
from tests.conftest import TODAY, spanish
from tests.i18n.test_family_pages_in_spanish import english_left

SPANISH = {
    "title": "Caminar a clase con mis amigas",
    "level_minus_2": "Usa el elevador",
    "level_minus_1": "Una clase al día",
    "level_0": "Todas las clases",
    "level_plus_1": "Y el club",
    "level_plus_2": "También camina a la escuela",
}


def _main(html):
    return re.search(r"<main.*?</main>", html, re.S)[0]


def _in_spanish(goal):
    for name, words in SPANISH.items():
        setattr(goal, name, words)
    goal.save()
    goal.steps.update(text="Caminar hasta el buzón")
    return goal


def test_a_spanish_family_reads_its_goals_in_spanish(as_user, gina, pat, goal):
    _in_spanish(goal)
    GoalRating.objects.create(goal=goal, rated_on=TODAY, level=0, rater=pat, rater_kind="clinician")
    client = as_user(spanish(gina))
    listing = client.get(reverse("goal_list", args=[goal.episode_id])).content.decode()
    assert "Lo que Maya quiere recuperar" in listing
    assert "Ahora: <strong>Vamos bien</strong>" in listing
    assert english_left(_main(listing)) == []
    detail = client.get(reverse("goal_detail", args=[goal.pk])).content.decode()
    assert "Los cinco niveles" in detail and "Mejor de lo que esperábamos" in detail
    assert "(donde empezamos)" in detail and "Pasos pequeños" in detail
    assert "Vamos bien: Todas las clases" in detail  # the family rates in plain words
    assert english_left(_main(detail)) == []


def test_a_spanish_family_rates_a_goal_and_is_thanked_in_spanish(as_user, gina, goal):
    client = as_user(spanish(gina))
    response = client.post(
        reverse("goal_detail", args=[goal.pk]), {"level": "1", "rated_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    assert "Guardado. Gracias." in client.get(response.url).content.decode()
    assert GoalRating.objects.get().rater_kind == "family"


def test_the_goal_forms_say_the_family_reads_spanish(as_user, pat, maya, goal):
    maya.family_language = "es"
    maya.save(update_fields=["family_language"])
    client = as_user(pat)
    note = "This family reads BackTo in Spanish: write the goal in Spanish."
    edit = client.get(reverse("goal_edit", args=[goal.pk])).content.decode()
    assert note in edit
    assert re.search(r'<input[^>]*name="title"[^>]*lang="es"|lang="es"[^>]*name="title"', edit)
    assert re.search(r'<textarea[^>]*name="level_0"[^>]*lang="es"', edit) or re.search(
        r'<input[^>]*lang="es"[^>]*name="level_0"|<input[^>]*name="level_0"[^>]*lang="es"', edit
    )
    listing = client.get(reverse("goal_list", args=[goal.episode_id])).content.decode()
    assert note in listing
    detail = client.get(reverse("goal_detail", args=[goal.pk])).content.decode()
    assert re.search(r'<input[^>]*name="text"[^>]*lang="es"|lang="es"[^>]*name="text"', detail)


def test_an_english_family_gets_no_note(as_user, pat, goal):
    edit = as_user(pat).get(reverse("goal_edit", args=[goal.pk])).content.decode()
    assert "This family reads BackTo in" not in edit and 'lang="es"' not in edit
