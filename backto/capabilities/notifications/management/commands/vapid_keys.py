"""`backto vapid_keys`: print a new VAPID key pair for Web Push, as the two settings lines."""

from typing import Any

from django.core.management.base import BaseCommand

from backto.capabilities.notifications.vapid import generate_pair


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair for Web Push reminders. Put both lines in the server's "
        "environment once and keep them: devices subscribed with one public key receive "
        "nothing signed with another."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        public, private = generate_pair()
        self.stdout.write(f"BACKTO_VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"BACKTO_VAPID_PRIVATE_KEY={private}")
