"""The family's body map in Spanish (issue 22): the page, its regions' names (the child's own left
and right), its errors and thanks, the check-in, and the family home's to-do, "tú" to a teen and
"usted" to a parent; the catalogue names every region in Spanish; English readers are unchanged."""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from backto.access.patients.models import Episode
from backto.capabilities.exam.body_map_drawing import body_map_svg, region_label, region_labels
from backto.capabilities.exam.body_map_widget import region_choices
from backto.capabilities.measures.checkin_words import checkin_words
from backto.clinical.body_map import body_map_catalogue, region
from tests.conftest import spanish
from tests.i18n.test_family_pages_in_spanish import english_left

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def english_on(page: str) -> list[str]:
    """The page's English words, but for the clinic's name (its own words, not translated)."""
    return [part for part in english_left(page) if part != "Lakeside Pain Program"]


def todos(page: str) -> list[str]:
    lists = re.findall(r'<ul class="todos".*?</ul>', page, flags=re.S)
    items = [li for ul in lists for li in re.findall(r"<li>(.*?)</li>", ul, flags=re.S)]
    return [html.unescape(" ".join(re.sub(r"<[^>]+>", " ", li).split())) for li in items]


# --- The catalogue ------------------------------------------------------------------------------


def test_every_region_has_its_own_spanish_name_on_the_childs_side() -> None:
    regions = body_map_catalogue().regions
    names = [r.label_in("es") for r in regions]
    assert all(r.translations is not None for r in regions)
    assert len(set(names)) == len(names)
    for r, name in zip(regions, names, strict=True):
        assert name != r.label, r.id
        said = name.lower()
        if r.side == "left":
            assert "izquierd" in said and "derech" not in said, r.id
        elif r.side == "right":
            assert "derech" in said and "izquierd" not in said, r.id
        else:
            assert "izquierd" not in said and "derech" not in said, r.id


def test_a_regions_name_follows_the_language_asked_for() -> None:
    knee = region("knee-left-back")
    assert knee.label_in("es") == "Parte de atrás de la rodilla izquierda"
    assert knee.label_in("es-MX") == knee.label_in("es_mx") == knee.label_in("es")
    assert knee.label_in("en") == knee.label_in(None) == "Back of the left knee"
    assert knee.label_in("fr") == "Back of the left knee"  # no French: the English label


def test_the_exam_app_names_regions_in_the_active_language() -> None:
    with translation.override("es"):
        assert region_labels()["jaw-right"] == "Mandíbula derecha"
        assert dict(region_choices())["toes-left-front"] == "Dedos del pie izquierdo"
        assert region_label("elbow") == "elbow (zona que ya no está en el mapa)"
        picture = body_map_svg({"face": 0.5}, title="Mapa")
        assert "<title>Cara: 50 %</title>" in picture
        assert ">Adelante</text>" in picture and ">Derecha</text>" in picture
    with translation.override("en"):
        assert region_labels()["jaw-right"] == "Right jaw"
        assert dict(region_choices())["toes-left-front"] == "Left toes"
        assert region_label("elbow") == "elbow (region no longer on the map)"
        picture = body_map_svg({"face": 0.5}, title="Map")
        assert "<title>Face: 50%</title>" in picture and ">Front</text>" in picture


def test_a_checkin_is_named_in_the_readers_language() -> None:
    with translation.override("es"):
        assert [checkin_words(w) for w in ("Baseline", "Week 4", "Discharge")] == [
            "Al empezar el programa",
            "Semana 4",
            "Al terminar el programa",
        ]
        assert checkin_words("1 month") == "1 mes" and checkin_words("12 months") == "12 meses"
        assert checkin_words("Extra visit") == "Extra visit"  # another shape: as stored
    with translation.override("en"):
        assert [checkin_words(w) for w in ("Baseline", "Week 4", "3 months", "1 month")] == [
            "Baseline",
            "Week 4",
            "3 months",
            "1 month",
        ]


# --- The family's page --------------------------------------------------------------------------


def test_a_spanish_teen_marks_the_map_in_spanish_spoken_to_as_tu(
    active: Episode, maya_teen: Any, as_user: Any
) -> None:
    client = as_user(spanish(maya_teen))
    url = reverse("pain_map_mark", args=[active.pk])
    response = client.get(url)
    page = response.content.decode()
    words = text(response)
    assert '<html lang="es"' in page
    for said in (
        "¿Dónde te molestó esta semana?",
        "Toca cada lugar que te molestó, por delante o por detrás, o elige “Ningún lugar ahora”.",
        "Revisión: Al empezar el programa. Solo una vez en esta revisión, no todos los días.",
        "Ver Dónde te molestó como lista",
        "El cuerpo por delante",
        "El lado derecho del cuerpo está a la izquierda del dibujo.",
        "Derecha",
        "Izquierda",
        "Guardar estos lugares",
        "Ningún lugar ahora",
        "Volver a Inicio",
    ):
        assert said in words, said
    # Each region's checkbox is named in Spanish (a screen reader reads its label).
    for name in ("Rodilla derecha, adelante", "Parte de atrás de la rodilla izquierda", "Cara"):
        assert f'class="bm-name">{name}</label>' in page, name
    assert "Back of the left knee" not in page and "Right knee" not in page
    assert english_on(page) == []

    data = {
        "respondent": "child",
        "timepoint": "baseline",
        "label": "Baseline",
        "submission_key": str(response.context["form"].initial["submission_key"]),
        "regions": ["knee-right-front"],
    }
    saved = client.post(url, data, follow=True)
    after = text(saved)
    assert "Gracias. Tu equipo de atención lo va a revisar contigo." in after
    assert "Por ahora no hay nada que marcar." in after
    assert english_on(saved.content.decode()) == []


def test_a_spanish_teens_mistakes_are_named_in_spanish(
    active: Episode, maya_teen: Any, as_user: Any
) -> None:
    client = as_user(spanish(maya_teen))
    url = reverse("pain_map_mark", args=[active.pk])
    point = {"respondent": "child", "timepoint": "baseline", "label": "Baseline"}
    empty = client.post(url, {**point, "submission_key": str(uuid.uuid4())})
    words = text(empty)
    assert "Todavía no se guardó:" in words
    assert "Marque al menos un lugar del cuerpo o elija “Ningún lugar ahora”." in words
    both = text(
        client.post(
            url, {**point, "submission_key": str(uuid.uuid4()), "regions": ["face"], "nowhere": "1"}
        )
    )
    assert "quite las marcas o guarde los lugares con “Guardar estos lugares”" in both
    unknown = text(
        client.post(url, {**point, "submission_key": str(uuid.uuid4()), "regions": ["elbow"]})
    )
    assert "Dónde te molestó: 'elbow' no es una zona del mapa del cuerpo." in unknown
    assert english_on(empty.content.decode()) == []


def test_a_spanish_parent_is_asked_about_their_child_as_usted(
    active: Episode, gina: Any, as_user: Any
) -> None:
    client = as_user(spanish(gina))
    url = reverse("pain_map_mark", args=[active.pk])
    response = client.get(url + "?for=parent")
    words = text(response)
    assert "¿Dónde le molestó a Maya esta semana?" in words
    assert "Toque cada lugar donde usted vio que le molestaba a Maya" in words
    assert "Ver Dónde le molestó a Maya como lista" in words
    # The child's own map waits too, named with its check-in.
    assert "También falta: el mapa que marca Maya (Al empezar el programa)" in words
    assert english_on(response.content.decode()) == []
    together = text(client.get(url + "?for=child"))
    assert "Llénelo junto con Maya: toquen cada lugar que le molestó" in together
    assert "También falta: su propio mapa de Maya (Al empezar el programa)" in together
    saved = client.post(
        url,
        {
            "respondent": "parent",
            "timepoint": "baseline",
            "label": "Baseline",
            "submission_key": str(uuid.uuid4()),
            "nowhere": "1",
        },
        follow=True,
    )
    assert "Gracias. El equipo de atención lo va a revisar con usted." in text(saved)


# --- The family's home --------------------------------------------------------------------------


def test_the_to_do_on_a_spanish_family_home(
    active: Episode, gina: Any, maya_teen: Any, as_user: Any
) -> None:
    teen = todos(as_user(spanish(maya_teen)).get(reverse("family_home")).content.decode())
    assert any(t.startswith("Marca tu mapa del cuerpo dónde te molestó") for t in teen), teen
    parent = todos(as_user(spanish(gina)).get(reverse("family_home")).content.decode())
    assert any(t.startswith("Dónde le molestó a Maya como usted lo vio") for t in parent), parent
    assert not any("Where it bothered" in t or "body map" in t for t in teen + parent)
