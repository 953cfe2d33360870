"""What the diary's month calendar reads from its address: `?month=YYYY-MM` (this month when
absent) and `?day=YYYY-MM-DD`, the day whose entries are shown in full under the month (today
when it is in the month shown). Anything else is a 400 naming the field and what is allowed."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from backto.core.forms import (
    FIRST_DAY,
    LAST_DAY,
    BadParameter,
    DayParameterField,
    ParameterField,
    ParameterForm,
)

MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


class MonthField(ParameterField):
    """A month as YYYY-MM: its first day, or None when it is not sent."""

    problem = gettext_lazy("“{name}” must be a month written YYYY-MM, for example 2026-06.")

    def clean(self, value: Any) -> date | None:
        value = self.to_python(value)
        if not value:
            return None
        found = MONTH.fullmatch(value)
        if not found or not 1 <= int(found[2]) <= 12:
            raise self.refuse()
        first = date(int(found[1]), int(found[2]), 1)
        if not FIRST_DAY <= first <= LAST_DAY:
            raise self.refuse()
        return first


@dataclass(frozen=True)
class CalendarChoice:
    month: date  # its first day
    day: date | None  # shown in full under the month


class MonthForm(ParameterForm):
    month = MonthField(required=False)
    day = DayParameterField(required=False)

    def chosen(self, *, today: date) -> CalendarChoice:
        """The month and day asked for; BadParameter (a 400) when either is not one the page
        sends, or the day is not in the month."""
        checked = self.checked()
        day: date | None = checked["day"]
        month: date = checked["month"] or (day or today).replace(day=1)
        if day is None:
            in_month = (today.year, today.month) == (month.year, month.month)
            return CalendarChoice(month, today if in_month else None)
        if (day.year, day.month) != (month.year, month.month):
            raise BadParameter(gettext("“day” must be a day of the month shown (“month”)."))
        return CalendarChoice(month, day)
