"""The permission table, person by person: has_permission(user, permission, patient)."""

import pytest

from backto.access.accounts.roles import Permission as P
from backto.access.patients.access import asked_permission, has_permission, patients_for


@pytest.mark.parametrize(
    ("persona", "permission", "expected"),
    [
        ("pat", P.PATIENT_VIEW, True),
        ("pat", P.EPISODE_TRANSITION, True),
        ("pat", P.PATIENT_REGISTER, False),
        ("olive", P.PATIENT_VIEW, False),  # same clinic, not on the care team
        ("elsa", P.PATIENT_VIEW, False),  # another clinic
        ("cora", P.PATIENT_VIEW, True),
        ("cora", P.CARE_TEAM_MANAGE, True),
        ("ada", P.PATIENT_VIEW, True),
        ("ada", P.EPISODE_TRANSITION, False),
        ("gina", P.PATIENT_VIEW, True),
        ("gina", P.ACCESS_LOG_VIEW, True),
        ("gina", P.PATIENT_EDIT, False),
        ("otto", P.PATIENT_VIEW, False),
        ("maya_teen", P.PATIENT_VIEW, True),
        ("maya_teen", P.ACCESS_LOG_VIEW, False),
        ("maya_teen", P.DIARY_KEEP_PRIVATE, True),  # her own answers, from her guardians
        ("gina", P.DIARY_KEEP_PRIVATE, False),
        ("pat", P.DIARY_KEEP_PRIVATE, False),
    ],
)
def test_it_answers_each_person_for_maya(request, episode, persona, permission, expected):
    user = request.getfixturevalue(persona)
    maya = episode.patient
    assert has_permission(user, permission, maya) is expected


def test_a_deactivated_account_can_do_nothing(pat, episode):
    pat.is_active = False
    pat.save()
    pat.__dict__.pop("permissions", None)
    assert not has_permission(pat, P.PATIENT_VIEW, episode.patient)
    assert not patients_for(pat).exists()


def test_clinic_wide_roles_never_reach_another_clinic(cora, elsa, other_clinic):
    from datetime import date

    from backto.access.patients.models import Patient

    Patient.objects.create(
        clinic=other_clinic, legal_name="Far Away", date_of_birth=date(2012, 1, 1)
    )
    assert list(patients_for(cora)) == []


def test_the_docs_show_the_current_permission_table():
    from pathlib import Path

    from backto.access.accounts.roles import permissions_markdown

    doc = (Path(__file__).parents[2] / "docs" / "permissions.md").read_text()
    assert permissions_markdown() in doc, "regenerate the tables with: backto permissions_table"


def test_in_scope_agrees_with_patients_for(request, episode, leo):
    from backto.access.patients.access import in_scope
    from backto.access.patients.models import Patient

    for persona in ("pat", "olive", "elsa", "cora", "ada", "gina", "otto", "maya_teen"):
        user = request.getfixturevalue(persona)
        circle = set(patients_for(user).values_list("pk", flat=True))
        for patient in Patient.objects.all():
            user.__dict__.pop("_backto_scope_cache", None)
            assert in_scope(user, patient) is (patient.pk in circle), (persona, patient)


@pytest.mark.parametrize(
    ("method", "expected"),
    [("GET", P.PATIENT_VIEW), ("HEAD", P.PATIENT_VIEW), ("POST", P.GOAL_EDIT)],
)
def test_a_page_asks_its_read_permission_to_show_and_its_write_permission_to_change(
    rf, method, expected
):
    request = rf.generic(method, "/")
    assert asked_permission(request, P.PATIENT_VIEW, P.GOAL_EDIT) == expected
    assert asked_permission(request, P.PATIENT_VIEW) == P.PATIENT_VIEW


@pytest.mark.parametrize(
    ("permission", "staff", "guardian", "teen"),
    [
        # Once `is_staff_member` in the views: the caseload, the diary's safety marker.
        (P.CASELOAD_VIEW, True, False, False),
        (P.DIARY_SAFETY_VIEW, True, False, False),
        # Once `is_guardian` in the access log: the alerts a teen's own answers raised.
        (P.TEEN_RAISED_ALERTS_VIEW, True, False, True),
    ],
)
def test_the_rules_that_were_kinds_are_granted_to_the_same_kinds(permission, staff, guardian, teen):
    from backto.access.accounts.roles import GUARDIAN, STAFF_ROLES, TEEN

    assert {permission in role.permissions for role in STAFF_ROLES.values()} == {staff}
    assert (permission in GUARDIAN.permissions) is guardian
    assert (permission in TEEN.permissions) is teen


def test_a_questionnaires_answers_are_shown_to_whoever_reads_its_score():
    """measure_answers_view goes with measure_view: the staff who open a questionnaire's result
    (families are shown a thank-you, a clinic admin does not open it)."""
    from backto.access.accounts.roles import ALL_ROLES

    for role in ALL_ROLES:
        assert (P.MEASURE_ANSWERS_VIEW in role.permissions) == (P.MEASURE_VIEW in role.permissions)
