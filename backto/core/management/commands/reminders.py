"""`backto reminders [--every SECONDS]`: queue the periodic sweeps for the tasks worker: every
sweep a capability registered (backto.core.sweeps): diary, questionnaire and appointment
reminders, questionnaires whose day has come, the staff's message digest, the audit log's seal.

Run it once (from cron, every few minutes) or with --every to keep queueing it; `make run` does
the latter. Run one of these per deployment: each sweep is safe to run twice at once. With
--every it outlives the database going away: a round that cannot queue is logged and the next
round tries again.
"""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import InterfaceError, OperationalError

from backto.core.management.commands.tasks_worker import drop_connections
from backto.core.sweeps import registered_sweeps

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Queue the periodic sweeps: reminders, due questionnaires, digests (once, or every N seconds)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (>= 30).")

    def handle(self, *args: Any, every: int, **options: Any) -> None:
        if every and every < 30:
            every = 30
        while True:
            try:
                for task in registered_sweeps().values():
                    task.enqueue()
            except (OperationalError, InterfaceError) as error:
                if not every:
                    raise  # once, from cron: the exit status says it failed
                # Kept running: the database comes back (a restart, a fail-over) and the next
                # round queues everything this one could not.
                logger.warning(
                    "The database is not answering (%s); the sweeps are queued again in %d s.",
                    type(error).__name__,
                    every,
                )
                drop_connections()
            if not every:
                return
            time.sleep(every)
