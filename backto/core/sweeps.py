"""Periodic sweeps: background work that looks for what is due every few minutes (diary and
questionnaire reminders, questionnaires whose day has come, appointment reminders, the staff's
message digest, the audit log's seal). Each capability registers its sweep's task from its
`AppConfig.ready`; `backto reminders` queues every registered sweep. Filled by the capabilities
that have one; read only by that command."""

from typing import Any

from backto.audit.tasks import seal_audit_log_task

# name -> a django-tasks Task taking no arguments; safe to run twice at once.
_sweeps: dict[str, Any] = {"audit seal": seal_audit_log_task}


def register_sweep(name: str, task: Any) -> None:
    _sweeps[name] = task


def registered_sweeps() -> dict[str, Any]:
    return dict(_sweeps)
