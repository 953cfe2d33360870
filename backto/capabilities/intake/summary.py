"""The screening summary of an intake, from the clinical core: red flags first, then the
feature tally; Budapest and ACR tallies when their data are there. Never a diagnosis."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from backto.capabilities.intake.models import Intake
from backto.clinical.criteria_tallies import (
    AcrTally,
    BudapestInput,
    BudapestTally,
    acr_2010_tally,
    acr_2016_tally,
    budapest_tally,
)
from backto.clinical.screening import (
    ScreeningAnswer,
    ScreeningConfig,
    ScreeningSummary,
    pain_duration_answer,
    summarize_screening,
)


@dataclass(frozen=True)
class IntakeSummary:
    screening: ScreeningSummary
    budapest: BudapestTally | None
    acr_2010: AcrTally | None
    acr_2016: AcrTally | None


def _answers(data: dict[str, Any]) -> dict[str, ScreeningAnswer]:
    return {
        key: ScreeningAnswer(
            answer=value.get("answer", "unknown"),
            note=value.get("note", ""),
            value=value.get("value"),
        )
        for key, value in data.items()
    }


def intake_summary(intake: Intake, config: ScreeningConfig | None = None) -> IntakeSummary:
    config = config or ScreeningConfig()
    answers = _answers(intake.screening)
    if intake.onset_date and answers.get("duration", ScreeningAnswer()).answer == "unknown":
        # The stored onset date answers item 1 when nobody answered it directly.
        answers["duration"] = pain_duration_answer(intake.onset_date, timezone.localdate(), config)
    screening = summarize_screening(answers, _answers(intake.red_flags), config)
    budapest = None
    if intake.budapest:
        b = intake.budapest
        diff = b.get("temperature_difference_c")
        budapest = budapest_tally(
            BudapestInput(
                disproportionate_pain=b.get("disproportionate_pain", "unknown"),
                symptoms=b.get("symptoms", {}),
                signs=b.get("signs", {}),
                temperature_difference_c=Decimal(diff) if diff is not None else None,
                no_better_explanation=b.get("no_better_explanation", "unknown"),
            )
        )
    acr_2010 = acr_2016 = None
    acr = intake.acr
    if acr.get("wpi") is not None and acr.get("ss") is not None:
        acr_2010 = acr_2010_tally(
            wpi=acr["wpi"], ss=acr["ss"], duration_months=acr.get("duration_months")
        )
        acr_2016 = acr_2016_tally(
            wpi=acr["wpi"],
            ss=acr["ss"],
            generalized_regions=acr.get("generalized_regions"),
            duration_months=acr.get("duration_months"),
        )
    return IntakeSummary(
        screening=screening, budapest=budapest, acr_2010=acr_2010, acr_2016=acr_2016
    )
