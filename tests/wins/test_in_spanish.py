"""Wins in Spanish (issue 22): the timeline and its form in the family's words, and the win's
input marked with the language it is typed in."""

import re

from django.urls import reverse

from backto.capabilities.wins.actions import win_add
from tests.conftest import TODAY, spanish
from tests.i18n.test_family_pages_in_spanish import english_left


def _main(html):
    return re.search(r"<main.*?</main>", html, re.S)[0]


def test_a_spanish_family_adds_and_reads_wins_in_spanish(as_user, gina, maya, episode):
    win_add(by=gina, patient=maya, text="Fuimos al parque", happened_on=TODAY)
    client = as_user(spanish(gina))
    page = client.get(reverse("win_list", args=[maya.pk])).content.decode()
    assert "Los logros de Maya" in page and "Agregar un logro" in page
    assert "El logro, en pocas palabras" in page
    assert re.search(r'<input[^>]*name="text"[^>]*lang="es"|lang="es"[^>]*name="text"', page)
    assert english_left(_main(page)) == []
    response = client.post(
        reverse("win_list", args=[maya.pk]),
        {"text": "Caminé hasta el buzón", "happened_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert "¡Cada pasito cuenta!" in client.get(response.url).content.decode()


def test_a_future_win_is_refused_in_spanish(as_user, gina, maya, episode):
    client = as_user(spanish(gina))
    page = client.post(
        reverse("win_list", args=[maya.pk]),
        {"text": "Mañana", "happened_on": "2999-01-01"},
    ).content.decode()
    assert "Un logro es de hoy o de antes." in page


def test_the_care_team_types_a_win_in_the_family_s_language(as_user, pat, maya, episode):
    maya.family_language = "es"
    maya.save(update_fields=["family_language"])
    win_add(by=pat, patient=maya, text="Fue al parque", happened_on=TODAY)
    page = as_user(pat).get(reverse("win_list", args=[maya.pk])).content.decode()
    assert re.search(r'<input[^>]*name="text"[^>]*lang="es"|lang="es"[^>]*name="text"', page)
    assert 'name="note" maxlength="200" placeholder="A short note" lang="es"' in page
