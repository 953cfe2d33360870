"""`backto clinic create --name NAME --admin-email EMAIL [--time-zone TZ] [--slug SLUG]`:
set up a real clinic and invite its first admin. Non-interactive and idempotent on the slug."""

from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from backto.access.accounts.models import PaperSize
from backto.access.accounts.tasks import send_invitation
from backto.capabilities.clinicsetup.actions import (
    clinic_create,
    invitation_link,
)
from backto.capabilities.clinicsetup.queries import mail_is_delivered


class Command(BaseCommand):
    help = "Set up a clinic: `backto clinic create --name NAME --admin-email EMAIL`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, title="verbs")
        create = sub.add_parser(
            "create",
            help="Create a clinic with its defaults and invite its first admin.",
            description="Create a clinic with its defaults (starter exercise library, "
            "questionnaire schedule, learning pages) and invite its first clinic admin. Run "
            "again with the same slug, it changes nothing and renews the admin's invitation.",
        )
        create.add_argument("--name", required=True, help="The clinic's name, as families know it.")
        create.add_argument("--admin-email", required=True, help="The first clinic admin's email.")
        create.add_argument("--admin-name", default="", help="The first admin's name (optional).")
        create.add_argument(
            "--time-zone",
            default="",
            help="IANA time zone, e.g. America/Chicago (default: BACKTO_TIME_ZONE).",
        )
        create.add_argument("--slug", default="", help="Short unique id (default: from the name).")
        create.add_argument(
            "--paper-size",
            default="",
            choices=PaperSize.values,
            help="PDF page size (default: letter for US time zones, a4 elsewhere).",
        )
        create.add_argument(
            "--print-link",
            action="store_true",
            help="Print the admin's set-password link even when email is configured.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            setup = clinic_create(
                name=options["name"],
                admin_email=options["admin_email"],
                admin_name=options["admin_name"],
                time_zone=options["time_zone"],
                slug=options["slug"],
                paper_size=options["paper_size"],
            )
        except ValidationError as error:
            lines = [
                f"--{field.replace('_', '-')}: {' '.join(messages)}"
                for field, messages in error.message_dict.items()
            ]
            raise CommandError("\n".join(lines)) from None
        clinic = setup.clinic
        if setup.created:
            self.stdout.write(self.style.SUCCESS(f"Created the clinic {clinic.name!r}."))
        else:
            self.stdout.write(
                f"The clinic {clinic.name!r} (slug {clinic.slug}) already exists; nothing in it "
                "was changed."
            )
        self.stdout.write(
            f"  slug: {clinic.slug}\n  time zone: {clinic.time_zone}\n"
            f"  paper size: {clinic.get_paper_size_display()}"
        )
        if setup.exercises:
            self.stdout.write(f"  starter exercise library: {setup.exercises} exercises")
        email = options["admin_email"].strip()
        if setup.admin_has_account:
            self.stdout.write(
                f"{email} already has an account: they sign in, or use “Forgot your password?”."
            )
            return
        invitation = setup.invitation
        assert invitation is not None
        if mail_is_delivered() and not options["print_link"]:
            send_invitation.enqueue(invitation.pk)
            self.stdout.write(
                f"An invitation to set a password is on its way to {email} (the tasks worker, "
                "`backto tasks_worker`, sends it)."
            )
            return
        link = invitation_link(invitation)
        until = timezone.localtime(invitation.expires_at, ZoneInfo(clinic.time_zone))
        self.stdout.write(
            f"\nThe first clinic admin ({email}) sets a password at this one-time link, valid "
            f"until {until:%Y-%m-%d %H:%M %Z}:\n\n  {link}\n\n"
            "Give it to them privately: whoever opens it first becomes the clinic admin. "
            "Running this command again makes a new link and the old one stops working."
        )
