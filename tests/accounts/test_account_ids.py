"""Account and invitation ids tell nothing to someone who may not manage them: a person who
manages no accounts gets 403 whether or not the id exists, and a coordinator (families only)
gets the same 404 for a staff account or invitation as for an id that does not exist. It was a
403 for an existing id and a 404 for a missing one."""

import pytest
from django.urls import reverse

from backto.access.accounts.models import Invitation
from tests.accounts.test_invitation_resend import invite_staff
from tests.conftest import audited

MISSING = 987654


def answers(client, name, ids, data=None):
    return {
        label: client.post(reverse(name, args=[pk]), data).status_code for label, pk in ids.items()
    }


@pytest.mark.parametrize("persona", ["pat", "gina", "maya_teen"])
def test_someone_who_manages_no_accounts_gets_403_for_any_id(
    request, as_user, persona, olive, otto, elsa
):
    client = as_user(request.getfixturevalue(persona))
    ids = {"staff": olive.pk, "family": otto.pk, "other clinic": elsa.pk, "missing": MISSING}
    assert set(answers(client, "account_set_active", ids, {"active": "0"}).values()) == {403}
    assert {client.get(reverse("staff_detail", args=[pk])).status_code for pk in ids.values()} == {
        403
    }
    olive.refresh_from_db()
    assert olive.is_active


def test_a_coordinator_finds_staff_ids_as_missing_as_ids_that_do_not_exist(
    as_user, ada, cora, olive, otto
):
    invitation = invite_staff(ada)
    client = as_user(cora)
    accounts = answers(
        client, "account_set_active", {"staff": olive.pk, "missing": MISSING}, {"active": "0"}
    )
    assert accounts == {"staff": 404, "missing": 404}
    for name in ("invitation_revoke", "invitation_resend"):
        assert answers(client, name, {"staff": invitation.pk, "missing": MISSING}) == {
            "staff": 404,
            "missing": 404,
        }
    olive.refresh_from_db()
    assert olive.is_active and Invitation.objects.pending().filter(pk=invitation.pk).exists()
    # A family account is still hers to manage.
    assert (
        client.post(reverse("account_set_active", args=[otto.pk]), {"active": "0"}).status_code
        == 302
    )


def test_a_refusal_is_still_audited(as_user, pat, olive):
    as_user(pat).post(reverse("account_set_active", args=[MISSING]), {"active": "0"})
    assert audited("permission_denied", actor_id=pat.pk, detail="403 family_manage")


@pytest.mark.parametrize("value", ["", "yes", "true", "2"])
def test_an_active_that_is_neither_1_nor_0_names_the_field_and_changes_nothing(
    as_user, ada, pat, value
):
    """Anything but "1" used to deactivate the account."""
    response = as_user(ada).post(reverse("account_set_active", args=[pat.pk]), {"active": value})
    assert response.status_code == 400
    assert "“active” must be 1 (on) or 0 (off)." in response.content.decode()
    pat.refresh_from_db()
    assert pat.is_active
