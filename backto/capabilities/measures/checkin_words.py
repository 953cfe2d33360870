"""A questionnaire point's label as a family reads it, in the active language.

The points' labels are stored as the measure plan wrote them (`measures.schedule`: "Baseline",
"Week 4", "Discharge", "1 month", "3 months") and match maps to questionnaires, so they stay as
stored; this words them for the page. A label of another shape is shown as stored."""

from __future__ import annotations

import re

from django.utils.translation import gettext, ngettext, pgettext

WEEK = re.compile(r"Week (\d+)")
MONTHS = re.compile(r"(\d+) months?")


def checkin_words(label: str) -> str:
    """ "Week 4" -> "Semana 4" for a Spanish reader; English readers read it as stored."""
    if label == "Baseline":
        return pgettext("questionnaire point", "Baseline")
    if label == "Discharge":
        return pgettext("questionnaire point", "Discharge")
    if found := WEEK.fullmatch(label):
        return gettext("Week %(week)s") % {"week": found[1]}
    if found := MONTHS.fullmatch(label):
        months = int(found[1])
        return ngettext("%(months)s month", "%(months)s months", months) % {"months": months}
    return label
