"""`backto reminders [--every SECONDS]`: queue the periodic sweeps for the tasks worker: every
sweep a capability registered (backto.core.sweeps): diary, questionnaire and appointment
reminders, questionnaires whose day has come, the staff's message digest, the audit log's seal.

Run it once (from cron, every few minutes) or with --every to keep queueing it; `make run` does
the latter. Run one of these per deployment: each sweep is safe to run twice at once.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backto.core.sweeps import registered_sweeps


class Command(BaseCommand):
    help = "Queue the periodic sweeps: reminders, due questionnaires, digests (once, or every N seconds)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (>= 30).")

    def handle(self, *args: Any, every: int, **options: Any) -> None:
        if every and every < 30:
            every = 30
        while True:
            for task in registered_sweeps().values():
                task.enqueue()
            if not every:
                return
            time.sleep(every)
