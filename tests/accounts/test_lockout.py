"""Sign-in pauses count the account, not the spelling typed: a name in any case, with spaces, or
the account's email all reach one account and share one count. A network that fails across many
names is paused too (credential stuffing)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from backto.access.accounts.lockout import account_key, lockout_key
from tests.conftest import PASSWORD

URL = reverse("login")
SPELLINGS = ["pat", "PAT", " pat", "pat@example.org", " Pat@Example.org "]


def sign_in(username, password="wrong", ip="127.0.0.1"):
    return Client().post(URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_every_spelling_of_an_account_shares_one_count(pat, settings):
    statuses = [sign_in(SPELLINGS[n]).status_code for n in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    for spelling in SPELLINGS:
        response = sign_in(spelling, PASSWORD)
        assert response.status_code == 429, spelling
        assert b"Too many sign-in tries" in response.content


def test_a_paused_account_gets_no_more_tries_under_another_spelling(pat, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("pat")
    assert [sign_in(s).status_code for s in SPELLINGS] == [429] * len(SPELLINGS)


def test_the_pause_holds_from_another_address(pat, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("pat", ip="203.0.113.7")
    assert sign_in("pat@example.org", PASSWORD, ip="198.51.100.20").status_code == 429


def test_a_success_under_any_spelling_clears_the_accounts_failures(pat, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in("PAT")
    assert sign_in(" pat@example.org", PASSWORD).status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in("pat")
    assert sign_in("pat", PASSWORD).status_code == 302


def test_a_success_clears_only_that_accounts_failures(pat, olive, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in("olive")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("nobody")
    assert sign_in("pat", PASSWORD).status_code == 302
    assert sign_in("nobody").status_code == 429
    sign_in("OLIVE")
    assert sign_in("olive", PASSWORD).status_code == 429


def test_a_name_without_an_account_is_paused_like_an_account(db, pat, settings):
    """The same pause after the same failures, so a pause tells nothing about who has an
    account."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("Nobody")
        sign_in("pat")
    unknown, known = sign_in(" nobody "), sign_in("pat")
    assert unknown.status_code == known.status_code == 429
    assert unknown.content == known.content


def test_a_network_failing_across_many_names_is_paused(pat, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 8
    statuses = [sign_in(f"someone{n}@example.org", ip="203.0.113.50").status_code for n in range(8)]
    assert statuses == [200] * 7 + [429]
    assert sign_in("pat", PASSWORD, ip="203.0.113.50").status_code == 429
    assert sign_in("pat", PASSWORD, ip="198.51.100.1").status_code == 302


def test_the_network_limit_counts_failures_on_real_accounts_too(pat, olive, phil, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 6
    for name in ("pat", "olive", "phil"):
        for _ in range(2):
            sign_in(name, ip="203.0.113.51")
    assert sign_in("nobody", ip="203.0.113.51").status_code == 429


def test_the_network_pause_ends_with_the_cool_off(pat, settings, clock):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 3
    for n in range(3):
        sign_in(f"guess{n}", ip="203.0.113.52")
    assert sign_in("pat", PASSWORD, ip="203.0.113.52").status_code == 429
    clock.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))  # the clock stands still
    assert sign_in("pat", PASSWORD, ip="203.0.113.52").status_code == 302


@pytest.mark.parametrize("typed", SPELLINGS)
def test_every_spelling_has_the_accounts_key(pat, typed):
    assert lockout_key(None, {"username": typed}) == account_key(pat)


def test_names_without_an_account_are_keyed_by_their_plain_spelling(db):
    assert lockout_key(None, {"username": " NoBody "}) == "name:nobody"
    assert lockout_key(None, {"username": "pat"}) != lockout_key(None, {"username": "nobody"})
