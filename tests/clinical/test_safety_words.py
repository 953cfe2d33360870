"""The safety word list: what it finds in a family's message, what it leaves alone on purpose, and
that a phrase is found whatever surrounds it (backto/clinical/safety_words.py)."""

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backto.clinical.safety_words import PHRASES, matched_phrases, normalise, suggests_self_harm

FAST = settings(max_examples=150, deadline=None)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("I want to kill myself", "kill myself"),
        ("i just want to KILL MYSELF.", "kill myself"),
        ("Im going to k1ll mys3lf", "kill myself"),
        ("killlll myselfff", "kill myself"),
        ("kms", "kill myself"),
        ("someone at school told her to kill herself", "kill myself"),
        ("I want to die", "want to die"),
        ("the pain makes me wanna dieeee", "want to die"),
        ("She said she wants to die", "want to die"),
        ("I'd rather be dead than go back to school", "want to die"),
        ("I don\u2019t want to live anymore", "want to die"),
        ("I wish I was dead", "wish I was dead"),
        ("i wish i wasnt alive", "wish I was dead"),
        ("I want to end my life", "end my life"),
        ("he tried to take his own life last year", "end my life"),
        ("I'm going to end it all", "end it all"),
        ("I've been hurting myself", "hurt myself"),
        ("I hurt myself on purpose", "hurt myself"),
        ("she has been harming herself", "hurt myself"),
        ("I started cutting again", "cutting"),
        ("Ive been cuting", "cutting"),
        ("I saw cuts on her arms", "cutting"),
        ("I self-harm when it gets bad", "self-harm"),
        ("thinking about suicide", "suicide"),
        ("Suicidal thoughts again", "suicide"),
        ("sucidal", "suicide"),
        ("there is no reason to live", "no reason to live"),
        ("I have nothing to live for", "no reason to live"),
        ("what's the point of living like this", "no reason to live"),
        ("everyone would be better off without me", "better off without me"),
        ("I'd be better off dead", "better off dead"),
        ("nobody would care if I died", "better off without me"),
        ("She took too many pills last night", "overdose"),
        ("I'm scared he'll overdose", "overdose"),
        ("the pain is killing me and I can't go on", "can't go on"),
        ("I can't take it anymore!!!", "can't go on"),
        ("please just kill me", "kill me"),
        ("I hope I never wake up again", "never wake up"),
        ("she keeps thinking about death", "thinking about dying"),
        ("I hate my life", "give up on life"),
        ("thinking about jumping off the bridge", "jump off"),
        ("Su\u00efcide", "suicide"),  # an accent is no disguise
    ],
)
def test_it_finds_words_that_suggest_self_harm(text, label):
    assert label in matched_phrases(text)
    assert suggests_self_harm(text)


@pytest.mark.parametrize(
    "text",
    [
        "She has a new skill: riding her bike again",
        "The swelling died down after the weekend",
        "this pain is killing me",  # pain talk, decided on purpose (the module's docstring)
        "I'm dying here, my foot is on fire",
        "it hurts so much today",
        "Can we move Tuesday's PT to Thursday?",
        "We are cutting back on screen time before bed",
        "cutting down the gabapentin as Dr Lee said",
        "She hurt her shoulder blade at gym",
        "He killed it at the swim meet!",
        "I'm dying to get back to dance",
        "We're overdoing it with the stretches, I think",
        "My daughter succeeded in walking to school",
        "The kids were killing time before the session",
        "She said she would die of embarrassment if her friends saw the brace",
        "",
    ],
)
def test_everyday_words_and_pain_talk_do_not_alert(text):
    assert matched_phrases(text) == ()


def test_each_phrase_is_said_once_in_the_lists_order():
    found = matched_phrases("I want to kill myself. I want to kill myself. I want to die.")
    assert found == ("kill myself", "want to die")


def test_normalising_reads_case_apostrophes_repeats_and_symbols_between_letters_alike():
    assert normalise("DON'T  k1lll   My-Self!!!") == "dont kil my self"
    assert normalise("I\u2019m") == "im"
    assert normalise("10 pills") == "10 pils"  # a number on its own stays a number


def test_every_phrase_finds_its_example():
    for phrase in PHRASES:
        example = phrase.example or phrase.label
        assert phrase.label in matched_phrases(example), phrase


# A separator between the phrase and its surroundings: never a letter, digit, apostrophe or a
# symbol read as a letter, which would join them into one word.
SEPARATORS = st.text(alphabet=' .,!?;:\n\t-()"/', min_size=1, max_size=3)


def _exception_follows(phrase, suffix: str) -> bool:
    words = normalise(suffix)
    return any(
        re.match(rf"{re.escape(normalise(word))}(?![a-z0-9])", words)
        for word in phrase.unless_followed_by
    )


@FAST
@given(
    phrase=st.sampled_from(PHRASES),
    prefix=st.text(max_size=40),
    before=SEPARATORS,
    after=SEPARATORS,
    suffix=st.text(max_size=40),
)
def test_a_phrase_is_found_whatever_text_surrounds_it(phrase, prefix, before, after, suffix):
    assume(not _exception_follows(phrase, suffix))
    example = phrase.example or phrase.label
    assert phrase.label in matched_phrases(prefix + before + example + after + suffix)


@FAST
@given(phrase=st.sampled_from(PHRASES), data=st.data())
def test_a_phrase_is_found_in_any_case_and_with_letters_repeated(phrase, data):
    example = phrase.example or phrase.label
    shouted = "".join(
        c * data.draw(st.integers(1, 3)) if c.isalpha() else c for c in example
    ).upper()
    assert phrase.label in matched_phrases(shouted)
