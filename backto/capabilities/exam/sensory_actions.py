"""Every write of the sensory, autonomic and motor exam: one transaction and one audit event per
action, carrying the child's id and the exam's id only, never a finding, a value or a name."""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.patients.models import Episode
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.exam.actions import age_in_years
from backto.capabilities.exam.models import SensoryExam, SensoryFinding
from backto.clinical.sensory_exam import SensoryExamError, sensory_exam


def _check_day(episode: Episode, day: date) -> None:
    if day > timezone.localdate():
        raise ValidationError({"day": "The day examined is today or before."})
    if day < episode.referral_date:
        raise ValidationError(
            {
                "day": "The day examined is within this episode: on or after its referral, "
                f"{episode.referral_date:%Y-%m-%d}."
            }
        )


@transaction.atomic
def sensory_exam_record(
    *,
    by: User,
    episode: Episode,
    day: date,
    findings: Sequence[Mapping[str, object]],
    signs: Mapping[str, object],
    note: str = "",
) -> SensoryExam:
    """Work one exam out with the clinical core (`backto.clinical.sensory_exam`) and keep it.

    `findings` are the stimuli tested (`stimulus`, `regions`, `evoked_pain`, `monofilament_g`);
    `signs` the autonomic and motor signs as typed (`parse_signs`' shape). The child's age on `day`
    sets the Lund and Browder column. A problem is a ValidationError keyed by the core's field
    (`brush.evoked_pain`, `temperatures.0.other_c`), and nothing is saved."""
    _check_day(episode, day)
    age = age_in_years(episode.patient, day)
    try:
        worked = sensory_exam(findings=findings, signs=signs, age_years=age)
    except SensoryExamError as error:
        raise ValidationError(
            {key: [m[0].upper() + m[1:] for m in found] for key, found in error.errors.items()}
        ) from None
    exam = SensoryExam.objects.create(
        episode=episode,
        day=day,
        age_years=age,
        signs=worked.signs.as_dict(),
        result=worked.as_dict(),
        allodynia_percent=worked.allodynia_percent,
        note=note.strip()[:200],
        recorded_by=by,
    )
    SensoryFinding.objects.bulk_create(
        SensoryFinding(
            exam=exam,
            kind=found.finding.kind,
            stimulus=found.finding.stimulus,
            monofilament_g=found.finding.monofilament_g,
            regions=list(found.finding.regions),
            evoked_pain=found.finding.evoked_pain,
            percent=Decimal(found.percent),
        )
        for found in worked.findings
    )
    audit(by=by, action=Action.CREATE, obj=exam, patient_id=episode.patient_id)
    return exam
