"""`backto reminders [--every SECONDS]`: queue the periodic sweeps for the tasks worker: diary
reminders, questionnaire reminders (docs/questionnaire-reminders.md), and questionnaires whose
day has come (scheduled -> due).

Run it once (from cron, every few minutes) or with --every to keep queueing it; `make run` does
the latter. Run one of these per deployment: the sweep itself is safe to run twice at once.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backto.audit.tasks import seal_audit_log_task
from backto.capabilities.diary.reminders import send_due_reminders_task
from backto.capabilities.measures.tasks import mark_due_task
from backto.capabilities.questionnairereminders.reminders import send_questionnaire_reminders_task


class Command(BaseCommand):
    help = (
        "Queue the diary-reminder, questionnaire-reminder and due-questionnaire sweeps (once, or "
        "every N seconds)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (>= 30).")

    def handle(self, *args: Any, every: int, **options: Any) -> None:
        if every and every < 30:
            every = 30
        while True:
            send_due_reminders_task.enqueue()
            mark_due_task.enqueue()
            send_questionnaire_reminders_task.enqueue()
            seal_audit_log_task.enqueue()  # the audit chain, and its daily checkpoint
            if not every:
                return
            time.sleep(every)
