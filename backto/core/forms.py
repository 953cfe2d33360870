import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, BadRequest, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# The days a date typed into BackTo may fall on. Wider than any child's record, narrow enough that
# a day turned into a moment in a time zone, or a period's end plus a day, stays a valid date
# (9999-12-31 overflowed and was a server error).
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DAY_RANGE_MESSAGE = format_lazy(
    _("Enter a date between {first} and {last}."), first=FIRST_DAY, last=LAST_DAY
)


class BoundedDateField(forms.DateField):
    """A date field (a calendar picker) that takes a day from FIRST_DAY to LAST_DAY."""

    default_validators = [
        MinValueValidator(FIRST_DAY, message=DAY_RANGE_MESSAGE),
        MaxValueValidator(LAST_DAY, message=DAY_RANGE_MESSAGE),
    ]
    widget = forms.DateInput(
        attrs={"type": "date", "min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()}
    )


def apply_errors(
    form: forms.BaseForm,
    error: ValidationError,
    field_for: Callable[[str, list[str]], str] | None = None,
) -> None:
    """Show an action's ValidationError on the form: per field where it names one. `field_for`
    maps a name the action used, with its messages, to the form's field that shows them, where
    the two differ (a grip trial's own box for the hand the clinical core names)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            messages = [m for e in errors for m in e.messages]
            name = field_for(field, messages) if field_for else field
            target = name if name in form.fields and field != NON_FIELD_ERRORS else None
            for e in errors:
                form.add_error(target, e.messages if hasattr(e, "messages") else e)
    else:
        form.add_error(None, error.messages)


# Widgets whose field is a group of controls: a summary links to the first one (`_0`).
GROUPED_WIDGETS = frozenset(
    {
        "radioselect",
        "checkboxselectmultiple",
        "bodymap",
        "choicecards",
        "choicecardsmultiple",
        "facescale",
    }
)


def error_summary(form: forms.BaseForm) -> list[dict[str, str]]:
    """A bound form's errors for the summary above it, in the form's order: one dict per message
    with `label` (the field's label), `message` and `target` (the id of the control the summary
    links to: a group's first control; "" for the whole form or a hidden field, shown without a
    link or a label). Errors on names the form has no field for are left out."""
    found = [{"label": "", "message": str(e), "target": ""} for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name not in form.fields:
            continue
        field = form[name]
        if field.is_hidden:
            found += [{"label": "", "message": str(e), "target": ""} for e in errors]
            continue
        target = field.auto_id + ("_0" if field.widget_type in GROUPED_WIDGETS else "")
        found += [{"label": str(field.label), "message": str(e), "target": target} for e in errors]
    return found


class BadParameter(BadRequest):
    """A value a page sends that is not one it may send; the message is safe to show (HTTP 400,
    core.errors.bad_request)."""


class ParameterField(forms.Field):
    """A value a page sends outside what a person types (a record id in a hidden field, an on/off
    switch, the day): refused with `problem`, which names the field and what is allowed."""

    problem = _("“{name}” is not a value this page sends.")

    def __init__(self, *, required: bool = True) -> None:
        super().__init__(required=required)

    def to_python(self, value: Any) -> Any:
        return "" if value is None else str(value)

    def refuse(self) -> ValidationError:
        return ValidationError(self.problem, code="parameter")


class ParameterForm(forms.Form):
    """A form of the values a page sends outside what a person types. `checked()` gives them, or
    BadParameter naming the first field that is not one the page sends, before anything is
    written: a tampered or mistyped value is neither a server error nor taken for a default."""

    def checked(self) -> dict[str, Any]:
        if not self.is_valid():
            name = next(iter(self.errors))
            field = self.fields.get(name)
            if isinstance(field, ParameterField):
                raise BadParameter(str(field.problem).format(name=name))
            raise BadParameter(f"“{name}”: {' '.join(str(e) for e in self.errors[name])}")
        return self.cleaned_data


# ASCII digits only (str.isdigit() also accepts "²", which int() refuses), within a 64-bit id.
RECORD_ID = re.compile(r"[0-9]{1,18}")


class RecordIdField(ParameterField):
    """A record id posted by a page; None when it is optional and not sent."""

    problem = _("“{name}” must be a record number: digits 0–9 only.")

    def clean(self, value: Any) -> int | None:
        value = self.to_python(value)
        if not value and not self.required:
            return None
        if not RECORD_ID.fullmatch(value):
            raise self.refuse()
        return int(value)


class SwitchField(ParameterField):
    """An on/off value a page posts as "1" or "0"."""

    problem = _("“{name}” must be 1 (on) or 0 (off).")

    def clean(self, value: Any) -> bool:
        value = self.to_python(value)
        if value not in ("0", "1"):
            raise self.refuse()
        return value == "1"


class DayParameterField(ParameterField):
    """A day sent in an address as YYYY-MM-DD (`?day=`, `?start=`), or None when it is not sent."""

    problem = _("“{name}” must be a day written YYYY-MM-DD, for example 2026-06-15.")

    def clean(self, value: Any) -> date | None:
        value = self.to_python(value)
        if not value:
            return None
        if not _ISO_DAY.fullmatch(value):
            raise self.refuse()
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise self.refuse() from None
        if not FIRST_DAY <= day <= LAST_DAY:
            raise self.refuse()
        return day


class OpenDayField(ParameterField):
    """`yesterday` or `today` (or no value: today), the only days a diary or a tick is still
    written for, as the date. Another day was once taken for today without a word."""

    problem = _("“{name}” must be “today” or “yesterday”.")

    def __init__(self) -> None:
        super().__init__(required=False)

    def clean(self, value: Any) -> date:
        value = self.to_python(value)
        if value not in ("", "today", "yesterday"):
            raise self.refuse()
        today = timezone.localdate()
        return today - timedelta(days=1) if value == "yesterday" else today


def local_path(value: str, *, host: str) -> str | None:
    """`value` when it is a path on this site (where a form asks to return), else None. Never a
    URL name: a value without a slash is not looked up as one."""
    if not value.startswith("/") or value.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts={host}):
        return None
    return value
