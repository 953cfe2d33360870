"""The demo's medicine lists (issue 25), following the recovery pattern of CLINICAL.md: a child
comes to the program on one to three medicines tried for the pain or the sleep, most of them
stop (or are cut down) during the program as function returns (fewer for a child the program
helps less), and a physician has confirmed the list. Names, purposes and how often in words: never a dose."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.patients.models import Episode, Patient
from backto.capabilities.medicines.models import DatePrecision, Medicine
from backto.demo.spanish import in_language

# name, what it is for, how often, and how it helped (the family's words), if it stops
TRIED = (
    ("Ibuprofen", "Pain", "When the pain is bad", "A little, for a day or two"),
    ("Acetaminophen (paracetamol)", "Pain", "Most days", "Not much"),
    ("Gabapentin", "Nerve pain", "Every night", "Not really, and it made my child sleepy"),
    ("Amitriptyline", "Pain and sleep", "Every night", "It helped with sleep at first"),
)
KEPT = ("Melatonin", "Sleep", "Some nights", "Helps with falling asleep")


def add_medicines(
    *,
    patient: Patient,
    episode: Episode,
    start: date,
    end: date,
    responder: bool,
    parent: User,
    physician: User,
    language: str,
    rng: random.Random,
) -> None:
    """The list as the family wrote it at intake and kept it since: medicines stopped between
    the program's start and `end` (the last day it has run so far)."""
    chosen = rng.sample(TRIED, rng.randint(1, 3))
    if rng.random() < 0.4:
        chosen.append(KEPT)
    confirmed = timezone.make_aware(datetime.combine(start + timedelta(days=1), time(15)))
    entries = []
    for name, purpose, how_often, helped in chosen:
        stops = name != KEPT[0] and rng.random() < (0.75 if responder else 0.25)
        # one still taken may be cut down instead (a responder's, half the time)
        cut = not stops and name != KEPT[0] and responder and rng.random() < 0.5
        stopped_on = reduced_on = None
        earliest = start + timedelta(weeks=3)
        if (stops or cut) and earliest <= end:
            day = earliest + timedelta(days=rng.randint(0, (end - earliest).days))
            stopped_on, reduced_on = (day, None) if stops else (None, day)
        started = start - timedelta(days=rng.randint(60, 300))
        entries.append(
            Medicine(
                patient=patient,
                episode=episode,
                name=name,
                from_list=True,
                purpose=in_language(purpose, language),
                how_often=in_language(how_often, language),
                started_on=started.replace(day=1),
                started_precision=DatePrecision.MONTH,  # families remember the month
                stopped_on=stopped_on,
                reduced_on=reduced_on,
                helped=in_language(helped, language) if stopped_on else "",
                added_by=parent,
                changed_by=parent,
                # confirmed at intake; one stopped or cut down since waits for the physician again
                confirmed_at=None if stopped_on or reduced_on else confirmed,
                confirmed_by=None if stopped_on or reduced_on else physician,
            )
        )
    Medicine.objects.bulk_create(entries)
