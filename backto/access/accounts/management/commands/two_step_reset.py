"""`backto two_step_reset USERNAME`: remove a person's passkeys, app and recovery codes, for the
clinic admin who lost theirs and has no other admin to reset it from the staff page."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backto.access.accounts.lockout import account_for_sign_in
from backto.access.accounts.two_factor import two_factor_reset


class Command(BaseCommand):
    help = "Reset a person's two-step sign-in (they set up a new passkey or app at next sign-in)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username", help="the username or email they sign in with")

    def handle(self, *args: Any, **options: Any) -> None:
        user = account_for_sign_in(options["username"])
        if user is None:
            raise CommandError(f"No account signs in as {options['username']!r}.")
        removed = two_factor_reset(by=None, user=user)
        self.stdout.write(
            f"Removed {removed} two-step devices of {user.username}; they set up a new one at "
            "their next sign-in."
        )
