from datetime import date

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

# The days a date typed into BackTo may fall on. Wider than any child's record, narrow enough that
# a day turned into a moment in a time zone, or a period's end plus a day, stays a valid date
# (9999-12-31 overflowed and was a server error).
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
DAY_RANGE = f"between {FIRST_DAY:%Y-%m-%d} and {LAST_DAY:%Y-%m-%d}"


class BoundedDateField(forms.DateField):
    """A date field (a calendar picker) that takes a day from FIRST_DAY to LAST_DAY."""

    default_validators = [
        MinValueValidator(FIRST_DAY, message=f"Enter a date {DAY_RANGE}."),
        MaxValueValidator(LAST_DAY, message=f"Enter a date {DAY_RANGE}."),
    ]
    widget = forms.DateInput(
        attrs={"type": "date", "min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()}
    )


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: per field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            if field == NON_FIELD_ERRORS:
                target = None
            for e in errors:
                form.add_error(target, e.messages if hasattr(e, "messages") else e)
    else:
        form.add_error(None, error.messages)
