"""Health care before and after the program in a family's words: the counts they gave, over the
months each form covers, never a rate and never a judgment (issue 25: "in plain words and
without blame"). The care team reads the counts per 3 months in the letters."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backto.capabilities.measures.checkin_words import checkin_words
from backto.capabilities.measures.healthcare import BeforeAfter, VisitsForm


def _count_words(key: str, n: int) -> str:
    words = {
        "emergency": ngettext("%(n)d emergency visit", "%(n)d emergency visits", n),
        "urgent_care": ngettext("%(n)d urgent-care visit", "%(n)d urgent-care visits", n),
        "specialist": ngettext("%(n)d visit to a specialist", "%(n)d visits to specialists", n),
        "imaging_tests": ngettext("%(n)d scan or test", "%(n)d scans or tests", n),
        "hospital_nights": ngettext("%(n)d night in hospital", "%(n)d nights in hospital", n),
        "school_nurse": ngettext(
            "%(n)d visit to the school nurse", "%(n)d visits to the school nurse", n
        ),
        "work_days_missed": ngettext("%(n)d day of work missed", "%(n)d days of work missed", n),
    }[key]
    return words % {"n": n}


def form_words(form: VisitsForm) -> str:
    """What one form said, e.g. "2 emergency visits, 4 visits to specialists" (what was 0 is
    left out; nothing at all: "no visits")."""
    said = [_count_words(key, n) for key, n in form.answered.items() if n]
    return ", ".join(said) if said else _("no visits and no days of work missed")


@dataclass(frozen=True)
class FamilyHealthcare:
    before: str
    after: str | None
    after_label: str  # the form's point, in the reader's words ("Discharge", "3 months")
    after_months: Decimal | None  # the months its answers cover
    fewer_visits: bool  # fewer medical visits per 3 months than before the program


def family_healthcare(found: BeforeAfter | None) -> FamilyHealthcare | None:
    if found is None:
        return None
    after = found.after
    before_visits = found.before.visits
    fewer = bool(
        after is not None
        and before_visits is not None
        and after.visits is not None
        and after.visits < before_visits
    )
    return FamilyHealthcare(
        before=form_words(found.before),
        after=form_words(after) if after else None,
        after_label=checkin_words(after.label) if after else "",
        after_months=after.months if after else None,
        fewer_visits=fewer,
    )
