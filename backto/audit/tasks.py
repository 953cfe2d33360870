from django_tasks import task

from backto.audit.chain import checkpoint_if_due, seal


@task()
def seal_audit_log_task() -> int:
    """Queued by the sweep (`backto reminders`) every five minutes: seal the events committed
    since the last run into the hash chain, then record the daily checkpoint if none was today.
    Returns how many events were sealed."""
    sealed = seal()
    checkpoint_if_due()
    return sealed
