"""The caseload equals the slow, obvious computation of `bench.oracle` on a synthetic clinic
(issue #24): every child's flags, questionnaires due and overdue, last diary day and FDI, for a
coordinator looking at the whole clinic and at their care teams, and for a PT. And the oracle can
fail: a stored measure summary made wrong is reported, naming the child."""

import uuid
from datetime import timedelta
from decimal import Decimal

from backto.access.accounts.models import Clinic, User
from backto.access.patients.lifecycle import EpisodeState
from backto.access.patients.models import Episode
from backto.capabilities.alerts.models import AlertSource, SafetyAlert
from backto.capabilities.careplan.models import Discharge
from backto.capabilities.exam.models import FunctionalTest
from backto.capabilities.measures.models import EpisodeMeasureSummary
from backto.capabilities.medicines.models import Medicine
from backto.capabilities.messaging.models import Conversation, ConversationKind, Message
from backto.demo.synth import synthesize
from backto.readers.dashboards.queries import caseload
from bench.oracle import caseload_mismatches
from tests.conftest import PINNED_AT, TODAY
from tests.exam.exam_rows import RIGHT_FOOT, RIGHT_LOWER_LEG_AND_FOOT, sensory_exam


def staff(key: str) -> User:
    """The synthetic clinic's first user of a role ("coordinator", "pt", ...)."""
    return User.objects.get(username__endswith=f"-{key}-1")


def synthetic_clinic() -> Clinic:
    """One synthetic clinic of 60 children over 180 days, with what the synthetic load leaves
    out added straight to the tables, so that every source of the caseload and the outcomes has
    something to say: on a running program a safety answer, a message waiting, an allodynia
    territory spreading and two 6-minute walks; on another a private safety answer; and on a
    discharged one a medicine stopped during the program."""
    synthesize(patients=60, days=180, clinics=1, seed=24)
    clinic = Clinic.objects.get()
    pt = staff("pt")
    running = list(
        Episode.objects.filter(state=EpisodeState.ACTIVE, patient__clinic=clinic)
        .select_related("patient")
        .order_by("pk")
    )
    first, second = running[0], running[1]
    SafetyAlert.objects.create(
        patient=first.patient,
        episode=first,
        source=AlertSource.DIARY,
        source_id=1,
        respondent="child",
        raised_by=pt,
    )
    SafetyAlert.objects.create(
        patient=second.patient,
        episode=second,
        source=AlertSource.DIARY,
        source_id=2,
        respondent="child",
        private=True,
        raised_by=pt,
    )
    conversation = Conversation.objects.create(
        patient=first.patient, kind=ConversationKind.FAMILY, waiting_since=PINNED_AT
    )
    Message.objects.create(
        conversation=conversation,
        author=pt,
        from_family=True,
        body="A question",
        idempotency_key=uuid.uuid4(),
    )
    sensory_exam(first, pt, TODAY - timedelta(days=30), RIGHT_FOOT)
    sensory_exam(first, pt, TODAY - timedelta(days=2), RIGHT_LOWER_LEG_AND_FOOT)
    for days_ago, percent in ((40, "71.5"), (3, "84.0")):
        FunctionalTest.objects.create(
            episode=first,
            test_id="6mwt",
            day=TODAY - timedelta(days=days_ago),
            inputs={},
            result={"percent_predicted": percent},
            recorded_by=pt,
        )
    discharge = Discharge.objects.filter(episode__patient__clinic=clinic).order_by("pk").first()
    assert discharge is not None
    for stopped_on in (discharge.discharged_on - timedelta(days=5), None):
        Medicine.objects.create(
            patient=discharge.episode.patient,
            name="Something for the pain",
            started_on=TODAY - timedelta(days=900),
            stopped_on=stopped_on,
            added_by=pt,
            changed_by=pt,
        )
    return clinic


def test_the_caseload_equals_the_slow_computation(db, clock):
    synthetic_clinic()
    coordinator, pt = staff("coordinator"), staff("pt")
    assert caseload_mismatches(coordinator, TODAY, everyone=True) == []
    assert caseload_mismatches(coordinator, TODAY, everyone=False) == []
    assert caseload_mismatches(pt, TODAY, everyone=False) == []
    assert caseload_mismatches(coordinator, TODAY, everyone=True, limit=10) == []
    # The check covered flags of every source, not only empty lists.
    for flag in ("safety", "message_waiting", "allodynia_growing", "catastrophizing"):
        assert caseload(coordinator, everyone=True, flag=flag).total, flag


def test_a_wrong_stored_summary_is_caught(db, clock):
    synthetic_clinic()
    coordinator = staff("coordinator")
    row = next(r for r in caseload(coordinator, everyone=True).rows if len(r.signals.fdi) == 2)
    summary = EpisodeMeasureSummary.objects.get(episode_id=row.episode_id)
    summary.fdi_last = row.signals.fdi[-1] + Decimal(20)
    summary.save()

    found = caseload_mismatches(coordinator, TODAY, everyone=True)

    assert any(m.startswith(f"patient {row.patient_id}: fdi ") for m in found), found
