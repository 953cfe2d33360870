"""The demo's Spanish-speaking families (issue #22): who they are, and their words.

A family whose home language is Spanish (Spanish listed first in the child's languages) reads
BackTo in Spanish: the patient's family language, the guardian's and the teen's accounts. What
the family writes (wins) and what the care team writes for them (goal wording, steps, notes on a
win) is in Spanish too. The words are looked up by their English, so a Spanish family draws the
same random numbers as any other and the demo stays the same for a seed.
"""

SPANISH = "es"


def home_language(languages: str) -> str:
    """The family's language from the child's languages as written ("Spanish, English"): Spanish
    when it comes first, else English."""
    first = languages.split(",")[0].strip().lower()
    return SPANISH if first in ("spanish", "español", "espanol") else "en"


def in_language(text: str, language: str) -> str:
    """A demo text in the family's language (the English when no Spanish is written for it)."""
    if language != SPANISH:
        return text
    return WORDS.get(text, text)


WORDS = {
    # Goals: title, the five GAS levels, the steps.
    "Walk to class with my friends": "Caminar a clase con mis amigos",
    "Uses the elevator and gets a ride between classes": (
        "Usa el elevador y lo llevan entre clases"
    ),
    "Walks to one class a day, with rests": "Camina a una clase al día, con descansos",
    "Walks to every class with friends": "Camina a todas las clases con sus amigos",
    "Walks to class and carries own backpack": "Camina a clase y lleva su propia mochila",
    "Walks to and from school and to every class": (
        "Camina de ida y vuelta a la escuela y a todas las clases"
    ),
    "Walk to the mailbox and back": "Caminar hasta el buzón y regresar",
    "Walk around the block": "Caminar alrededor de la cuadra",
    "Walk to one class at school": "Caminar a una clase en la escuela",
    "Play a full soccer game": "Jugar un partido de fútbol completo",
    "Watches from the sideline": "Mira desde la orilla de la cancha",
    "Joins warm-ups": "Hace el calentamiento con el equipo",
    "Plays one half of a game": "Juega un tiempo del partido",
    "Plays a full game": "Juega un partido completo",
    "Plays a full game and a practice the same week": (
        "Juega un partido completo y un entrenamiento en la misma semana"
    ),
    "Kick the ball in the yard for 10 minutes": "Patear el balón en el patio 10 minutos",
    "Join team warm-ups": "Hacer el calentamiento con el equipo",
    "Play 15 minutes": "Jugar 15 minutos",
    "Sleep through the night": "Dormir toda la noche",
    "Wakes most nights for an hour or more": "Se despierta casi todas las noches una hora o más",
    "Wakes 3-4 nights a week": "Se despierta 3 o 4 noches por semana",
    "Sleeps through 5 nights a week": "Duerme toda la noche 5 noches por semana",
    "Sleeps through 6 nights a week": "Duerme toda la noche 6 noches por semana",
    "Sleeps through every night": "Duerme toda la noche todas las noches",
    "Same bedtime every night": "La misma hora de dormir todas las noches",
    "Screens off an hour before bed": "Sin pantallas una hora antes de dormir",
    "Slow breathing in bed": "Respirar despacio en la cama",
    "Go back to school all day": "Volver a la escuela todo el día",
    "Not at school": "No va a la escuela",
    "Half days twice a week": "Medio día dos veces por semana",
    "Full days 4 days a week": "Días completos 4 días por semana",
    "Full days every day": "Días completos todos los días",
    "Full days and an after-school club": "Días completos y un club después de clases",
    "Half days on Monday and Wednesday": "Medio día el lunes y el miércoles",
    "Three half days": "Tres medios días",
    "One full day": "Un día completo",
    "Get dressed and ready by myself": "Vestirme y arreglarme sin ayuda",
    "Needs help with socks, shoes and buttons": "Necesita ayuda con calcetines, zapatos y botones",
    "Needs help with shoes": "Necesita ayuda con los zapatos",
    "Dresses alone, a bit slowly": "Se viste sin ayuda, un poco despacio",
    "Dresses alone in 15 minutes": "Se viste sin ayuda en 15 minutos",
    "Dresses alone and packs bag": "Se viste sin ayuda y prepara su mochila",
    "Put on socks with the long-handled aid": "Ponerse los calcetines con el calzador largo",
    "Tie shoes sitting down": "Amarrarse los zapatos desde una silla",
    "Dress before breakfast": "Vestirse antes del desayuno",
    "Help cook dinner": "Ayudar a preparar la cena",
    "Does not go in the kitchen": "No entra a la cocina",
    "Sets the table": "Pone la mesa",
    "Helps cook one night a week": "Ayuda a cocinar una noche por semana",
    "Helps cook three nights a week": "Ayuda a cocinar tres noches por semana",
    "Cooks a simple meal alone": "Prepara una comida sencilla sin ayuda",
    "Set the table": "Poner la mesa",
    "Stir and chop one dish": "Mezclar y picar para un platillo",
    "Help cook on Sunday": "Ayudar a cocinar el domingo",
    # The child's wins.
    "Walked to the mailbox": "Caminé hasta el buzón",
    "Went to school all day": "Fui a la escuela todo el día",
    "Slept through the night": "Dormí toda la noche",
    "Played outside with my sister": "Jugué afuera con mi hermana",
    "Carried my own backpack": "Cargué mi propia mochila",
    "Went to practice": "Fui al entrenamiento",
    "Helped cook dinner": "Ayudé a preparar la cena",
    "Walked the dog around the block": "Paseé al perro alrededor de la cuadra",
    "Rode my bike to the park": "Fui en bicicleta al parque",
    "Went to the movies with friends": "Fui al cine con mis amigos",
    "Did all my exercises": "Hice todos mis ejercicios",
    "Took a shower by myself": "Me bañé sin ayuda",
    # The care team's notes on a win.
    "So proud of you!": "¡Qué orgullo!",
    "That is a big step.": "Es un gran paso.",
    "Great work — keep going!": "¡Muy bien! Sigue así.",
    # The medicine list: what each is for, how often, and how it helped (backto/demo/medicines.py).
    "Pain": "Dolor",
    "Nerve pain": "Dolor de nervios",
    "Pain and sleep": "Dolor y sueño",
    "Sleep": "Sueño",
    "When the pain is bad": "Cuando el dolor es fuerte",
    "Most days": "Casi todos los días",
    "Every night": "Todas las noches",
    "Some nights": "Algunas noches",
    "A little, for a day or two": "Un poco, por uno o dos días",
    "Not much": "No mucho",
    "Not really, and it made my child sleepy": "No mucho, y le daba sueño",
    "It helped with sleep at first": "Al principio ayudó a dormir",
    "Helps with falling asleep": "Ayuda a conciliar el sueño",
}
