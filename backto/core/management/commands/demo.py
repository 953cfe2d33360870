"""`backto demo --password PW [--patients N] [--seed S]`: create the demo clinic."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from backto.core.demo import build_demo, demo_exists


class Command(BaseCommand):
    help = "Create a demo clinic with synthetic children, families and staff."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", required=True, help="Password for every demo user.")
        parser.add_argument("--patients", type=int, default=12, help="How many children (1-500).")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same clinic.")

    def handle(self, *args: Any, password: str, patients: int, seed: int, **options: Any) -> None:
        if not 1 <= patients <= 500:
            raise CommandError("--patients must be between 1 and 500 (backto synth makes more).")
        if len(password) < 8:
            raise CommandError("--password must have at least 8 characters.")
        if demo_exists():
            raise CommandError("The demo clinic already exists in this database.")
        with tqdm(total=patients, desc="Demo children", unit="child",
                  disable=options["verbosity"] < 1, file=self.stderr._out) as bar:
            result = build_demo(password=password, patients=patients, seed=seed,
                                progress=lambda _k: bar.update(1))
        self.stdout.write(f"Demo clinic: {result.clinic.name}")
        self.stdout.write("Sign in with any of these usernames and the demo password:")
        for username, who in result.logins:
            self.stdout.write(f"  {username:<20} {who}")
