"""The tasks worker and the sweep keep running when the database goes away for a while (a
restart of PostgreSQL, a fail-over): they wait and try again instead of exiting."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.management.commands import db_worker

from backto.core.management.commands import tasks_worker


class Stop(Exception):
    pass


def test_the_tasks_worker_starts_again_after_the_database_failed(db, caplog):
    runs = iter([OperationalError("gone"), OperationalError("gone"), None])

    def run(self, **options):
        outcome = next(runs)
        if outcome is not None:
            raise outcome

    sleeps: list[float] = []
    with (
        mock.patch.object(db_worker.Command, "handle", run),
        mock.patch("backto.core.management.commands.tasks_worker.time.sleep", sleeps.append),
    ):
        tasks_worker.Command().handle(
            batch=True
        )  # the test settings run tasks at once: no option parsing
    assert sleeps == [1.0, 2.0]  # then the worker ran to its end
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 2 and "OperationalError" in warnings[0].getMessage()


def test_the_tasks_worker_does_not_hide_other_errors(db):
    with (
        mock.patch.object(db_worker.Command, "handle", side_effect=ValueError("a bug")),
        pytest.raises(ValueError),
    ):
        tasks_worker.Command().handle(
            batch=True
        )  # the test settings run tasks at once: no option parsing


def test_the_sweep_keeps_queueing_through_an_outage(db):
    task = mock.Mock()
    task.enqueue.side_effect = [OperationalError("gone"), None]
    sleeps = iter([None, Stop()])

    def sleep(seconds):
        outcome = next(sleeps)
        if outcome is not None:
            raise outcome

    with (
        mock.patch(
            "backto.core.management.commands.reminders.registered_sweeps",
            return_value={"one": task},
        ),
        mock.patch("backto.core.management.commands.reminders.time.sleep", sleep),
        pytest.raises(Stop),
    ):
        call_command("reminders", "--every", "60")
    assert task.enqueue.call_count == 2  # the failed round, then the next one


def test_the_sweep_run_once_fails_loudly(db):
    task = mock.Mock()
    task.enqueue.side_effect = OperationalError("gone")
    with (
        mock.patch(
            "backto.core.management.commands.reminders.registered_sweeps",
            return_value={"one": task},
        ),
        pytest.raises(OperationalError),
    ):
        call_command("reminders")
