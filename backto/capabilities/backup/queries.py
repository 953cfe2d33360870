"""Reads for backups: what a backup's manifest says about the software that made it."""

from importlib.metadata import PackageNotFoundError, version


def backto_version() -> str:
    """The installed BackTo version, written into every backup so a restore can refuse a newer
    one."""
    try:
        return version("backto")
    except PackageNotFoundError:  # pragma: no cover - a checkout that was never installed
        return "unknown"
