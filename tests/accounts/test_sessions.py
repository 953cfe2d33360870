"""The session store (backto.access.accounts.sessions): Django's database sessions, read with a
fixed query; an expired or unknown session reads as none."""

from datetime import timedelta
from typing import Any

from django.conf import settings

from backto.access.accounts.sessions import SessionStore


def test_the_settings_use_it() -> None:
    assert settings.SESSION_ENGINE == "backto.access.accounts.sessions"


def test_a_saved_session_reads_back_and_an_expired_one_does_not(db: Any, clock: Any) -> None:
    saved = SessionStore()
    saved["step"] = "two"
    saved.save()
    assert SessionStore(saved.session_key)["step"] == "two"
    clock.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
    expired = SessionStore(saved.session_key)
    assert "step" not in expired
    assert expired.session_key is None  # a new session starts, as Django's store does


def test_an_unknown_or_absent_key_reads_as_an_empty_session(db: Any) -> None:
    assert dict(SessionStore("x" * 32).items()) == {}
    assert dict(SessionStore(None).items()) == {}
