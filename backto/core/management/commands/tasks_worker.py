"""`backto tasks_worker`: the tasks worker (django-tasks-db's `db_worker`, with its options) that
outlives the database going away.

`db_worker` stops at the first error from the database: a restart of PostgreSQL, a fail-over or a
network blip would leave invitations, reminders and safety-alert emails unsent until someone
restarts the worker. This one waits and starts the worker again, with the same worker id: 1 s, then
twice as long each time up to 30 s, back to 1 s once the worker has run for a minute. A task that
was running when the database went away is marked as the database allows when it returns (its
result row is the database's, so a task is never run twice by two workers).
"""

import contextlib
import logging
import time
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger(__name__)
LONGEST_WAIT = 30.0
STEADY = 60.0  # a worker that ran this long was well: the next wait starts from 1 s again


def drop_connections() -> None:
    """Close this process's database connections, broken or not: the next query opens another."""
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):
            connection.close()


class Command(db_worker.Command):
    help = (
        "Run background tasks (emails, reminders, sweeps), waiting and starting again when the "
        "database does not answer."
    )

    def handle(self, **options: Any) -> None:
        wait = 1.0
        while True:
            began = time.monotonic()
            try:
                super().handle(**options)
                return  # --batch or --max-tasks: the worker finished of its own accord
            except (OperationalError, InterfaceError) as error:
                if time.monotonic() - began > STEADY:
                    wait = 1.0
                logger.warning(
                    "The database is not answering (%s); the tasks worker starts again in %.0f s.",
                    type(error).__name__,
                    wait,
                )
                drop_connections()
                time.sleep(wait)
                wait = min(wait * 2, LONGEST_WAIT)
