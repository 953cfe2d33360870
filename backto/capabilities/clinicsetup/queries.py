"""Reads for setting up a clinic: what the setup command asks before it acts."""

from django.conf import settings


def mail_is_delivered() -> bool:
    """False for the development backends that only print, keep or drop mail."""
    backend = settings.EMAIL_BACKEND
    return not backend.startswith(
        (
            "backto.core.mail.",  # the console backend without one-time links
            *(
                f"django.core.mail.backends.{b}."
                for b in ("console", "locmem", "dummy", "filebased")
            ),
        )
    )
