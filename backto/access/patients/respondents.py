"""Who answers a form about a child, and who may answer as whom.

One vocabulary for every capability that asks (the diary, the questionnaires): the child or
teen answers about themselves, a parent about their child, a clinician rates what they see.
Whether a family member may answer as the child or as a parent is a rule about the people
around the child, so it sits here with them rather than in either capability.
"""

from django.db import models

from backto.access.accounts.models import User
from backto.access.patients.models import Patient


class Respondent(models.TextChoices):
    CHILD = "child", "Child or teen"
    PARENT = "parent", "Parent"
    CLINICIAN = "clinician", "Clinician"


# The family's respondents: the diary is written by them alone.
FAMILY_RESPONDENTS = (Respondent.CHILD, Respondent.PARENT)


def allowed_respondent(user: User, patient: Patient, respondent: str) -> bool:
    """A teen writes their own child entry; a guardian writes the parent entry, and the child
    entry too for a child without an account of their own (filled in together). Nobody in the
    family answers as the clinician."""
    if user.is_teen:
        return respondent == Respondent.CHILD and patient.teen_account_id == user.pk
    if user.is_guardian:
        return respondent == Respondent.PARENT or (
            respondent == Respondent.CHILD and patient.teen_account_id is None
        )
    return False
