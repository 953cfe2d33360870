"""The Spanish safety words: what they find, with or without accents, in a message whatever its
writer's account language, and the everyday Spanish they leave alone on purpose
(backto/clinical/safety_words.py, docs/messaging-safety.md)."""

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backto.clinical.safety_words import (
    ALL_PHRASES,
    PHRASES,
    PHRASES_ES,
    matched_phrases,
    normalise,
)

FAST = settings(max_examples=150, deadline=None)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("me quiero morir", "want to die"),
        ("Me quiero morír", "want to die"),
        ("ME QUIERO MORIIIIR", "want to die"),
        ("tengo ganas de morirme", "want to die"),
        ("Mi hija dice que se quiere morir", "want to die"),
        ("quiero desaparecer", "want to die"),
        ("no quiero vivir", "want to die"),
        ("ya no quiero vivir así", "want to die"),
        ("no quiero seguir viviendo", "want to die"),
        ("quiero matarme", "kill myself"),
        ("me voy a matar", "kill myself"),
        ("se quiere matar", "kill myself"),
        ("me quiero dar cuello", "kill myself"),
        ("pensé en suicidarme", "suicide"),
        ("quiero hacerme daño", "hurt myself"),
        ("quiero hacerme dano", "hurt myself"),
        ("me lastimé a propósito", "hurt myself"),
        ("se está lastimando", "hurt myself"),
        ("me autolesiono cuando estoy mal", "self-harm"),
        ("me estoy cortando otra vez", "cutting"),
        ("quiero cortarme", "cutting"),
        ("se cortó otra vez anoche", "cutting"),
        ("me corté las venas", "cutting"),
        ("le vi cortes en los brazos", "cutting"),
        ("le vi cicatrices en las muñecas", "cutting"),
        ("quisiera estar muerta", "wish I was dead"),
        ("ojalá no hubiera nacido", "wish I was dead"),
        ("no dejo de pensar en la muerte", "thinking about dying"),
        ("ojalá no despierte mañana", "never wake up"),
        ("quiero dormir para siempre", "never wake up"),
        ("quiero quitarme la vida", "end my life"),
        ("quiero acabar con todo", "end it all"),
        ("estaría mejor muerto", "better off dead"),
        ("todos estarían mejor sin mí", "better off without me"),
        ("a nadie le importaría si me muero", "better off without me"),
        ("mi vida no tiene sentido", "no reason to live"),
        ("la vida no vale la pena", "no reason to live"),
        ("no tengo razones para vivir", "no reason to live"),
        ("ya no puedo más", "can't go on"),
        ("no aguanto más", "can't go on"),
        ("no puedo seguir así", "can't go on"),
        ("odio mi vida", "give up on life"),
        ("se tomó todas las pastillas", "overdose"),
        ("me voy a tomar un frasco de pastillas", "overdose"),
        ("sobredosis", "overdose"),
        ("que alguien me mate", "kill me"),
        ("quiero tirarme del puente", "jump off"),
        ("adiós para siempre", "goodbye forever"),
    ],
)
def test_spanish_words_that_suggest_self_harm_raise_the_alert(text, label):
    assert label in matched_phrases(text)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # "Me" before the verb: the misses a review found, whose English twins alert.
        ("me quiero cortar", "cutting"),
        ("Me quiero cortar otra vez", "cutting"),
        ("me voy a cortar", "cutting"),
        ("me dan ganas de cortar", "cutting"),
        ("se quiere cortar", "cutting"),
        ("me quiero hacer daño", "hurt myself"),
        ("me quiero hacer dano", "hurt myself"),
        ("me voy a hacer daño", "hurt myself"),
        ("me quiero lastimar", "hurt myself"),
        ("me quiero lastimár", "hurt myself"),
        ("se va a lastimar otra vez", "hurt myself"),
        ("quiero hacerme daño en los brazos", "hurt myself"),
        ("me quiero tirar del puente", "jump off"),
        ("me quiero aventar del puente", "jump off"),
        ("me voy a tirar del edificio", "jump off"),
        ("me voy a tirar del techo", "jump off"),
        ("me voy a aventar del quinto piso", "jump off"),
        ("me quiero tirar a las vías del tren", "jump off"),
        ("se quiere lanzar desde la azotea", "jump off"),
        ("me quiero colgar", "kill myself"),
        ("pensé en colgarme", "kill myself"),
        ("pense en colgarme", "kill myself"),
        ("quiere colgarse de un árbol", "kill myself"),
        ("pensé en ahorcarme", "kill myself"),
        ("me quiero ahorcar", "kill myself"),
        ("quiero dejar de vivir", "want to die"),
        ("Quiero dejar de vivír", "want to die"),
        ("a veces pienso en dejar de vivir", "want to die"),
        # "Que" after "ya no puedo más" is a plea, not "only" (the comma is gone once normalised).
        ("ya no puedo más, que alguien me ayude", "can't go on"),
        ("ya no puedo más que alguien me ayude", "can't go on"),
        ("no aguanto más, que se acabe ya", "can't go on"),
        # A possessive, something going on, or "on purpose" is not an accident.
        ("me lastimé mis brazos a propósito", "hurt myself"),
        ("me lastimé mis brazos", "hurt myself"),
        ("me estoy lastimando mis brazos", "hurt myself"),
        ("me estoy lastimando los brazos", "hurt myself"),
        ("se está haciendo daño", "hurt myself"),
        ("me lastimé la rodilla a propósito", "hurt myself"),
        ("me hice daño en el brazo adrede", "hurt myself"),
        ("me hice daño en mis piernas", "hurt myself"),
        ("me lastimé mi rodilla jugando", "hurt myself"),
        # Decided on purpose, in doubt (docs/messaging-safety.md).
        ("me voy a lastimar", "hurt myself"),
        ("me dan ganas de colgar", "kill myself"),
        ("se quiere tirar del puente", "jump off"),
        ("me quiero tirar al río", "jump off"),
        ("la app se va a colgar", "kill myself"),
        ("ya no puedo más que llorar", "can't go on"),
        ("ya no aguanto más que 10 minutos", "can't go on"),
    ],
)
def test_a_wish_or_a_plan_said_with_me_before_the_verb_raises_the_alert(text, label):
    assert label in matched_phrases(text)


@pytest.mark.parametrize(
    "text",
    [
        # Pain talk and everyday sayings (decided on purpose: the module's docstring).
        "me muero de risa",
        "me mata la tarea",
        "la fisioterapia me mata",
        "este dolor me está matando",
        "me estoy muriendo de dolor",
        "me muero de hambre",
        "me duele mucho hoy",
        "mi hijo se muere de ganas de volver a la escuela",
        "me quiero morir de vergüenza",
        "me quiero morir de la risa",
        # Someone else "will kill me": a figure of speech, not about oneself.
        "mi mamá me va a matar",
        "mi mamá va a matarme si pierdo el celular",
        "mi mamá va a castigarme",
        "quiero matar el tiempo antes de la cita",
        # Injuries and everyday cuts, said with a body part or a thing.
        "me corté el pelo",
        "me corté el dedo cortando cebolla",
        "se cortó la llamada",
        "se me cortó el internet",
        "hoy se cortó la luz",
        "me lastimé la rodilla jugando fútbol",
        "me lastimé la rodilla jugando",
        "me lastimé la rodilla",
        "se lastimó el tobillo en la escuela",
        "me voy a cortar el pelo",
        "me quiero cortar el fleco",
        "se va a cortar la llamada",
        "me voy a colgar la mochila",
        "se quiere colgar de las barras en el parque",
        # Throwing oneself where it is play: a pool, a bed, the floor.
        "me voy a tirar a la alberca",
        "me quiero aventar a la piscina",
        "me voy a tirar en la cama",
        "me tiro al piso a estirar",
        "no quiero dejar de vivir mi vida por el dolor",
        "me hice daño en el tobillo",
        "tiene una herida en la rodilla",
        # Other everyday Spanish.
        "no aguanto más de la risa",
        "ya no puedo más que esperar",
        "no aguanta más que diez minutos sentada",
        "ya no puedo más que agradecerles",
        "me voy a tirar al mar",
        "me quiero aventar al lago",
        "no quiero despertar temprano mañana",
        "quiero terminar con todo el trabajo hoy",
        "¿Podemos cambiar la cita del martes?",
        "no puede más de diez minutos de pie",
    ],
)
def test_everyday_spanish_does_not_alert(text):
    assert matched_phrases(text) == ()


def test_both_languages_are_checked_in_one_message():
    found = matched_phrases("I can't go on. Me quiero morir.")
    assert found == ("can't go on", "want to die")  # the English list's order, each once


def test_spanish_phrases_use_the_english_labels_the_care_team_reads():
    assert {p.label for p in PHRASES_ES} <= {p.label for p in PHRASES}
    assert ALL_PHRASES == PHRASES + PHRASES_ES


def test_accents_and_the_enye_are_optional():
    assert normalise("Daño, MUÑECAS, morír") == "dano munecas morir"
    assert matched_phrases("quiero hacerme daño") == matched_phrases("quiero hacerme dano")


def test_every_spanish_phrase_finds_its_example():
    for phrase in PHRASES_ES:
        assert phrase.example, phrase
        assert phrase.label in matched_phrases(phrase.example), phrase


SEPARATORS = st.text(alphabet=' .,!?;:\n\t-()"/¿¡', min_size=1, max_size=3)


def _exception_follows(phrase, suffix: str) -> bool:
    words = normalise(suffix)
    return any(
        re.match(rf"{re.escape(normalise(word))}(?![a-z0-9])", words)
        for word in phrase.unless_followed_by
    )


@FAST
@given(
    phrase=st.sampled_from(PHRASES_ES),
    prefix=st.text(max_size=40),
    before=SEPARATORS,
    after=SEPARATORS,
    suffix=st.text(max_size=40),
)
def test_a_spanish_phrase_is_found_whatever_text_surrounds_it(
    phrase, prefix, before, after, suffix
):
    assume(not _exception_follows(phrase, suffix))
    assert phrase.label in matched_phrases(prefix + before + phrase.example + after + suffix)


@FAST
@given(phrase=st.sampled_from(PHRASES_ES), data=st.data())
def test_a_spanish_phrase_is_found_in_any_case_and_with_letters_repeated(phrase, data):
    shouted = "".join(
        c * data.draw(st.integers(1, 3)) if c.isalpha() else c for c in phrase.example
    ).upper()
    assert phrase.label in matched_phrases(shouted)
