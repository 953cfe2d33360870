"""BackTo has no site-wide superuser: every account belongs to one clinic and has roles there."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Not used in BackTo: create a clinic and its first admin with `backto clinic create`."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("args", nargs="*")
        parser.add_argument("--noinput", "--no-input", action="store_true")
        parser.add_argument("--username")
        parser.add_argument("--email")
        parser.add_argument("--database")

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError(
            "BackTo has no superuser: every account belongs to a clinic. Create a clinic and "
            "invite its first admin with\n"
            "  backto clinic create --name 'Your Clinic' --admin-email admin@example.org\n"
            "The admin then invites the rest of the staff from the app."
        )
