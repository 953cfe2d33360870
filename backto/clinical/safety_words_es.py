"""The Spanish safety words: Latin American phrasing a teen or a parent may type, checked on every
family message alongside the English list (backto/clinical/safety_words.py reads this list, which
is plain data so that it needs nothing from the module that imports it; docs/messaging-safety.md).

Written without accents (the text is matched without them: "daño" and "dano", "muñecas" and
"munecas" are the same words); a reflexive pronoun is usually part of the verb ("matarme") or
stands before it ("me quiero matar"). Each phrase carries the label of its English twin.

Decided on purpose, and tested (tests/clinical/test_safety_words_es.py):

- Pain talk and everyday sayings do not alert: "me muero de risa", "me mata la tarea", "este
  dolor me está matando", "me estoy muriendo de dolor", "mi mamá me va a matar" (someone else
  "will kill me" is a figure of speech). What alerts is the wish or the plan about oneself: "me
  quiero morir", "quiero matarme", "me voy a matar", "no quiero vivir", "quiero dejar de vivir",
  "ya no puedo más".
- A wish or a plan to hurt oneself alerts however it is said, before the verb or after it, and
  whatever follows: "me quiero cortar", "quiero cortarme", "me voy a lastimar", "me quiero hacer
  daño", "se quiere hacer daño en los brazos". The everyday cuts stay quiet ("me voy a cortar el
  pelo", "se va a cortar la llamada").
- "Me quiero morir" alerts even as a figure of speech, except "... de vergüenza" and "... de
  risa" (dying of embarrassment or of laughter), the Spanish twin of the English exception.
- Reflexive verbs say both "I hurt myself" and "I hurt my (knee)". Told in a simple tense with
  an article and a body part or a thing, it is an injury or an everyday act and stays quiet: "me
  lastimé la rodilla jugando", "me hice daño en el tobillo", "me corté el pelo", "se cortó la
  llamada". It alerts when told with a possessive ("me lastimé mis brazos": Spanish says "la
  rodilla" of one's own knee, and "mis brazos" is how the review's real messages read), as
  something going on ("me estoy lastimando", "se está haciendo daño"), as a wish or a plan (above)
  or "a propósito" / "adrede" whatever comes between. "Me corté las venas" and "cortes en los
  brazos" alert.
- Hanging: "ahorcarme", "colgarme", "me quiero colgar" alert; hanging something on oneself ("me
  voy a colgar la mochila") or from the bars of an exercise ("colgarse de la barra") does not.
  "La app se va a colgar" (a frozen screen) alerts: a known false alarm, read and closed.
- Throwing oneself: the place decides. From a height or in front of traffic alerts ("me voy a
  tirar del puente", "... del edificio", "... del techo", "... del quinto piso", "... a las vías",
  "... al río", "... al vacío"); into a pool, onto a bed or the floor does not ("me voy a tirar a
  la alberca", "a la piscina", "al piso"). A river is in doubt, so it alerts.
- "Ya no puedo más" and "no aguanto más" alert (the twin of "I can't take it anymore"), unless
  followed by "de risa", "el calor", "de hambre", "de sueño" and the like, or by "que" in the
  few phrases where it means "only" ("ya no puedo más que esperar", "no aguanta más que diez
  minutos"). "Ya no puedo más, que alguien me ayude" alerts: the comma is gone once normalised.
"""

from __future__ import annotations

from typing import NamedTuple


class SpanishPhrase(NamedTuple):
    """A phrase as `safety_words.SafetyPhrase` reads it: the same fields in the same order."""

    label: str
    pattern: str
    unless_followed_by: tuple[str, ...] = ()
    example: str = ""


_WANT = (
    "(quiero|quiere|quieres|queria|querias|quisiera|quisieras|deseo|desea|prefiero|prefiere|"
    "preferiria|tengo ganas de|tiene ganas de|me dan ganas de|le dan ganas de|ganas de)"
)
# What comes between "me" (or "se") and an infinitive to make a wish or a plan about oneself:
# "me quiero cortar", "se va a lastimar", "me dan ganas de colgar".
_ME_PLAN = (
    "(quiero|queria|quisiera|quise|voy a|iba a|pienso|pensaba|intente|intento|trate de|trato de|"
    "dan ganas de|dieron ganas de|daban ganas de|estan dando ganas de)( volver a)?"
)
_SE_PLAN = (
    "(quiere|queria|quisiera|quiso|va a|iba a|piensa|pensaba|intento|intenta|trato de|trata de|"
    "dan ganas de|dieron ganas de|daban ganas de)( volver a)?"
)
_TE_PLAN = "(quieres|querias|vas a|ibas a)( volver a)?"
# Before an infinitive with the pronoun at its end: "quiero lastimarme", "va a hacerse daño".
_PLAN = (
    rf"({_WANT}|voy a|va a|vas a|iba a|pienso|piensa|intente|intento|trate de|tratar de|volver a)"
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
# An article, then (say) a body part: an injury told in a simple tense. Not a possessive ("mis
# brazos"): see the module's docstring.
_BODY_PART_FOLLOWS = ("el", "la", "los", "las", "un", "una")
_HEIGHTS_AND_TRAFFIC = (
    "(puente|techo|azotea|edificio|ventana|tren|metro|carro|coche|auto|camion|barranco|"
    "precipicio|balcon|acantilado|vias|vias del tren|rio|vacio|lo alto|piso [0-9]+|"
    "[0-9]+[a-z]{0,2} piso|(segundo|tercer|tercero|cuarto|quinto|sexto|septimo|octavo|noveno|"
    "decimo|ultimo) piso)"
)

SPANISH_PHRASES: tuple[SpanishPhrase, ...] = (
    SpanishPhrase("suicide", "(suicid*|autoelimin*)", example="estoy pensando en suicidarme"),
    SpanishPhrase(
        "kill myself",
        "(voy a|vas a|iba a|quiero|quieres|queria|quisiera|pienso|intente|intento|intentar|"
        "trate de|tratar de|trato de|ganas de|deberia|podria|mejor) matarme"
        "|(va a|iba a|quiere|queria|quisiera|piensa|intento|intentar|trato de|tratar de|"
        "ganas de) matarse"
        "|ahorcarme|ahorcarse|ahorcandome|ahorcandose"
        "|me (voy a|quiero|queria|quisiera|iba a|pienso|intente) (matar|ahorcar)"
        f"|me {_ME_PLAN} ahorcar|se {_SE_PLAN} ahorcar|te {_TE_PLAN} ahorcar"
        "|se (va a|quiere|queria|quisiera|iba a|piensa|intento|quiso) matar"
        "|te (vas a|quieres) matar"
        "|(darme|darse) cuello|(me|se) (quiero|quiere|voy a|va a) dar cuello",
        example="me quiero matar",
    ),
    SpanishPhrase(
        "kill myself",
        f"colgarme|colgarse|colgandome|colgandose|me {_ME_PLAN} colgar|se {_SE_PLAN} colgar",
        unless_followed_by=(
            *_BODY_PART_FOLLOWS,
            "de la barra",
            "de las barras",
            "de una barra",
            "del pasamanos",
            "de los pasamanos",
            "del columpio",
            "de los columpios",
            "de cabeza",
            "de las manos",
        ),
        example="pensé en colgarme",
    ),
    SpanishPhrase(
        "hurt myself",
        "(hacerme|hacerse|me hago|me hice|se hace|se hizo|me hacia|se hacia) (dano|mal)",
        unless_followed_by=("en el", "en la", "en los", "en las", "jugando"),
        example="me hice daño otra vez",
    ),
    SpanishPhrase(
        "hurt myself",
        "(lastimarme|lastimarse|herirme|herirse|quemarme|quemarse|golpearme|golpearse"
        "|me lastimo|me lastime|se lastima|se lastimo|me quemo|me queme|se quema|se quemo)",
        unless_followed_by=(
            *_BODY_PART_FOLLOWS,
            "con la estufa",
            "con el sol",
            "con el cafe",
            "con la plancha",
            "de calor",
            "jugando",
        ),
        example="me lastimé otra vez",
    ),
    SpanishPhrase(
        "hurt myself",
        # A wish, a plan or something going on: whatever follows, it alerts.
        f"{_PLAN} (hacerme|hacerse) (dano|mal)|{_PLAN} (lastimarme|lastimarse|herirme|herirse)"
        f"|me {_ME_PLAN} (hacer dano|hacer mal|lastimar|herir)"
        f"|se {_SE_PLAN} (hacer dano|hacer mal|lastimar|herir)"
        f"|te {_TE_PLAN} (hacer dano|hacer mal|lastimar|herir)"
        "|(me estoy|se esta|me estaba|se estaba|te estas) (lastimando|hiriendo|haciendo dano|"
        "haciendo mal)|(lastimandome|lastimandose|hiriendome|hiriendose|haciendome dano|"
        "haciendose dano)",
        example="me quiero hacer daño",
    ),
    SpanishPhrase(
        "hurt myself",
        # On purpose, whatever comes between: "me lastimé la rodilla a propósito".
        "(me|se) (lastim*|cort*|queme|quemo|quema|golpe*|heri|herio|(hice|hizo|hago|hace) (dano|mal))"
        "( [a-z]+){0,5} (a proposito|apropos*|adrede|intencionalmente|queriendo)",
        example="me lastimé los brazos a propósito",
    ),
    SpanishPhrase(
        "self-harm",
        "(autolesi*|auto lesi*|autoagre*|auto agre*|autodan*|auto dan*)",
        example="me autolesiono",
    ),
    SpanishPhrase(
        "cutting",
        "(cortarme|cortarse|me corto|me corte|me cortaba|se corta|se corto|se cortaba|te cortas"
        "|me estoy cortando|se esta cortando|cortandome|cortandose"
        "|me (volvi|vuelvo) a cortar|se (volvio|vuelve) a cortar"
        f"|me {_ME_PLAN} cortar|se {_SE_PLAN} cortar|te {_TE_PLAN} cortar)",
        unless_followed_by=_EVERYDAY_CUT,
        example="me volví a cortar",
    ),
    SpanishPhrase(
        "cutting",
        "(cortes|cortadas|cicatrices|heridas|rasgunos|quemaduras) (en|de) (los |las |la |el |sus |"
        "mis |tus )?(brazos|brazo|piernas|pierna|munecas|muneca|muslos|muslo|panza|estomago|piel)"
        "|(cortarme|cortarse|me corte|me corto|se corto|se corta|cortar) (las |la |mis |sus )?"
        "(venas|munecas|muneca|garganta)",
        example="le vi cortes en los brazos",
    ),
    SpanishPhrase(
        "razor blades",
        "(navaja|navajas|cuchilla|cuchillas|gilette|gillette|rastrillo) para cortar(me|se)",
        example="escondía una navaja para cortarse",
    ),
    SpanishPhrase(
        "want to die",
        rf"{_WANT} (morir|morirme|morirse|estar muert*|dejar de existir|no existir|desaparecer|"
        "no vivir)",
        unless_followed_by=("de verguenza", "de la verguenza", "de risa", "de la risa"),
        example="me quiero morir",
    ),
    SpanishPhrase(
        "want to die",
        "(no|ya no) (quiero|quiere|quieres|queria|quisiera|tengo ganas de|tiene ganas de) "
        "(vivir|seguir viviendo|seguir vivo|seguir viva|seguir con vida|existir|estar vivo|"
        "estar viva|estar aqui ya|seguir aqui|estar en este mundo)"
        "|ya no (quiero|quiere|quiero seguir|quiere seguir) (estar aqui|aqui)",
        example="ya no quiero vivir",
    ),
    SpanishPhrase(
        "want to die",
        # Whoever wants it ("quiero dejar de vivir"); "dejar de vivir su vida" (to stop living one's
        # life, for the pain) is everyday.
        "dejar de vivir",
        unless_followed_by=("su", "mi", "tu", "sus", "mis", "la", "el", "con", "por", "en", "sin"),
        example="a veces pienso en dejar de vivir",
    ),
    SpanishPhrase(
        "wish I was dead",
        "ojala (me muera|me muriera|me muero|morir|morirme|estuviera muert*|no hubiera nacido|"
        "no haber nacido|desaparecer|desapareciera|no existiera|se muera|se muriera)"
        "|(quisiera|desearia|deseo|desea) (estar muert*|no haber nacido|no existir|haber muerto)",
        example="ojalá estuviera muerta",
    ),
    SpanishPhrase(
        "thinking about dying",
        "(pienso|pensando|pense|penso|piensa|pensar|pensamientos|pensado|sueno|sonando) "
        "(en|de) (morir|morirme|morirse|la muerte|matarme|matarse|quitarme la vida|"
        "hacerme dano|no despertar|estar muert*)",
        example="no dejo de pensar en la muerte",
    ),
    SpanishPhrase(
        "never wake up",
        "(no|nunca|quiero) (volver|volvera|vuelva) a despertar|no despertar(me)? (nunca|jamas)"
        "|nunca (mas )?despertar|ojala no (me )?(despierte|despertar)|dormir(me)? para siempre"
        "|morir(me)? dormid*",
        example="ojalá no despierte mañana",
    ),
    SpanishPhrase(
        "end my life",
        "(quitarme|quitarse|quitarte|quitar|me quite|se quito|me quito|se quita) la vida"
        "|(acabar|terminar|acabo|termino|acabe|termine) con (mi|su|tu) (propia )?vida"
        "|(poner|ponerle|ponga) fin a (mi|su|tu) (propia )?vida",
        example="pensó en quitarse la vida",
    ),
    SpanishPhrase(
        "end it all",
        f"({_WANT}|voy a|va a|iba a) (acabar|terminar|ponerle fin) (con|a) todo",
        unless_followed_by=("el", "la", "los", "las", "lo", "mi", "mis", "su", "sus", "tu", "tus"),
        example="quiero acabar con todo",
    ),
    SpanishPhrase(
        "better off dead",
        "mejor muert*|(mejor|preferiria|prefiero|prefiere) (estar )?muert*",
        example="estaría mejor muerto",
    ),
    SpanishPhrase(
        "better off without me",
        "(estarian|estaria|estarias|estan|estaran|estariamos|vivirian) mejor sin (mi|el|ella)"
        "|(nadie|a nadie) (me extranaria|la extranaria|lo extranaria|le importaria si "
        "(me muero|muero|desaparezco|no estoy|se muere))",
        example="todos estarían mejor sin mí",
    ),
    SpanishPhrase(
        "no reason to live",
        "no (tengo|tiene|hay) (razon|razones|motivo|motivos|nada) (para|por) (vivir|seguir)"
        "|nada por (que|lo que) vivir|no vale la pena vivir|(la|mi|su) vida no vale la pena"
        "|no tiene sentido (vivir|seguir viviendo|la vida|mi vida|seguir)"
        "|(mi|su) vida no tiene sentido|para que (vivir|seguir viviendo|sigo viviendo|sigo vivo|"
        "sigo viva)",
        example="mi vida no tiene sentido",
    ),
    SpanishPhrase(
        "can't go on",
        "(ya no|no) (aguanto|aguanta|soporto|soporta) (mas|esta vida|vivir asi)"
        "|ya no (puedo|puede) mas"
        "|no (puedo|puede) mas con (esto|esta vida|mi vida|la vida|todo)"
        "|no (puedo|puede|quiero|quiere) seguir (asi|viviendo|con esta vida|con mi vida)",
        unless_followed_by=(
            "de risa",
            "de la risa",
            "con la risa",
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
            # "Más que" meaning "only", never "que" alone: "ya no puedo más, que alguien me
            # ayude" is a plea (the comma is gone once normalised).
            "que esperar",
            "que agradecer",
            "que agradecerles",
            "que agradecerle",
            "que dar las gracias",
            "que un",
            "que una",
            "que unos",
            "que unas",
            "que media",
            "que medio",
            "que dos",
            "que tres",
            "que cuatro",
            "que cinco",
            "que diez",
            "que quince",
            "que veinte",
            "que treinta",
        ),
        example="ya no puedo más",
    ),
    SpanishPhrase(
        "give up on life",
        "(odio|odia|odias) (mi|su|tu) vida|(me|se) (rindo|rendi|rinde|rindio) con (la vida|todo)"
        "|(mi|su) vida (es una porqueria|no vale nada|se acabo|es un asco)",
        example="odio mi vida",
    ),
    SpanishPhrase(
        "overdose",
        rf"sobredosis|(tomar|tome|tomo|tomarme|tomarse|me tome|se tomo|tragar|trague|trago|"
        rf"tragarme|me trague|se trago|me tomo|me voy a tomar|se va a tomar) (todas|muchas|"
        rf"un monton de|un frasco de|el frasco de|demasiadas|toda la caja de|un punado de|toda la"
        rf" botella de) (las |mis |sus |de )?{_PILLS_ES}",
        example="se tomó todas las pastillas",
    ),
    SpanishPhrase(
        "kill me",
        "(que alguien|alguien|por favor|porfa|dios|dios mio|ojala alguien) (me mate|matame)"
        "|(matame|matenme) (ya|por favor|porfa|ahora)",
        example="que alguien me mate",
    ),
    SpanishPhrase(
        "jump off",
        # The place decides: a height or traffic alerts, a pool or a bed does not.
        "(tirarme|tirarse|aventarme|aventarse|lanzarme|lanzarse|botarme|botarse|echarme|echarse|"
        "arrojarme|arrojarse|me tiro|me tire|me aviento|me avente|me lanzo|me lance|me arrojo|"
        "me arroje|se tiro|se tira|se avento|se avienta|se lanzo|se arrojo"
        f"|me {_ME_PLAN} (tirar|aventar|lanzar|botar|echar|arrojar)"
        f"|se {_SE_PLAN} (tirar|aventar|lanzar|botar|echar|arrojar)"
        f"|te {_TE_PLAN} (tirar|aventar|lanzar|arrojar)) "
        "(de|del|desde|por|al|a|frente al|frente a|enfrente del|enfrente de|bajo|debajo de|"
        "debajo del) (un |una |el |la |los |las |este |esta |ese |esa )?"
        f"{_HEIGHTS_AND_TRAFFIC}",
        example="me quiero tirar del puente",
    ),
    SpanishPhrase(
        "goodbye forever",
        "adios (para siempre|a todos|mundo cruel)|(me despido|despedirme|se despidio) "
        "(para siempre|de todos)",
        example="adiós para siempre",
    ),
)
