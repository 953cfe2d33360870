"""Loading one questionnaire for a request, as every reader of it does (its page, the JSON API):
the care team reads it with measure_view and enters it with measure_enter; a family member reads
and answers it with measure_answer, and then only as its respondent (may_answer)."""

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import asked_permission, get_record_for, refuse
from backto.capabilities.measures.models import Administration
from backto.capabilities.measures.queries import may_answer

READ = (Permission.MEASURE_VIEW, Permission.MEASURE_ANSWER)
WRITE = (Permission.MEASURE_ENTER, Permission.MEASURE_ANSWER)


def administration_for(request: AuthenticatedHttpRequest, administration_id: int) -> Administration:
    """404 outside the circle, 403 for a role without the permission or a family member who is
    not this form's respondent; audited like every loader."""
    administration = get_record_for(
        request,
        Administration,
        administration_id,
        READ,
        write=WRITE,
        patient_path="episode__patient",
        related=("episode__patient__clinic", "completed_by"),
    )
    asked = asked_permission(request, READ, WRITE)
    if asked == Permission.MEASURE_ANSWER and not may_answer(request.user, administration):
        refuse(request, administration, administration.episode.patient_id, asked)
    return administration
