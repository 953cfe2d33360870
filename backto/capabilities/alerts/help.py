"""After a safety answer the family's next page shows the clinic's help message, with the
clinic's number (and its crisis line when it has one): "call the clinic" always comes with the
number to call.

The flag lives in the session, never in the URL: an address (in a server log or the browser's
history) must not tell that a safety answer was given.
"""

from dataclasses import dataclass

from django.http import HttpRequest

from backto.access.accounts.models import Clinic
from backto.access.patients.models import Patient

HELP_FLAG = "backto_show_help"


@dataclass(frozen=True)
class HelpMessage:
    clinic: Clinic  # its phone, hours and crisis line are shown with the words

    def __str__(self) -> str:
        """The words in the reader's language where the clinic wrote them (Clinic.translations;
        BackTo's own translation of the default message), else in English."""
        return str(self.clinic.text_for_reader("help_message"))


def remember_help(request: HttpRequest, patient_id: int) -> None:
    request.session[HELP_FLAG] = patient_id


def help_message(request: HttpRequest, patient: Patient) -> HelpMessage | None:
    """The clinic's help message, once: on the first page that asks for this child after the
    safety answer. Otherwise None."""
    if request.session.get(HELP_FLAG) != patient.pk:
        return None
    del request.session[HELP_FLAG]
    return HelpMessage(clinic=patient.clinic)
