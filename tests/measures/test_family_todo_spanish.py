"""The questionnaires on a Spanish-reading family's home (issue 22): each to-do's title as its
page shows it (the clinic's wording in Spanish first, else BackTo's Spanish, else the English
title marked lang="en"), its words "tú" to a teen and "usted" to a parent, in a fixed number of
queries; an English reader's to-dos are unchanged."""

import re
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.access.accounts.models import User
from backto.capabilities.instruments.actions import instrument_pack_install
from backto.capabilities.measures.models import Administration, AdminState
from backto.clinical.instrument_packs import InstrumentPack as PackContent
from backto.clinical.instrument_registry import instrument_registry
from tests.conftest import spanish
from tests.dashboards.test_family_todos import _child_in_the_program, todos
from tests.i18n.test_family_pages_in_spanish import english_left

HOME = reverse("family_home")


def spanish_pack(clinic: Any, instrument_id: str, title: str | None) -> None:
    instrument = instrument_registry().get(instrument_id)
    pack = PackContent(
        instrument=instrument.id,
        version=instrument.version,
        language="es",
        licensed_to="the test clinic",
        title=title,
        items={i.linkId: f"Texto de prueba {i.linkId}" for i in instrument.items},
        option_labels={
            str(o.value): f"Respuesta {o.value}" for i in instrument.items for o in i.answerOption
        },
    )
    instrument_pack_install(clinic=clinic, pack=pack, source_name="prueba", username="tests")


def todo_lists(page: str) -> str:
    return "".join(re.findall(r'<ul class="todos".*?</ul>', page, flags=re.S))


def test_a_spanish_parent_and_teen_read_their_questionnaires_in_spanish(
    as_user: Any, gina: User, maya_teen: User, active: Any
) -> None:
    parent = as_user(spanish(gina)).get(HOME).content.decode()
    said = todos(parent)
    assert any(t.startswith("Asistencia a la escuela para usted") for t in said), said
    teen = as_user(spanish(maya_teen)).get(HOME).content.decode()
    assert any(t.startswith("Dolor del 0 al 10 para ti") for t in todos(teen)), todos(teen)
    for page in (parent, teen):
        words = english_left(todo_lists(page))
        assert words == [], words
        assert "for you" not in page and "School attendance" not in page


def test_the_clinics_spanish_wording_names_the_questionnaire_first(
    as_user: Any, worded: Any, gina: User, active: Any
) -> None:
    spanish_pack(worded, "fdi-parent", "Inventario de actividades del día, para la familia")
    spanish_pack(worded, "pcs-p", None)  # a Spanish wording without a title of its own
    page = as_user(spanish(gina)).get(HOME).content.decode()
    said = todos(page)
    assert any(
        t.startswith("Inventario de actividades del día, para la familia para usted") for t in said
    ), said
    # No Spanish title: the English one, marked as English for a screen reader.
    assert '<span lang="en">Pain Catastrophizing Scale, parent version</span>' in page
    assert english_left(todo_lists(page)) == []


def test_a_licensed_questionnaire_without_spanish_keeps_its_english_title_marked(
    as_user: Any, worded: Any, gina: User, active: Any
) -> None:
    page = as_user(spanish(gina)).get(HOME).content.decode()
    assert '<span lang="en">Functional Disability Inventory, parent form</span>' in page
    assert english_left(todo_lists(page)) == []


def test_a_childs_questionnaire_with_a_guardian_and_one_already_started(
    as_user: Any, gina: User, maya: Any, active: Any
) -> None:
    """Maya has no account here: her guardian fills in hers with her."""
    Administration.objects.filter(episode=active, instrument_id="school").update(
        state=AdminState.IN_PROGRESS
    )
    said = todos(as_user(spanish(gina)).get(HOME).content.decode())
    assert any(t.startswith("Dolor del 0 al 10 con Maya") for t in said), said
    assert any(t.startswith("Asistencia a la escuela para usted, ya empezado") for t in said), said


def test_an_english_reader_is_unchanged(as_user: Any, worded: Any, gina: User, active: Any) -> None:
    spanish_pack(worded, "fdi-parent", "Inventario de actividades del día, para la familia")
    page = as_user(gina).get(HOME).content.decode()
    said = todos(page)
    assert any(t.startswith("Functional Disability Inventory, parent form for you") for t in said)
    assert any(t.startswith("School attendance for you") for t in said)
    assert 'lang="en"' not in todo_lists(page) and "Inventario" not in page


def test_a_spanish_home_reads_the_same_number_of_queries_for_one_child_or_three(
    as_user: Any, worded: Any, gina: User, cora: User, pat: User, maya: Any, active: Any
) -> None:
    spanish_pack(worded, "fdi-parent", "Inventario de actividades del día, para la familia")
    client = as_user(spanish(gina))
    client.get(HOME)
    with CaptureQueriesContext(connection) as one:
        client.get(HOME)
    for n in (2, 3):
        _child_in_the_program(n, gina, cora, pat)
    with CaptureQueriesContext(connection) as three:
        page = client.get(HOME).content.decode()
    assert page.count('<ul class="todos"') == 3
    assert len(three) <= len(one)
