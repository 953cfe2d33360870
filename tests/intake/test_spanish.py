"""A Spanish-speaking parent answers the intake questions from home in Spanish (issue 22): the
page, the questions, the answers' labels, the summary and the thanks are Spanish ("usted"), and
what is saved is exactly what the same answers save in English."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from backto.access.patients.actions import episode_transition
from backto.capabilities.intake.models import Intake
from backto.capabilities.intake.screening_forms import family_question
from tests.conftest import TODAY
from tests.i18n.test_family_pages_in_spanish import english_left
from tests.intake.test_intake import family_answers


def url(episode):
    return reverse("intake", args=[episode.pk])


@pytest.fixture
def at_intake(episode, pat):
    """Maya's episode at the intake stage: the family answers from home."""
    episode_transition(by=pat, episode=episode, target="intake")
    episode.refresh_from_db()
    return episode


def reads(person, language):
    person.language = language
    person.save(update_fields=["language"])


def english_on(page, clinic):
    """The English left on the page but the clinic's name (its own words, not translated)."""
    return [text for text in english_left(page) if clinic.name not in text]


def stored(episode):
    intake = Intake.objects.get(episode=episode)
    history = {
        name: getattr(intake, name)
        for name in (
            "onset_date",
            "trigger",
            "trigger_note",
            "prior_treatments",
            "medicines",
            "workup",
        )
    }
    return history, intake.screening, intake.red_flags


def test_a_spanish_parent_reads_the_intake_in_spanish(as_user, gina, at_intake):
    reads(gina, "es")
    response = as_user(gina).get(url(at_intake))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="es"' in page
    assert "Antes de la primera visita: Maya" in page
    assert "¿Cuándo empezó el dolor?" in page
    assert "Una época de mucho estrés" in page  # a trigger
    assert "¿Le duele un toque suave, como la ropa, las sábanas o una caricia?" in page
    assert "¿El dolor ha durado 3 meses o más?" in page
    assert "¿El dolor ha despertado a su hijo o hija por la noche?" in page
    assert "Señales de alarma que debe revisar un médico" in page
    assert " No sé</label>" in page and ">Va y viene</option>" in page
    assert english_on(page, gina.clinic) == []


def test_her_answers_are_saved_exactly_as_in_english(as_user, gina, at_intake):
    reads(gina, "es")
    client = as_user(gina)
    response = client.post(url(at_intake), family_answers(), follow=True)
    page = response.content.decode()
    assert (
        "Gracias. El equipo de atención revisará sus respuestas con usted en la primera visita."
        in page
    )
    # Onset 200 days ago answers item 1 (3 months or more): 4 features.
    assert (
        "4 características que se ven a menudo en el dolor amplificado. Un profesional de la "
        "salud tiene que examinar a su hijo o hija." in page
    )
    assert "Lo que dicen sus respuestas" in page
    assert english_on(page, gina.clinic) == []
    in_spanish = stored(at_intake)
    assert in_spanish[1]["allodynia"] == {"answer": "yes"}
    assert in_spanish[1]["pattern"] == {"answer": "yes", "value": "constant"}
    assert in_spanish[0]["trigger"] == "injury"

    reads(gina, "en")
    client.post(url(at_intake), family_answers())
    assert stored(at_intake) == in_spanish


def test_the_warning_signs_come_first_in_spanish(as_user, gina, at_intake):
    reads(gina, "es")
    client = as_user(gina)
    client.post(url(at_intake), family_answers(r_night_pain="yes", r_fever="unknown"))
    page = client.get(url(at_intake)).content.decode()
    first = page.index(
        "Primero, pida una consulta médica. Algunas respuestas tiene que revisarlas un médico: "
        "dolor que despierta a su hijo o hija por la noche."
    )
    assert first < page.index("Un médico todavía tiene que revisar: fiebre.")
    assert first < page.index("en el dolor amplificado")
    assert Intake.objects.get().red_flags["night_pain"] == {"answer": "yes"}


def test_a_date_in_the_future_is_refused_in_spanish(as_user, gina, at_intake):
    reads(gina, "es")
    future = (TODAY + timedelta(days=3)).isoformat()
    page = as_user(gina).post(url(at_intake), family_answers(onset_date=future)).content.decode()
    assert "El dolor no puede empezar en una fecha futura." in page
    assert not Intake.objects.exists()


def test_one_month_is_said_in_the_singular():
    with translation.override("es"):
        assert family_question("duration", 1) == "¿El dolor ha durado 1 mes o más?"
        assert family_question("duration", 6) == "¿El dolor ha durado 6 meses o más?"
    assert family_question("duration", 1) == "Has the pain lasted 1 month or more?"
    assert family_question("duration", 3) == "Has the pain lasted 3 months or more?"


def test_the_english_page_is_unchanged(as_user, gina, at_intake):
    page = as_user(gina).get(url(at_intake)).content.decode()
    assert '<html lang="en"' in page
    assert "Has the pain lasted 3 months or more?" in page
    assert "Has your child had pain that wakes your child at night?" in page
    assert "¿" not in page


def test_a_parent_whose_baseline_map_is_due_is_sent_to_it_in_spanish(as_user, gina, at_intake):
    """As in English (test_tallies_from_exam): a parent's questionnaire open at baseline makes
    the parent's body map due, and the intake points to it instead of asking to count areas."""
    from backto.capabilities.exam.pain_map_actions import pain_map_record
    from backto.capabilities.measures.models import Administration
    from tests.intake.test_tallies_from_exam import WIDESPREAD

    Administration.objects.create(
        episode=at_intake,
        instrument_id="fdi-parent",
        respondent="parent",
        timepoint="baseline",
        label="Baseline",
        due_on=TODAY,
        state="due",
    )
    reads(gina, "es")
    client = as_user(gina)
    page = client.get(url(at_intake)).content.decode()
    assert "En vez de contar las partes aquí, puede mostrarnos en el mapa del cuerpo." in page
    assert ">Marcar en el mapa del cuerpo dónde le duele</a>" in page
    assert "¿Cuántas partes del cuerpo le duelen?" not in page
    assert english_on(page, gina.clinic) == []
    pain_map_record(
        by=gina,
        episode=at_intake,
        respondent="parent",
        timepoint="baseline",
        label="Baseline",
        regions=list(WIDESPREAD),
        day=TODAY,
        submission_key=uuid.uuid4(),
    )
    page = client.get(url(at_intake)).content.decode()
    with translation.override("es"):
        day = date_format(TODAY, r"j \d\e F \d\e Y")
    assert f"El {day} se marcó en el mapa del cuerpo dónde le duele" in page
    assert english_on(page, gina.clinic) == []
