"""Where the heavy reports (program outcomes and the exports) read from: the reporting replica
when one is configured (BACKTO_REPORTING_DATABASE_URL, settings.REPORTING_DB) and it answers,
else the main database, saying that it fell back so that the page can tell its reader.

A report asks once (`reporting_source()`) and reads every one of its queries through the alias it
got, so one request checks the replica at most once. Without a replica nothing is checked: no
connection, no query. With one, the check is Django's own: the persistent connection's health
check (a `SELECT 1` that Django runs on the first query of a request anyway) and connecting when
there is no connection; a replica that does not answer leaves its broken connection closed, so
the next request tries it again. Writes never come here: they go to the main database.
"""

import contextlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportingSource:
    """The database alias to read a report from, and whether that is the main database because
    the reporting replica did not answer (`fell_back`)."""

    alias: str
    fell_back: bool = False


def replica_answers(alias: str) -> bool:
    """Whether the database `alias` answers now: a persistent connection passes its health check
    (once a request), or a new connection opens. A failed one is closed for the next try."""
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as error:
        with contextlib.suppress(DatabaseError):
            connection.close()
        # The error's class only: a driver's message may carry the host and user name.
        logger.warning(
            "The reporting database %r is not answering (%s); reports read the main database.",
            alias,
            type(error).__name__,
        )
        return False
    return True


def reporting_source() -> ReportingSource:
    """The alias to read a report from: the reporting replica when it is configured and answers,
    else the main database (with `fell_back` set when a replica is configured but down)."""
    alias: str = settings.REPORTING_DB  # "reporting" when the replica is configured
    if alias == DEFAULT_DB_ALIAS:
        return ReportingSource(DEFAULT_DB_ALIAS)
    if replica_answers(alias):
        return ReportingSource(alias)
    return ReportingSource(DEFAULT_DB_ALIAS, fell_back=True)
