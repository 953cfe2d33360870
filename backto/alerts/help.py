"""After a safety answer the family's next page shows the clinic's help message.

The flag lives in the session, never in the URL: an address (in a server log or the browser's
history) must not tell that a safety answer was given.
"""

from django.http import HttpRequest

from backto.patients.models import Patient

HELP_FLAG = "backto_show_help"


def remember_help(request: HttpRequest, patient_id: int) -> None:
    request.session[HELP_FLAG] = patient_id


def help_message(request: HttpRequest, patient: Patient) -> str:
    """The clinic's help message, once: on the first page that asks for this child after the
    safety answer. Otherwise ""."""
    if request.session.get(HELP_FLAG) != patient.pk:
        return ""
    del request.session[HELP_FLAG]
    return patient.clinic.help_message
