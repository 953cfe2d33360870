"""My account → API tokens: made in sudo mode, shown once, stored as a digest, revoked by their
owner only, every step audited."""

import re
from typing import Any

import pytest
from django.urls import reverse

from backto.access.accounts.sudo import SESSION_KEY
from backto.access.apitokens.actions import TokenRefused, token_create, token_user
from backto.access.apitokens.models import ApiToken, token_digest
from tests.conftest import PINNED_AT, audited

pytestmark = pytest.mark.django_db


def confirmed(client: Any) -> Any:
    session = client.session
    session[SESSION_KEY] = PINNED_AT.timestamp()
    session.save()
    return client


def test_making_a_token_asks_to_confirm_it_is_you_first(as_user: Any, pat: Any) -> None:
    client = as_user(pat)
    session = client.session
    session.pop(SESSION_KEY, None)
    session.save()
    response = client.get(reverse("api_tokens"))
    assert response.status_code == 302 and reverse("sudo_confirm") in response["Location"]


def test_a_token_is_shown_once_and_only_its_digest_is_kept(as_user: Any, pat: Any) -> None:
    client = confirmed(as_user(pat))
    page = client.post(
        reverse("api_tokens"), {"name": "Hospital feed", "scope": "read", "days": "90"}
    )
    assert page.status_code == 200
    raw = re.search(r'value="(bt_[A-Za-z0-9_-]+)"', page.content.decode()).group(1)
    token = ApiToken.objects.get(user=pat)
    assert token.digest == token_digest(raw) and raw not in str(token.__dict__)
    assert token_user(raw) == (pat, token)
    assert audited("create", object_type="apitoken", actor_id=pat.pk)
    again = client.get(reverse("api_tokens")).content.decode()
    assert raw not in again and "Hospital feed" in again and f"bt_{token.hint}" in again


def test_bad_input_names_the_field(as_user: Any, pat: Any) -> None:
    client = confirmed(as_user(pat))
    response = client.post(reverse("api_tokens"), {"name": "", "scope": "admin", "days": "1000"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"name", "scope", "days"}
    assert not ApiToken.objects.exists()
    with pytest.raises(TokenRefused) as refused:
        token_create(by=pat, name="x", scope="read", days=1000)
    assert refused.value.field == "days" and "1000" in str(refused.value)


def test_revoking_stops_the_token_and_only_the_owner_can(
    as_user: Any, pat: Any, olive: Any
) -> None:
    token, raw = token_create(by=pat, name="Script", scope="read_write", days=7)
    response = as_user(olive).post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert token_user(raw) is not None
    as_user(pat).post(reverse("api_token_revoke", args=[token.pk]))
    assert token_user(raw) is None
    assert audited("update", object_type="apitoken", detail="revoked")


def test_families_get_a_403_on_the_tokens_page(as_user: Any, gina: Any) -> None:
    client = confirmed(as_user(gina))
    assert client.get(reverse("api_tokens")).status_code == 403
    assert (
        client.post(reverse("api_tokens"), {"name": "x", "scope": "read", "days": "7"}).status_code
        == 403
    )


def test_my_account_links_to_tokens_for_those_who_may_make_them(
    as_user: Any, pat: Any, gina: Any
) -> None:
    assert (
        reverse("api_tokens") in confirmed(as_user(pat)).get(reverse("my_account")).content.decode()
    )
    assert (
        reverse("api_tokens")
        not in confirmed(as_user(gina)).get(reverse("my_account")).content.decode()
    )
