"""What BackTo answers is checked against its R4B model in the tests (every resource on every
path) and, when asked, in production; production's default skips it for speed
(backto/readers/fhir/checked.py)."""

import pydantic
import pytest
from django.conf import settings
from django.test import override_settings
from fhir.resources.R4B.observation import Observation

from backto.readers.fhir.checked import checked

WRONG = {"resourceType": "Observation", "status": "final"}  # no code: the model requires one


def test_the_tests_check_every_resource_answered() -> None:
    assert settings.FHIR_CHECK_OUTPUT is True


def test_a_builders_fault_is_caught_where_checking_is_on() -> None:
    with pytest.raises(pydantic.ValidationError):
        checked(Observation, WRONG)


def test_production_by_default_answers_without_the_check() -> None:
    with override_settings(FHIR_CHECK_OUTPUT=False):
        assert checked(Observation, WRONG) is WRONG
