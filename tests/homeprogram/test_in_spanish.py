"""Today's exercises in Spanish (issue 22): the page's words, the dose, the textures and the
touch practice in the reader's language; an exercise's name and instructions in Spanish where the
clinic has them (the starter library ships them), else the English marked lang="en"; the care
team words an exercise in Spanish on the library page."""

import re
from datetime import timedelta

from django.urls import reverse

from backto.capabilities.homeprogram import actions
from backto.capabilities.homeprogram.models import Exercise
from tests.conftest import TODAY, audited, spanish
from tests.i18n.test_family_pages_in_spanish import english_left


def _main(html):
    return re.search(r"<main.*?</main>", html, re.S)[0]


def _add(pat, episode, exercise, **dose):
    dose = {"minutes": 10, "times_per_day": 1, "days_per_week": 7, **dose}
    return actions.home_program_add(
        by=pat, episode=episode, exercise=exercise, start_date=TODAY - timedelta(days=7), **dose
    )


def test_a_spanish_parent_reads_today_s_exercises_in_spanish(
    as_user, gina, pat, episode, texture_item
):
    walk = Exercise.objects.get(clinic=episode.patient.clinic, name="Daily walk")
    _add(pat, episode, walk, times_per_day=2, days_per_week=5)
    client = as_user(spanish(gina))
    client.post(
        reverse("exercises_today", args=[episode.pk]),
        {"item": texture_item.pk, "done": "1", "texture_1": "rough_towel", "minutes_1": "5"},
    )
    page = client.get(reverse("exercises_today", args=[episode.pk])).content.decode()
    assert "Los ejercicios de Maya, hoy" in page
    assert "Caminata diaria" in page and "Camina a un paso firme" in page
    assert "Frotar texturas" in page
    assert "10 minutos, 2 veces al día, 5 días a la semana" in page
    assert "Texturas: Toalla áspera, 5 minutos." in page
    assert "Esta semana Maya llegó hasta una toalla áspera por 5 minutos, en 1 día." in page
    assert english_left(_main(page)) == []


def test_a_spanish_teen_reads_the_touch_practice_to_them(as_user, maya_teen, episode, texture_item):
    client = as_user(spanish(maya_teen))
    client.post(
        reverse("exercises_today", args=[episode.pk]),
        {"item": texture_item.pk, "done": "1", "texture_1": "fleece", "minutes_1": "3"},
    )
    page = client.get(reverse("exercises_today", args=[episode.pk])).content.decode()
    assert "Mis ejercicios de hoy" in page
    assert "Esta semana llegaste hasta tela polar por 3 minutos, en 1 día." in page
    assert english_left(_main(page)) == []


def test_an_exercise_without_spanish_is_shown_in_english_marked_so(
    as_user, gina, pat, clinic, episode
):
    own = Exercise.objects.create(
        clinic=clinic, name="Ball toss", category="functional", instructions="Throw and catch."
    )
    _add(pat, episode, own)
    page = as_user(spanish(gina)).get(reverse("exercises_today", args=[episode.pk]))
    html = page.content.decode()
    assert '<span lang="en">Ball toss</span>' in html
    assert '<span lang="en">Throw and catch.</span>' in html
    assert english_left(_main(html)) == []
    sheet = as_user(gina).get(reverse("home_program_sheet", args=[episode.pk])).content.decode()
    assert '<span lang="en">Ball toss</span>' in sheet and "Hoja del programa en casa" in sheet


def test_an_english_reader_sees_the_english_words_unmarked(as_user, gina, episode, texture_item):
    page = as_user(gina).get(reverse("exercises_today", args=[episode.pk])).content.decode()
    assert "Texture rub" in page and "Frotar texturas" not in page
    assert 'lang="en"' not in _main(page)


def test_the_care_team_words_an_exercise_in_spanish(as_user, pat, clinic):
    own = Exercise.objects.create(
        clinic=clinic, name="Ball toss", category="functional", instructions="Throw and catch."
    )
    client = as_user(pat)
    library = client.get(reverse("exercise_library")).content.decode()
    assert f'action="{reverse("exercise_words", args=[own.pk])}"' in library
    assert 'lang="es"' in library
    response = client.post(
        reverse("exercise_words", args=[own.pk]),
        {"name": "Lanzar la pelota", "instructions": "Lanza y atrapa."},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.translations == {
        "es": {"name": "Lanzar la pelota", "instructions": "Lanza y atrapa."}
    }
    assert own.words("es").name == "Lanzar la pelota" and own.words("en").name == "Ball toss"
    assert audited("update", object_type="exercise")
    client.post(reverse("exercise_words", args=[own.pk]), {"name": "", "instructions": ""})
    own.refresh_from_db()
    assert own.translations == {}


def test_an_exercise_is_added_with_its_spanish(as_user, pat, clinic):
    as_user(pat).post(
        reverse("exercise_library"),
        {
            "name": "Ball toss",
            "category": "functional",
            "instructions": "Throw and catch.",
            "default_minutes": "5",
            "name_es": "Lanzar la pelota",
            "instructions_es": "",
        },
    )
    assert Exercise.objects.get(name="Ball toss").translations == {
        "es": {"name": "Lanzar la pelota"}
    }


def test_only_the_clinic_s_care_team_words_its_exercises(as_user, gina, pat, clinic):
    own = Exercise.objects.create(
        clinic=clinic, name="Ball toss", category="functional", instructions="Throw and catch."
    )
    url = reverse("exercise_words", args=[own.pk])
    assert as_user(gina).post(url, {"name": "x"}).status_code == 403
    other = Exercise.objects.create(
        clinic=type(clinic).objects.create(name="Other", slug="other"),
        name="Ball toss",
        category="functional",
        instructions="Throw and catch.",
    )
    assert as_user(pat).post(reverse("exercise_words", args=[other.pk]), {}).status_code == 404


def test_a_pt_prints_the_sheet_in_the_family_s_language(as_user, pat, maya, episode, walk_item):
    maya.family_language = "es"
    maya.save(update_fields=["family_language"])
    sheet = as_user(pat).get(reverse("home_program_sheet", args=[episode.pk])).content.decode()
    assert '<html lang="es"' in sheet and "Hoja del programa en casa" in sheet
    page = as_user(pat).get(reverse("home_program", args=[episode.pk])).content.decode()
    assert '<html lang="en"' in page  # the PT's own page stays in the PT's language


def test_a_day_s_textures_are_refused_in_the_reader_s_language():
    from django.utils import translation

    from backto.capabilities.homeprogram.touch_words import problem_words
    from backto.clinical.desensitization import Tolerated, problems

    found = problems([Tolerated("other", 0), Tolerated("brush", 5), Tolerated("brush", 6)])
    with translation.override("es"):
        words = [problem_words(problem) for problem in found]
    assert "Diga en una palabra qué fue la otra cosa." in words
    assert "Escriba minutos enteros, de 1 a 60." in words or any(
        "minutos enteros" in w for w in words
    )
    assert any(w.startswith("Esta textura ya está en la fila 2") for w in words)
    with translation.override("en"):
        assert [problem_words(problem) for problem in found] == [p.message for p in found]
