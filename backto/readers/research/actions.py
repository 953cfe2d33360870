"""Naming a research study: its code and its random key, made once (audited)."""

import re
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from backto.audit.log import audit
from backto.audit.models import Action
from backto.readers.research.models import ResearchStudy

CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{1,29}")
CODE_RULE = "2 to 30 letters, digits, - or _, starting with a letter or digit (e.g. FIT-2027)"


def check_code(code: str) -> str:
    if not CODE.fullmatch(code):
        raise ValidationError({"study": f"The study code must be {CODE_RULE}."})
    return code.upper()


@transaction.atomic
def research_study_create(*, by: Any, code: str) -> ResearchStudy:
    """A new study of the person's clinic with a new random key: its pseudonyms differ from every
    other study's. A code already used by the clinic is refused (its key never changes)."""
    code = check_code(code)
    if ResearchStudy.objects.filter(clinic=by.clinic, code=code).exists():
        raise ValidationError({"study": f"The clinic already has a study {code}."})
    study = ResearchStudy.objects.create(
        clinic=by.clinic, code=code, key=secrets.token_hex(32), created_by=by
    )
    audit(by=by, action=Action.CREATE, obj=study, detail=f"research study {code}")
    return study
