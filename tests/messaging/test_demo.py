"""The demo's conversations (backto/capabilities/messaging/demo.py)."""

from typing import Any

import pytest

from backto.access.accounts.models import UserKind
from backto.access.patients import actions as patients
from backto.access.patients.models import Discipline, Guardianship
from backto.capabilities.messaging.demo import add_demo_messages
from backto.capabilities.messaging.models import CannedReply, Conversation, MessagingSettings
from backto.capabilities.messaging.queries import inbox
from tests.conftest import TODAY, make_user, years_ago

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_answered_a_waiting_an_assigned_and_a_private_conversation(
    clinic: Any,
) -> None:
    staff = {
        name: make_user(clinic, name, roles=(role,))
        for name, role in (
            ("demo-pt", "physical_therapist"),
            ("demo-ot", "occupational_therapist"),
            ("demo-coordinator", "coordinator"),
        )
    }
    for k in range(1, 4):
        child = patients.patient_register(
            by=staff["demo-coordinator"],
            clinic=clinic,
            legal_name=f"Child {k} Demo",
            date_of_birth=years_ago(14 if k == 1 else 9),
        )
        parent = make_user(clinic, f"demo-parent-{k}", kind=UserKind.GUARDIAN)
        Guardianship.objects.create(guardian=parent, patient=child, relationship="mother")
        if k == 1:
            child.teen_account = make_user(clinic, "demo-teen-1", kind=UserKind.TEEN)
            child.save()
        episode = patients.episode_open(
            by=staff["demo-coordinator"], patient=child, referral_date=TODAY, referral_reason="x"
        )
        for name, discipline in (("demo-pt", Discipline.PT), ("demo-ot", Discipline.OT)):
            patients.care_team_add(
                by=staff["demo-coordinator"],
                episode=episode,
                clinician=staff[name],
                discipline=discipline,
            )

    add_demo_messages(clinic=clinic, today=TODAY)

    assert CannedReply.objects.filter(clinic=clinic).count() == 3
    assert MessagingSettings.objects.get(clinic=clinic).reply_time.startswith("We reply")
    family = Conversation.objects.filter(kind="family").order_by("patient__legal_name")
    assert [c.waiting_since is None for c in family] == [True, False, False]
    assert [c.assigned_to for c in family] == [None, None, staff["demo-ot"]]
    teen = Conversation.objects.get(kind="teen")
    assert teen.waiting_since is not None and teen.patient.legal_name == "Child 1 Demo"
    waiting = inbox(staff["demo-pt"], show="waiting")
    assert {c.pk for c in waiting} == {family[1].pk, family[2].pk, teen.pk}
