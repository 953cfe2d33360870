"""`backto demo --password PW [--patients N] [--seed S]`: create the demo clinic."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from backto.access.accounts.models import Clinic, User, UserKind
from backto.access.patients.models import Patient
from backto.demo.build import build_demo, demo_exists, parent_login, teen_login


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
        parser.add_argument(
            "--set-password",
            action="store_true",
            help="With --if-empty: give the existing demo users this password.",
        )

    def handle(self, *args: Any, password: str, patients: int, seed: int, **options: Any) -> None:
        if options["if_empty"] and Clinic.objects.exists():
            self._list_existing(password, set_password=options["set_password"])
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
        self._print_logins(demo_logins())

    def _print_logins(self, logins: list[tuple[str, str]]) -> None:
        self.stdout.write("Sign in with any of these usernames and the demo password:")
        for username, who in logins:
            self.stdout.write(f"  {username:<20} {who}")

    def _list_existing(self, password: str, *, set_password: bool) -> None:
        logins = demo_logins()
        if not logins:
            self.stdout.write("This database has a clinic and no demo users; nothing to add.")
            return
        self._print_logins(logins)
        users = User.objects.filter(username__startswith="demo-")
        if users.first().check_password(password):  # type: ignore[union-attr]
            return
        if set_password:
            # One hash for every demo account: hashing once keeps this instant.
            hasher = User(username="demo")
            hasher.set_password(password)
            users.update(password=hasher.password)
            self.stdout.write("The demo users' password is now the one given.")
        else:
            self.stdout.write(
                self.style.WARNING(
                    "The demo password is not the one given now: it was set when the demo was "
                    "first created (see var/demo-password)."
                )
            )


def demo_logins() -> list[tuple[str, str]]:
    """Every demo login with who it is, read from the database: the same list on every start."""
    staff = (
        User.objects.filter(username__startswith="demo-", kind=UserKind.STAFF)
        .prefetch_related("staff_roles")
        .order_by("id")
    )
    logins = [(u.username, f"{u.name} ({u.role_labels.lower()})") for u in staff]
    patients = (
        Patient.objects.filter(guardianships__guardian__username__startswith="demo-parent-")
        .select_related("teen_account")
        .prefetch_related("guardianships__guardian")
        .order_by("id")
        .distinct()
    )
    for patient in patients:
        for link in patient.guardianships.all():
            logins.append((link.guardian.username, parent_login(patient, link.guardian)))
        if patient.teen_account:
            logins.append(
                (patient.teen_account.username, teen_login(patient, patient.teen_account))
            )
    return logins
