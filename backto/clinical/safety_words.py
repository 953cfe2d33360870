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

In Spanish (accents optional: "daño" and "dano", "muñecas" and "munecas" are the same words):

- Pain talk and everyday sayings do not alert: "me muero de risa", "me mata la tarea", "este
  dolor me está matando", "me estoy muriendo de dolor", "mi mamá me va a matar" (someone else
  "will kill me" is a figure of speech). What alerts is the wish or the plan about oneself: "me
  quiero morir", "quiero matarme", "me voy a matar", "no quiero vivir", "ya no puedo más".
- "Me quiero morir" alerts even as a figure of speech, except "... de vergüenza" and "... de
  risa" (dying of embarrassment or of laughter), the Spanish twin of the English exception.
- Reflexive verbs say both "I hurt myself" and "I hurt my (knee)": "me lastimé", "me hice daño",
  "me corté" alert, unless a body part or a thing follows that makes it an injury or an everyday
  act: "me lastimé la rodilla", "me hice daño en el tobillo", "me corté el pelo", "se cortó la
  llamada". "Me corté las venas" and "cortes en los brazos" still alert.
- "Ya no puedo más" and "no aguanto más" alert (the twin of "I can't take it anymore"), unless
  followed by "de risa", "el calor", "de hambre", "de sueño" and the like.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

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

# Spanish: Latin American phrasing a teen or a parent may type. Written without accents (the text
# is matched without them); a reflexive pronoun is usually part of the verb ("matarme").
_WANT = (
    "(quiero|quiere|quieres|queria|querias|quisiera|quisieras|deseo|desea|prefiero|prefiere|"
    "preferiria|tengo ganas de|tiene ganas de|me dan ganas de|le dan ganas de|ganas de)"
)

_PILLS_ES = "(pastillas|pildoras|medicinas|medicamentos|tabletas|pastis|calmantes|analgesicos)"
_EVERYDAY_CUT = (
    "el pelo",
    "el cabello",
    "las unas",
    "la una",
    "el fleco",
    "la barba",
    "la luz",
    "la llamada",
    "el internet",
    "la senal",
    "la conexion",
    "la leche",
    "el agua",
    "el video",
    "con un papel",
    "con el papel",
    "con una hoja",
    "el dedo",
    "un dedo",
    "la comunicacion",
)
_BODY_PART_FOLLOWS = ("el", "la", "los", "las", "un", "una", "mi", "mis", "su", "sus")

PHRASES_ES: tuple[SafetyPhrase, ...] = (
    SafetyPhrase("suicide", "(suicid*|autoelimin*)", example="estoy pensando en suicidarme"),
    SafetyPhrase(
        "kill myself",
        "(voy a|vas a|iba a|quiero|quieres|queria|quisiera|pienso|intente|intento|intentar|"
        "trate de|tratar de|trato de|ganas de|deberia|podria|mejor) (matarme|ahorcarme)"
        "|(va a|iba a|quiere|queria|quisiera|piensa|intento|intentar|trato de|tratar de|"
        "ganas de) (matarse|ahorcarse)"
        "|me (voy a|quiero|queria|quisiera|iba a|pienso|intente) (matar|ahorcar)"
        "|se (va a|quiere|queria|quisiera|iba a|piensa|intento|quiso) (matar|ahorcar)"
        "|te (vas a|quieres) (matar|ahorcar)"
        "|(darme|darse) cuello|(me|se) (quiero|quiere|voy a|va a) dar cuello",
        example="me quiero matar",
    ),
    SafetyPhrase(
        "hurt myself",
        "(hacerme|hacerse|me hago|me hice|se hace|se hizo|me hacia|se hacia|me voy a hacer|se va a"
        " hacer) (dano|mal)",
        unless_followed_by=(
            "en el",
            "en la",
            "en los",
            "en las",
            "en mi",
            "en mis",
            "en su",
            "en sus",
            "jugando",
        ),
        example="quiero hacerme daño",
    ),
    SafetyPhrase(
        "hurt myself",
        "(lastimarme|lastimarse|herirme|herirse|quemarme|quemarse|golpearme|golpearse"
        "|me lastimo|me lastime|se lastima|se lastimo|me estoy lastimando|se esta lastimando"
        "|lastimandome|lastimandose|me quemo|me queme|se quema|se quemo)",
        unless_followed_by=(
            *_BODY_PART_FOLLOWS,
            "con la estufa",
            "con el sol",
            "con el cafe",
            "con la plancha",
            "de calor",
            "jugando",
        ),
        example="me lastimé otra vez a propósito",
    ),
    SafetyPhrase(
        "self-harm",
        "(autolesi*|auto lesi*|autoagre*|auto agre*|autodan*|auto dan*)",
        example="me autolesiono",
    ),
    SafetyPhrase(
        "cutting",
        "(cortarme|cortarse|me corto|me corte|me cortaba|se corta|se corto|se cortaba|te cortas"
        "|me estoy cortando|se esta cortando|cortandome|cortandose"
        "|me (volvi|vuelvo) a cortar|se (volvio|vuelve) a cortar)",
        unless_followed_by=_EVERYDAY_CUT,
        example="me volví a cortar",
    ),
    SafetyPhrase(
        "cutting",
        "(cortes|cortadas|cicatrices|heridas|rasgunos|quemaduras) (en|de) (los |las |la |el |sus |"
        "mis |tus )?(brazos|brazo|piernas|pierna|munecas|muneca|muslos|muslo|panza|estomago|piel)"
        "|(cortarme|cortarse|me corte|me corto|se corto|se corta|cortar) (las |la |mis |sus )?"
        "(venas|munecas|muneca|garganta)",
        example="le vi cortes en los brazos",
    ),
    SafetyPhrase(
        "razor blades",
        "(navaja|navajas|cuchilla|cuchillas|gilette|gillette|rastrillo) para cortar(me|se)",
        example="escondía una navaja para cortarse",
    ),
    SafetyPhrase(
        "want to die",
        rf"{_WANT} (morir|morirme|morirse|estar muert*|dejar de existir|no existir|desaparecer|"
        "no vivir)",
        unless_followed_by=("de verguenza", "de la verguenza", "de risa", "de la risa"),
        example="me quiero morir",
    ),
    SafetyPhrase(
        "want to die",
        "(no|ya no) (quiero|quiere|quieres|queria|quisiera|tengo ganas de|tiene ganas de) "
        "(vivir|seguir viviendo|seguir vivo|seguir viva|seguir con vida|existir|estar vivo|"
        "estar viva|estar aqui ya|seguir aqui|estar en este mundo)"
        "|ya no (quiero|quiere|quiero seguir|quiere seguir) (estar aqui|aqui)",
        example="ya no quiero vivir",
    ),
    SafetyPhrase(
        "wish I was dead",
        "ojala (me muera|me muriera|me muero|morir|morirme|estuviera muert*|no hubiera nacido|"
        "no haber nacido|desaparecer|desapareciera|no existiera|se muera|se muriera)"
        "|(quisiera|desearia|deseo|desea) (estar muert*|no haber nacido|no existir|haber muerto)",
        example="ojalá estuviera muerta",
    ),
    SafetyPhrase(
        "thinking about dying",
        "(pienso|pensando|pense|penso|piensa|pensar|pensamientos|pensado|sueno|sonando) "
        "(en|de) (morir|morirme|morirse|la muerte|matarme|matarse|quitarme la vida|"
        "hacerme dano|no despertar|estar muert*)",
        example="no dejo de pensar en la muerte",
    ),
    SafetyPhrase(
        "never wake up",
        "(no|nunca|quiero) (volver|volvera|vuelva) a despertar|no despertar(me)? (nunca|jamas)"
        "|nunca (mas )?despertar|ojala no (me )?(despierte|despertar)|dormir(me)? para siempre"
        "|morir(me)? dormid*",
        example="ojalá no despierte mañana",
    ),
    SafetyPhrase(
        "end my life",
        "(quitarme|quitarse|quitarte|quitar|me quite|se quito|me quito|se quita) la vida"
        "|(acabar|terminar|acabo|termino|acabe|termine) con (mi|su|tu) (propia )?vida"
        "|(poner|ponerle|ponga) fin a (mi|su|tu) (propia )?vida",
        example="pensó en quitarse la vida",
    ),
    SafetyPhrase(
        "end it all",
        f"({_WANT}|voy a|va a|iba a) (acabar|terminar|ponerle fin) (con|a) todo",
        unless_followed_by=("el", "la", "los", "las", "lo", "mi", "mis", "su", "sus", "tu", "tus"),
        example="quiero acabar con todo",
    ),
    SafetyPhrase(
        "better off dead",
        "mejor muert*|(mejor|preferiria|prefiero|prefiere) (estar )?muert*",
        example="estaría mejor muerto",
    ),
    SafetyPhrase(
        "better off without me",
        "(estarian|estaria|estarias|estan|estaran|estariamos|vivirian) mejor sin (mi|el|ella)"
        "|(nadie|a nadie) (me extranaria|la extranaria|lo extranaria|le importaria si "
        "(me muero|muero|desaparezco|no estoy|se muere))",
        example="todos estarían mejor sin mí",
    ),
    SafetyPhrase(
        "no reason to live",
        "no (tengo|tiene|hay) (razon|razones|motivo|motivos|nada) (para|por) (vivir|seguir)"
        "|nada por (que|lo que) vivir|no vale la pena vivir|(la|mi|su) vida no vale la pena"
        "|no tiene sentido (vivir|seguir viviendo|la vida|mi vida|seguir)"
        "|(mi|su) vida no tiene sentido|para que (vivir|seguir viviendo|sigo viviendo|sigo vivo|"
        "sigo viva)",
        example="mi vida no tiene sentido",
    ),
    SafetyPhrase(
        "can't go on",
        "(ya no|no) (aguanto|aguanta|soporto|soporta) (mas|esta vida|vivir asi)"
        "|ya no (puedo|puede) mas"
        "|no (puedo|puede) mas con (esto|esta vida|mi vida|la vida|todo)"
        "|no (puedo|puede|quiero|quiere) seguir (asi|viviendo|con esta vida|con mi vida)",
        unless_followed_by=(
            "de risa",
            "de la risa",
            "con la risa",
            "que",
            "el calor",
            "del calor",
            "de calor",
            "el frio",
            "de frio",
            "de hambre",
            "el hambre",
            "de sueno",
            "el sueno",
            "de comer",
            "de la emocion",
            "con la emocion",
        ),
        example="ya no puedo más",
    ),
    SafetyPhrase(
        "give up on life",
        "(odio|odia|odias) (mi|su|tu) vida|(me|se) (rindo|rendi|rinde|rindio) con (la vida|todo)"
        "|(mi|su) vida (es una porqueria|no vale nada|se acabo|es un asco)",
        example="odio mi vida",
    ),
    SafetyPhrase(
        "overdose",
        rf"sobredosis|(tomar|tome|tomo|tomarme|tomarse|me tome|se tomo|tragar|trague|trago|"
        rf"tragarme|me trague|se trago|me tomo|me voy a tomar|se va a tomar) (todas|muchas|"
        rf"un monton de|un frasco de|el frasco de|demasiadas|toda la caja de|un punado de|toda la"
        rf" botella de) (las |mis |sus |de )?{_PILLS_ES}",
        example="se tomó todas las pastillas",
    ),
    SafetyPhrase(
        "kill me",
        "(que alguien|alguien|por favor|porfa|dios|dios mio|ojala alguien) (me mate|matame)"
        "|(matame|matenme) (ya|por favor|porfa|ahora)",
        example="que alguien me mate",
    ),
    SafetyPhrase(
        "jump off",
        "(tirarme|tirarse|aventarme|aventarse|lanzarme|lanzarse|botarme|botarse|echarme|me tiro|"
        "me tire|me aviento|me avente|me lanzo|me lance|se tiro|se avento|se lanzo) "
        "(de|del|desde|por|al|a|frente al|frente a|enfrente del|enfrente de) (un |una |el |la |este |"
        "esta |ese |esa )?(puente|techo|azotea|edificio|ventana|tren|metro|carro|coche|auto|"
        "camion|barranco|precipicio|balcon|acantilado)",
        example="quiero tirarme del puente",
    ),
    SafetyPhrase(
        "goodbye forever",
        "adios (para siempre|a todos|mundo cruel)|(me despido|despedirme|se despidio) "
        "(para siempre|de todos)",
        example="adiós para siempre",
    ),
)

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
