from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


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
