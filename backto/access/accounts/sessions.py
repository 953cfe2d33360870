"""Django's database sessions, with the session read by a fixed query (backto.core.fixed_sql):
every request a signed-in person makes reads one."""

from datetime import datetime
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from backto.core.fixed_sql import fixed_query


@fixed_query
def _unexpired(*, session_key: str, now: datetime) -> QuerySet[Any]:
    return Session.objects.filter(session_key=session_key, expire_date__gt=now)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        found = (
            _unexpired(session_key=self.session_key, now=timezone.now()) if self.session_key else []
        )
        if found:
            return found[0]
        self._session_key = None
        return None
