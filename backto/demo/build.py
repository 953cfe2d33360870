"""The demo clinic: a small, realistic, entirely synthetic program for trying BackTo.

Usernames are fixed by DESIGN.md: demo-pt, demo-ot, demo-counselor, demo-physician,
demo-coordinator, demo-admin; for patient k (1..N) the guardian demo-parent-k and, where the child
is 12 or older, demo-teen-k. Everything else is drawn from one random generator seeded by --seed,
so the same seed gives the same clinic.

The children follow the shape of the CHOP registry described in CLINICAL.md (Sherry et al. 2020):
ages 8-18, mostly girls, a little over half with diffuse pain (5 or more regions), the rest
localized and mostly in a lower limb, about one in five with intermittent pain. Later capabilities
add their own steps to `build_demo`.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from backto.access.accounts.models import Clinic, StaffRole, User, UserKind
from backto.access.patients import actions as patient_actions
from backto.access.patients.lifecycle import EpisodeState
from backto.access.patients.models import (
    Discipline,
    Episode,
    Guardianship,
    PainPattern,
    Patient,
    Sex,
)
from backto.capabilities.appointments.demo import add_demo_appointments
from backto.capabilities.appointments.timetable_demo import add_demo_timetable
from backto.capabilities.careplan.actions import episode_discharge
from backto.capabilities.homeprogram.actions import starter_library_load
from backto.capabilities.learning.actions import learning_page_mark_read, learning_page_suggest
from backto.capabilities.measures.actions import clinic_template_set
from backto.capabilities.measures.schedule import DEFAULT_TEMPLATE, TemplateRow
from backto.capabilities.messaging.demo import add_demo_messages
from backto.demo.care import demo_intake
from backto.demo.program import add_program_history
from backto.demo.spanish import SPANISH, home_language

STAFF = [
    # username, display name, role, care-team discipline
    ("demo-pt", "Jordan Reyes, DPT", "physical_therapist", Discipline.PT),
    ("demo-ot", "Sam Whitfield, OTR/L", "occupational_therapist", Discipline.OT),
    ("demo-counselor", "Priya Natarajan, LPC", "counselor", Discipline.COUNSELING),
    ("demo-physician", "Dr. Alex Okafor", "physician", Discipline.MEDICINE),
    ("demo-coordinator", "Morgan Lee", "coordinator", Discipline.COORDINATION),
    ("demo-admin", "Casey Brooks", "clinic_admin", None),
]

GIRLS = [
    "Ava",
    "Maya",
    "Chloe",
    "Zoe",
    "Lily",
    "Emma",
    "Sofia",
    "Grace",
    "Hannah",
    "Nora",
    "Leah",
    "Ruby",
    "Isla",
    "Mia",
    "Ella",
    "Aria",
    "Layla",
    "Clara",
    "Eva",
    "Julia",
    "Alice",
    "Lucy",
    "Iris",
    "Naomi",
    "Sara",
    "Amara",
    "Elena",
    "Fatima",
    "Mei",
    "Keira",
]
BOYS = [
    "Liam",
    "Noah",
    "Ethan",
    "Mateo",
    "Owen",
    "Leo",
    "Caleb",
    "Jonah",
    "Eli",
    "Miles",
    "Felix",
    "Omar",
    "Aiden",
    "Ravi",
    "Theo",
]
FAMILY_NAMES = [
    "Alvarez",
    "Bennett",
    "Carter",
    "Diaz",
    "Ellison",
    "Foster",
    "Garcia",
    "Hughes",
    "Ibrahim",
    "Jensen",
    "Kim",
    "Lopez",
    "Morgan",
    "Nguyen",
    "Okafor",
    "Patel",
    "Quinn",
    "Rossi",
    "Santos",
    "Turner",
    "Underwood",
    "Vasquez",
    "Walsh",
    "Xu",
    "Young",
    "Zimmerman",
    "Brooks",
    "Chen",
    "Dubois",
    "Fischer",
    "Haddad",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Novak",
    "Ortiz",
]
PARENT_FIRST = [
    "Laura",
    "Daniel",
    "Michelle",
    "Chris",
    "Angela",
    "Mark",
    "Rosa",
    "Kevin",
    "Tanya",
    "Paul",
    "Nadia",
    "Brian",
    "Yuki",
    "Carmen",
    "Greg",
    "Denise",
    "Ahmed",
    "Helen",
    "Victor",
    "Sonia",
]
SCHOOLS = [
    "Maple Grove Middle School",
    "Riverside High School",
    "Oak Park Elementary",
    "Lakeview Academy",
    "Hillcrest Middle School",
    "North Valley High School",
]
LANGUAGES = (
    ["English"] * 7
    + ["English, Spanish"] * 2
    + ["English, Vietnamese", "English, Spanish", "English, Arabic"]
)
# Two families speak Spanish at home and read BackTo in Spanish, whatever the seed or the date: the
# first child under 12 (the parent's account only) and the first of 12 or older (a teen account).
SPANISH_AT_HOME = "Spanish, English"
TEEN_AGE = 12  # a child this old or older has their own account

# The demo clinic's own words for families, in Spanish (Clinic.translations).
CLINIC_SPANISH = {
    "hours": "De lunes a viernes, de 8 a. m. a 5 p. m.",
    "crisis_line": "Fuera de horario, llame al (555) 010-4499 para hablar con el profesional de turno",
    "when_to_call": "Llámenos si algo nuevo le preocupa: fiebre, una articulación hinchada o "
    "roja, un dolor que despierta a su hijo o hija en la noche, o si faltó dos días seguidos a la "
    "escuela.",
}

LOCALIZED_SITES = [
    ("right foot and ankle", "after an ankle sprain at soccer practice"),
    ("left foot", "after a fall on the stairs"),
    ("left knee", "after a minor knee injury in gym class"),
    ("right knee and lower leg", "with no injury anyone remembers"),
    ("right lower leg", "after a cast came off"),
    ("left hand and wrist", "after a wrist sprain"),
]
DIFFUSE_SITES = [
    "legs, back and arms",
    "back, neck and both legs",
    "most of the body, worst in the legs",
    "arms, shoulders and back",
]
REFERRERS = [
    "Pediatric rheumatology",
    "Primary care pediatrician",
    "Pediatric orthopedics",
    "Emergency department follow-up",
    "Sports medicine",
]


@dataclass
class DemoResult:
    clinic: Clinic
    staff: dict[str, User]
    patients: list[Patient] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)  # (username, who)


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)), timezone.get_current_timezone())


def _make_user(
    clinic: Clinic,
    username: str,
    display_name: str,
    kind: str,
    password: str,
    email: str,
    language: str = "en",
) -> User:
    user = User(
        clinic=clinic,
        username=username,
        display_name=display_name,
        kind=kind,
        email=email,
        language=language,
    )
    user.set_password(password)
    user.save()
    return user


def _age_weights() -> list[tuple[int, int]]:
    # Most referrals are early teens; a few are 8-10 or 17-18.
    return [
        (8, 2),
        (9, 3),
        (10, 4),
        (11, 6),
        (12, 9),
        (13, 11),
        (14, 12),
        (15, 11),
        (16, 9),
        (17, 6),
        (18, 3),
    ]


def _pick_age(rng: random.Random) -> int:
    ages, weights = zip(*_age_weights(), strict=True)
    return rng.choices(ages, weights=weights)[0]


# How far each child has come, with how many days ago the referral was. Most children are in the
# program; some are new, some finished, one or two came back after an earlier episode.
STAGE_PLAN: list[tuple[str, int]] = [
    (EpisodeState.ACTIVE, 35),
    (EpisodeState.INTAKE, 12),
    (EpisodeState.ACTIVE, 70),
    (EpisodeState.REFERRED, 5),
    (EpisodeState.DISCHARGED, 120),
    (EpisodeState.ACTIVE, 21),
    (EpisodeState.FOLLOW_UP, 200),
    (EpisodeState.ACTIVE, 49),
    ("relapse", 520),
    (EpisodeState.CLOSED, 500),
    (EpisodeState.WITHDRAWN, 60),
    (EpisodeState.ACTIVE, 90),
]

PATH = [
    EpisodeState.REFERRED,
    EpisodeState.INTAKE,
    EpisodeState.ACTIVE,
    EpisodeState.DISCHARGED,
    EpisodeState.FOLLOW_UP,
    EpisodeState.CLOSED,
]
# Days after referral at which each stage begins (intake, active, discharged, follow-up, closed).
STAGE_OFFSETS = [0, 10, 21, 21 + 56, 21 + 56 + 30, 21 + 56 + 30 + 365]


def _walk_episode(
    *, by: User, episode: Episode, target: str, start: date, rng: random.Random
) -> None:
    """Move a new episode along the path to `target`, each step back-dated."""
    if target == EpisodeState.WITHDRAWN:
        patient_actions.episode_transition(
            by=by, episode=episode, target=EpisodeState.INTAKE, at=_aware(start + timedelta(8))
        )
        patient_actions.episode_transition(
            by=by,
            episode=episode,
            target=EpisodeState.WITHDRAWN,
            note="Family moved out of state; referred to a program near their new home.",
            at=_aware(start + timedelta(20)),
        )
        return
    for step, state in enumerate(PATH[1:], start=1):
        day = start + timedelta(STAGE_OFFSETS[step] + rng.randint(0, 3))
        if day > timezone.localdate():
            break
        if state == EpisodeState.DISCHARGED:
            episode_discharge(
                by=by,
                episode=episode,
                discharged_on=day,
                reason="program_completed",
                summary="Finished the program; keep up the home program every day.",
                at=_aware(day),
            )
        else:
            patient_actions.episode_transition(by=by, episode=episode, target=state, at=_aware(day))
        if state == target:
            break


DEMO_OPEN_INSTRUMENTS = (
    TemplateRow("gad-7", "child", 4),
    TemplateRow("pgic-child", "child", 4),
    TemplateRow("pgic-parent", "parent", 4),
)


def build_demo(
    *,
    password: str,
    patients: int = 12,
    seed: int = 1,
    progress: Callable[[int], object] | None = None,
) -> DemoResult:
    rng = random.Random(seed)
    today = timezone.localdate()
    with transaction.atomic():
        clinic = Clinic.objects.create(
            name="Riverside Children's Pain Program",
            slug="demo",
            # The demo is for trying BackTo with shared logins: no staff two-step sign-in (a
            # real clinic's staff set one up at their first sign-in; clinic settings turn it on).
            staff_two_factor_required=False,
            phone="(555) 010-4400",
            hours="Monday to Friday, 8am to 5pm",
            crisis_line="After hours, call (555) 010-4499 for the on-call clinician",
            address="Riverside Children's Hospital, 200 River Street, Suite 3",
            when_to_call="Call us if something new worries you: a fever, a swollen or red "
            "joint, pain that wakes your child at night, or two school days missed in a row.",
            translations={SPANISH: CLINIC_SPANISH},
        )
        result = DemoResult(clinic=clinic, staff={})
        for username, display, role, _ in STAFF:
            user = _make_user(
                clinic, username, display, UserKind.STAFF, password, f"{username}@example.org"
            )
            StaffRole.objects.create(user=user, role=role)
            result.staff[username] = user
            result.logins.append((username, f"{display} ({role.replace('_', ' ')})"))
        starter_library_load(clinic=clinic)
        # The default questionnaires, and the open ones whose words ship with BackTo: the GAD-7
        # for teens, and the child's and parent's impression of change (not at baseline).
        clinic_template_set(
            by=result.staff["demo-admin"],
            clinic=clinic,
            rows=[*DEFAULT_TEMPLATE, *DEMO_OPEN_INSTRUMENTS],
        )
        coordinator = result.staff["demo-coordinator"]
        used_names: set[str] = set()
        spanish_speaking: set[bool] = set()  # is a teen: one family of each
        for k in range(1, patients + 1):
            patient = _demo_patient(k, rng, clinic, coordinator, today, used_names)
            result.patients.append(patient)
            older = patient.age_on(today) >= TEEN_AGE
            if older not in spanish_speaking:
                spanish_speaking.add(older)
                patient.languages = SPANISH_AT_HOME
            language = home_language(patient.languages)
            if language == SPANISH:
                patient.family_language = SPANISH
                patient.save(update_fields=["languages", "family_language"])
            parent_first = rng.choice(PARENT_FIRST)
            family = patient.legal_name.split()[-1]
            parent = _make_user(
                clinic,
                f"demo-parent-{k}",
                f"{parent_first} {family}",
                UserKind.GUARDIAN,
                password,
                f"demo-parent-{k}@example.org",
                language=language,
            )
            Guardianship.objects.create(
                guardian=parent,
                patient=patient,
                relationship=rng.choice(
                    [Guardianship.Relationship.MOTHER] * 3 + [Guardianship.Relationship.FATHER]
                ),
            )
            result.logins.append((parent.username, parent_login(patient, parent)))
            if patient.age_on(today) >= TEEN_AGE:
                teen = _make_user(
                    clinic,
                    f"demo-teen-{k}",
                    patient.first_name,
                    UserKind.TEEN,
                    password,
                    f"demo-teen-{k}@example.org",
                    language=language,
                )
                patient.teen_account = teen
                patient.save(update_fields=["teen_account"])
                result.logins.append((teen.username, teen_login(patient, teen)))
            _demo_episodes(k, rng, patient, result, today)
            for episode in patient.episodes.prefetch_related("transitions").order_by("id"):
                add_program_history(
                    patient=patient,
                    episode=episode,
                    staff=result.staff,
                    guardian=parent,
                    today=today,
                    rng=rng,
                    hard_day=k == 1,
                    place=k,
                )
            _suggest_reading(patient, result.staff["demo-pt"], parent, read=k % 2 == 0)
            if progress:
                progress(k)
        # Between visits: the program's week, the clinic's template week, and conversations.
        add_demo_timetable(clinic=clinic)
        add_demo_appointments(clinic=clinic, today=today)
        add_demo_messages(clinic=clinic, today=today)
    return result


def parent_login(patient: Patient, parent: User) -> str:
    """Who a guardian's demo login is, as `make run` lists it: "parent of Ana Diaz, reads
    Spanish"."""
    return f"parent of {patient.name}" + (", reads Spanish" if parent.language == SPANISH else "")


def teen_login(patient: Patient, teen: User) -> str:
    return f"{patient.name}, age {patient.age}" + (
        ", reads Spanish" if teen.language == SPANISH else ""
    )


def _suggest_reading(patient: Patient, pt: User, parent: User, *, read: bool) -> None:
    """The PT suggests the pain-cycle pages at the first visit; half the families have read
    them since."""
    if not patient.episodes.exclude(state=EpisodeState.REFERRED).exists():
        return
    pages = [("parents", "pain-cycle")]
    if patient.teen_account is not None:
        pages.append(("kids", "pain-cycle"))
    for audience, slug in pages:
        suggestion = learning_page_suggest(by=pt, patient=patient, audience=audience, slug=slug)
        if read:
            reader = patient.teen_account if audience == "kids" else parent
            learning_page_mark_read(by=reader or parent, assignment=suggestion)


def _demo_patient(
    k: int, rng: random.Random, clinic: Clinic, by: User, today: date, used: set[str]
) -> Patient:
    girl = rng.random() < 0.78
    while True:
        first = rng.choice(GIRLS if girl else BOYS)
        last = rng.choice(FAMILY_NAMES)
        if f"{first} {last}" not in used:
            used.add(f"{first} {last}")
            break
    age = _pick_age(rng)
    born = today - timedelta(days=age * 365 + rng.randint(20, 340))
    grade = max(2, min(12, age - 5))
    return patient_actions.patient_register(
        by=by,
        clinic=clinic,
        legal_name=f"{first} {rng.choice(['', 'Marie ', 'Rose ', 'James ', 'Lee '])}{last}".replace(
            "  ", " "
        ),
        preferred_name=first,
        date_of_birth=born,
        sex=Sex.FEMALE if girl else Sex.MALE,
        school=rng.choice(SCHOOLS),
        grade=str(grade),
        languages=rng.choice(LANGUAGES),
    )


def _referral(rng: random.Random) -> dict[str, Any]:
    diffuse = rng.random() < 0.54
    months = rng.randint(3, 14)
    if diffuse:
        regions = rng.randint(5, 12)
        reason = (
            f"Pain in the {rng.choice(DIFFUSE_SITES)} for {months} months; tired, "
            f"sleeping poorly, missing school. Work-up so far normal."
        )
    else:
        regions = rng.randint(1, 3)
        site, how = rng.choice(LOCALIZED_SITES)
        reason = (
            f"Pain in the {site} for {months} months, {how}; light touch on the skin "
            f"hurts and the child avoids using it."
        )
    return {
        "referral_source": rng.choice(REFERRERS),
        "referral_reason": reason,
        "painful_region_count": regions,
        "pain_pattern": PainPattern.INTERMITTENT if rng.random() < 0.18 else PainPattern.CONSTANT,
    }


def _demo_episodes(
    k: int, rng: random.Random, patient: Patient, result: DemoResult, today: date
) -> None:
    stage, days_ago = STAGE_PLAN[(k - 1) % len(STAGE_PLAN)]
    days_ago += rng.randint(0, 6)
    by = result.staff["demo-coordinator"]
    start = today - timedelta(days=days_ago)
    if stage == "relapse":
        # A first episode that ended symptom-free, then pain came back months later.
        first = patient_actions.episode_open(
            by=by, patient=patient, referral_date=start, at=_aware(start), **_referral(rng)
        )
        _walk_episode(by=by, episode=first, target=EpisodeState.CLOSED, start=start, rng=rng)
        _care_team(first, result, rng)
        first.refresh_from_db()
        if first.state != EpisodeState.CLOSED:
            patient_actions.episode_transition(
                by=by,
                episode=first,
                target=EpisodeState.WITHDRAWN,
                note="Symptom-free; family chose to stop follow-up.",
                at=_aware(today - timedelta(days=40)),
            )
        start = today - timedelta(days=30 + rng.randint(0, 6))
        stage = EpisodeState.ACTIVE
    episode = patient_actions.episode_open(
        by=by, patient=patient, referral_date=start, at=_aware(start), **_referral(rng)
    )
    if stage != EpisodeState.REFERRED:
        _walk_episode(by=by, episode=episode, target=stage, start=start, rng=rng)
    if stage != EpisodeState.REFERRED:
        _care_team(episode, result, rng)
        demo_intake(episode=episode, physician=result.staff["demo-physician"], rng=rng, start=start)


def _care_team(episode: Episode, result: DemoResult, rng: random.Random) -> None:
    by = result.staff["demo-coordinator"]
    members = ["demo-pt", "demo-ot", "demo-counselor"]
    if rng.random() < 0.5:
        members.append("demo-physician")
    lead = "demo-pt" if rng.random() < 0.7 else rng.choice(["demo-ot", "demo-counselor"])
    disciplines = {u: d for u, _, _, d in STAFF if d is not None}
    for username in members:
        patient_actions.care_team_add(
            by=by,
            episode=episode,
            clinician=result.staff[username],
            discipline=disciplines[username],
            lead=username == lead,
        )


def demo_exists() -> bool:
    return User.objects.filter(username__in=[s[0] for s in STAFF]).exists()
