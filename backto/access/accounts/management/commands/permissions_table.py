"""`backto permissions_table`: print the permission and role tables for docs/permissions.md."""

from typing import Any

from django.core.management.base import BaseCommand

from backto.access.accounts.roles import permissions_markdown


class Command(BaseCommand):
    help = "Print the permission and role tables as Markdown."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(permissions_markdown())
