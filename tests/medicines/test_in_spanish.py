"""The medicine list in Spanish: the page, its form and its one piece of advice."""

import re

from django.urls import reverse

from tests.conftest import spanish
from tests.i18n.test_family_pages_in_spanish import english_left


def _main(html: str) -> str:
    found = re.search(r"<main.*?</main>", html, re.S)
    assert found is not None
    return found[0]


def test_a_spanish_family_keeps_the_list_in_spanish(as_user, gina, maya, melatonin):
    client = as_user(spanish(gina))
    page = client.get(reverse("medicine_list", args=[maya.pk])).content.decode()
    assert "Los medicamentos de Maya" in page and "hable con su médico" in page
    assert "Agregar un medicamento" in page and "Sin confirmar todavía" in page
    assert english_left(_main(page)) == []
    response = client.post(
        reverse("medicine_list", args=[maya.pk]), {"listed_name": "", "other_name": ""}
    )
    assert "Escriba el nombre del medicamento" in response.content.decode()
