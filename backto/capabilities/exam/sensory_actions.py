"""Every write of the sensory, autonomic and motor exam: one transaction and one audit event per
action, carrying the child's id and the exam's id only, never a finding, a value or a name."""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from backto.access.accounts.models import User
from backto.access.patients.models import Episode
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.exam.actions import age_in_years, check_exam_day
from backto.capabilities.exam.models import SensoryExam, SensoryFinding
from backto.clinical.sensory_exam import SensoryExamError, sensory_exam


@transaction.atomic
def sensory_exam_record(
    *,
    by: User,
    episode: Episode,
    day: date,
    findings: Sequence[Mapping[str, object]],
    signs: Mapping[str, object],
    submission_key: UUID,
    note: str = "",
) -> SensoryExam:
    """Work one exam out with the clinical core (`backto.clinical.sensory_exam`) and keep it.

    `findings` are the stimuli tested (`stimulus`, `regions`, `evoked_pain`, `monofilament_g`);
    `signs` the autonomic and motor signs as typed (`parse_signs`' shape). The child's age on `day`
    sets the Lund and Browder column. A problem is a ValidationError keyed by the core's field
    (`brush.evoked_pain`, `temperatures.0.other_c`), and nothing is saved.

    Idempotent on `submission_key` (the form's hidden key): an exam sent twice, a double tap, is
    saved once, and the second send answers with the exam the first saved."""
    existing = SensoryExam.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        if existing.episode_id != episode.pk or existing.recorded_by_id != by.pk:
            raise ValidationError("This form was already used for another exam; reload the page.")
        return existing
    check_exam_day(episode, day, what="examined")
    age = age_in_years(episode.patient, day)
    try:
        worked = sensory_exam(findings=findings, signs=signs, age_years=age)
    except SensoryExamError as error:
        raise ValidationError(
            {key: [m[0].upper() + m[1:] for m in found] for key, found in error.errors.items()}
        ) from None
    try:
        with transaction.atomic():  # a savepoint: the same form sent twice at once
            exam = SensoryExam.objects.create(
                episode=episode,
                day=day,
                age_years=age,
                signs=worked.signs.as_dict(),
                result=worked.as_dict(),
                allodynia_percent=worked.allodynia_percent,
                note=note.strip()[:200],
                submission_key=submission_key,
                recorded_by=by,
            )
    except IntegrityError:
        same = SensoryExam.objects.filter(submission_key=submission_key, episode=episode).first()
        if same is not None and same.recorded_by_id == by.pk:
            return same
        raise ValidationError(
            "This form was already used for another exam; reload the page."
        ) from None
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
