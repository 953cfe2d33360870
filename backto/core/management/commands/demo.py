"""`backto demo --password PW [--patients N] [--seed S]`: create the demo clinic."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from backto.accounts.models import Clinic, User
from backto.core.demo import build_demo, demo_exists


class Command(BaseCommand):
    help = "Create a demo clinic with synthetic children, families and staff."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", required=True, help="Password for every demo user.")
        parser.add_argument("--patients", type=int, default=12, help="How many children (1-500).")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same clinic.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Create the demo only when the database has no clinic; otherwise list the "
            "demo logins (used by make run).",
        )

    def handle(self, *args: Any, password: str, patients: int, seed: int, **options: Any) -> None:
        if options["if_empty"] and Clinic.objects.exists():
            self._list_existing(password)
            return
        if not 1 <= patients <= 500:
            raise CommandError("--patients must be between 1 and 500 (backto synth makes more).")
        if len(password) < 8:
            raise CommandError("--password must have at least 8 characters.")
        if demo_exists():
            raise CommandError("The demo clinic already exists in this database.")
        with tqdm(
            total=patients,
            desc="Demo children",
            unit="child",
            disable=options["verbosity"] < 1,
            file=sys.stderr,
        ) as bar:
            result = build_demo(
                password=password, patients=patients, seed=seed, progress=lambda _k: bar.update(1)
            )
        self.stdout.write(f"Demo clinic: {result.clinic.name}")
        self._print_logins(result.logins)

    def _print_logins(self, logins: list[tuple[str, str]]) -> None:
        self.stdout.write("Sign in with any of these usernames and the demo password:")
        for username, who in logins:
            self.stdout.write(f"  {username:<20} {who}")

    def _list_existing(self, password: str) -> None:
        users = User.objects.filter(username__startswith="demo-").order_by("date_joined", "id")
        if not users:
            self.stdout.write("This database has a clinic and no demo users; nothing to add.")
            return
        logins = [
            (u.username, u.name if u.is_staff_member else u.get_kind_display()) for u in users
        ]
        self._print_logins(logins)
        if not users[0].check_password(password):
            self.stdout.write(
                self.style.WARNING(
                    "The demo password is not the one given now: it was set when the demo was "
                    "first created (see var/demo-password)."
                )
            )
