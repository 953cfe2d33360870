"""Words that suggest self-harm or suicide in a family's message: a net for the care team, never
a judgement about the person who wrote them.

A message from a child or a parent that contains one of these phrases raises the same safety
alert a diary's lowest mood does (docs/messaging-safety.md). The list is conservative: when in
doubt it matches, because a false alarm costs a clinician a minute and a miss can cost a life.
It is English and Spanish (PHRASES_ES, Latin American phrasing), and every message is checked
against both whatever its writer's account language: families mix languages. It is a list, not
an understanding of language: "I would never hurt myself" matches (the team reads it and closes
the alert), and a message that says the same thing in words not listed here does not (the team
still reads every message). A Spanish phrase is labelled like its English twin ("want to die"),
so the care team reads one set of labels; the alert shows the message's own words.

Matching is done on normalised text (`normalise`): letters without accents and in lower case,
apostrophes dropped ("don't" is "dont"), a digit or symbol between letters read as the letter it
stands for ("k1ll"), everything else that is not a letter or digit a space, and every run of a
repeated letter read as one ("killlll", "kill" and "kil" are the same word; so are "cutting" and
"cuting", the commonest misspelling). Phrases match as whole words: "skill" is not "kill", and
"the swelling died down" contains no phrase.

Decided on purpose, and tested (tests/clinical/test_safety_words.py):

- Pain talk is not a safety phrase: "this pain is killing me", "I'm dying here", "it hurts so
  much" do not alert. Families in a pain program say these every day, and an alert that fires on
  every third message stops being read. What does alert is what turns pain talk into a wish not
  to live or a loss of hope: "the pain makes me want to die", "I can't go on", "what's the point
  of living", "I'd rather be dead".
- Asking for death does alert, even when it may be a figure of speech: "just kill me", "kill me
  now", "I'd rather die than go to PT".
- A parent's report about their child alerts like the child's own words: "she said she wants to
  die", "he has been hurting himself", "cuts on her arms".
- "cutting" alone alerts (teens say "I started cutting again"), except in the few everyday
  phrases listed with it ("cutting back", "cutting down", "cutting out", ...).
- Injuries said with the same words alert: "she hurt herself at soccer" is read by the team and
  closed. The words are the same as self-harm's and this list cannot tell them apart.

In Spanish, the phrases and what is decided about them are in safety_words_es.py (tested in
tests/clinical/test_safety_words_es.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from backto.clinical.safety_words_es import SPANISH_PHRASES

_APOSTROPHES = "'\u2019\u2018\u02bc`\u00b4"
# A digit or symbol written between letters stands for a letter ("k1ll", "su1cide", "s3lf").
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
_LEET_BETWEEN_LETTERS = re.compile(r"(?<=[a-z])[013457@$]+(?=[a-z])")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_REPEATED = re.compile(r"([a-z])\1+")


def normalise(text: str) -> str:
    """The text as phrases are matched against (see the module's docstring)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    for mark in _APOSTROPHES:
        text = text.replace(mark, "")
    text = _LEET_BETWEEN_LETTERS.sub(lambda m: "".join(_LEET[c] for c in m.group()), text)
    text = _NOT_WORD.sub(" ", text).strip()
    return _REPEATED.sub(r"\1", text)


@dataclass(frozen=True)
class SafetyPhrase:
    """One phrase of the list. `label` is how the care team sees it on the alert; `pattern` is a
    regular expression over normalised text, written with ordinary spelling (its repeated letters
    are read as one, like the text's) where `*` ends a word that may go on ("suicid*") and
    `(a|b)` offers choices; `unless_followed_by` names the words after it that make it everyday
    speech ("cutting back")."""

    label: str
    pattern: str
    unless_followed_by: tuple[str, ...] = field(default=())
    example: str = ""  # a message it finds, for the tests (the label when empty)

    def compiled(self) -> re.Pattern[str]:
        body = _REPEATED.sub(r"\1", self.pattern.replace("*", "[a-z]*"))
        unless = ""
        if self.unless_followed_by:
            words = "|".join(normalise(w) for w in self.unless_followed_by)
            unless = rf"(?! (?:{words})(?![a-z0-9]))"
        return re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9]){unless}")


_SELF = (
    "(myself|my self|meself|myslef|mysef|mysel|himself|him self|herself|her self|themselves|"
    "themself|them self|yourself|your self|urself|ur self)"
)
_THEIR = "(my|her|his|their|your|ur)"
_PILLS = "(pills|tablets|meds|medicine|medicines|medication|medications|painkillers|tylenol)"

PHRASES: tuple[SafetyPhrase, ...] = (
    SafetyPhrase("suicide", "(suicid*|sucid*|suicd*|suisid*|suiscid*|sucicid*|sewerslide)"),
    SafetyPhrase("kill myself", rf"(kil*|unalive*) {_SELF}", example="I want to kill myself"),
    SafetyPhrase("kill myself", "(kms|kys|unalive|unaliving)", example="honestly kms"),
    SafetyPhrase(
        "hurt myself",
        rf"(hurt*|harm*|injur*|cut|cuts|cutting|burn*|stab*|starv*|punish*|poison*|hang*|"
        rf"drown*|shoot*|shot|choke*|choking|strangl*) {_SELF}",
        example="I hurt myself again",
    ),
    SafetyPhrase("self-harm", "(self harm*|selfharm*|self injur*|self mutilat*|sh again)"),
    SafetyPhrase(
        "cutting",
        "cutting",
        unless_followed_by=(
            "back",
            "down",
            "out",
            "edge",
            "board",
            "it close",
            "costs",
            "corners",
            "class",
            "classes",
            "school",
            "ties",
            "in line",
            "hair",
            "my hair",
            "her hair",
            "his hair",
            "the grass",
            "the lawn",
            "paper",
            "food",
            "up food",
            "vegetables",
        ),
        example="I started cutting again",
    ),
    SafetyPhrase(
        "cutting",
        rf"(cuts|cut marks|scars|scratches|burns) on {_THEIR} (arm*|leg*|wrist*|thigh*|stomach|skin)",
        example="I saw cuts on her arms",
    ),
    SafetyPhrase("cutting", rf"(slit*|slash*|cut|cuts|cutting) {_THEIR} (wrist*|arm|arms|throat)"),
    SafetyPhrase("razor blades", "razor blade*|(razor|razors|blade|blades) to cut"),
    SafetyPhrase(
        "want to die",
        "(want|wants|wanted|wanting|wana|wish|wishes|wished|ready|deserve|deserves|rather|"
        "prefer|hope|hoping) (to |2 )?(just )?(die|be dead|be gone forever|not exist)",
        example="the pain makes me want to die",
    ),
    SafetyPhrase(
        "want to die",
        "(dont|do not|doesnt|does not|didnt|did not|dnt) (want|wana) (to |2 )?"
        "(live|be alive|exist|be here anymore|be here any more|be on this earth|wake up ever)",
        example="I don't want to live",
    ),
    SafetyPhrase(
        "wish I was dead",
        "(wish|wished|wishing) (i|id|i had|she|he|they) (was|were|had been|could be|is|be) "
        "(dead|never born|gone)",
    ),
    SafetyPhrase(
        "wish I was dead",
        "(wish|wished|wishing) (i|id|she|he|they) (wasnt|werent|was not|were not|didnt|did not)"
        " (born|alive|here anymore|exist|wake up)",
        example="I wish I wasn't alive",
    ),
    SafetyPhrase(
        "wish I was dead",
        "(wish|wished) (i|she|he|they) could (disappear|vanish|stop existing|not exist|sleep "
        "forever|go to sleep forever|die)",
    ),
    SafetyPhrase(
        "thinking about dying",
        "(think*|thought*|dream*) (about|of) (dying|death|being dead|not being here|not "
        "existing|ending it)",
        example="I keep thinking about dying",
    ),
    SafetyPhrase(
        "never wake up",
        "(never|not) wake up (again|ever)|die in (my|her|his|their) sleep|sleep forever",
        example="I hope I never wake up again",
    ),
    SafetyPhrase("end my life", rf"(end*|take|taking|took) {_THEIR} (own )?life"),
    SafetyPhrase("end it all", "(end|ending|ended) it (al|now|tonight|today|forever)"),
    SafetyPhrase("better off dead", "beter of (dead|gone|not here|not alive|not being here)"),
    SafetyPhrase(
        "better off without me",
        "beter (of )?without (me|her|him|them)|(nobody|no one|noone|no body) would (care|"
        "notice|miss me|miss her|miss him) if (i|she|he)",
        example="everyone would be better off without me",
    ),
    SafetyPhrase(
        "no reason to live",
        "no (reason|reasons) (to|for) (live|living|go on|going on|be alive|keep going)"
        "|nothing (left )?to live for|not worth living|(isnt|is not|aint) worth living"
        "|(no|whats the|what is the) point (of|in) (living|life|being alive|going on|"
        "being here|anything anymore|trying anymore)",
    ),
    SafetyPhrase(
        "can't go on",
        "(cant|can not|cannot|cnt) (go on|keep going|do this anymore|do this any more|do it "
        "anymore|take it anymore|take it any more|take this anymore|take this any more|"
        "live like this)",
        example="I can't go on like this",
    ),
    SafetyPhrase(
        "give up on life",
        "(give|gave|giving|given) up on (life|living|everything|myself)|hate (my|her|his) life"
        "|(my|her|his) life is (over|pointless|worthless)",
    ),
    SafetyPhrase(
        "overdose",
        rf"(overdos*|over dos*|(od|oded|oding) on)|(take|took|taking|swallow*) (al|a lot of|a "
        rf"bunch of|a bottle of|too many|every one of) (of )?(my |the |her |his |their )?{_PILLS}",
        example="she took too many pills",
    ),
    SafetyPhrase(
        "kill me",
        "(just|please|plz|pls|someone|somebody|god) kil me|kil me now",
        example="please just kill me",
    ),
    SafetyPhrase(
        "jump off",
        "(jump*|throw* myself) (of|from|in front of) (a|the|this) (bridge|roof|building|"
        "train|car|cliff|window|bus)",
        example="I could jump off the bridge",
    ),
    SafetyPhrase(
        "goodbye forever",
        "goodbye (forever|everyone|cruel world)|(say|said|saying) goodbye (forever|to everyone)",
    ),
)

# Spanish: its own module (it says what is decided there), read here as SafetyPhrases.
PHRASES_ES: tuple[SafetyPhrase, ...] = tuple(SafetyPhrase(*phrase) for phrase in SPANISH_PHRASES)

ALL_PHRASES: tuple[SafetyPhrase, ...] = PHRASES + PHRASES_ES
_COMPILED = tuple((phrase, phrase.compiled()) for phrase in ALL_PHRASES)


def matched_phrases(text: str) -> tuple[str, ...]:
    """The labels of the phrases found in `text`, in the list's order, each once; empty when
    none is. `text` is a message as written."""
    words = normalise(text)
    found: list[str] = []
    for phrase, pattern in _COMPILED:
        if phrase.label not in found and pattern.search(words):
            found.append(phrase.label)
    return tuple(found)


def suggests_self_harm(text: str) -> bool:
    return bool(matched_phrases(text))
