"""`backto lifecycle_diagram`: print the episode lifecycle as a Mermaid diagram for the docs."""

from typing import Any

from django.core.management.base import BaseCommand

from backto.access.patients.lifecycle import mermaid_diagram


class Command(BaseCommand):
    help = "Print the episode-of-care transition table as a Mermaid state diagram."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(mermaid_diagram())
