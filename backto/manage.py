"""The `backto` console script: Django's manage.py for the BackTo project."""

import os
import secrets
import sys

# Commands that read no secret and serve nobody: they run without BACKTO_SECRET_KEY, so a
# researcher can score a file on a laptop with nothing configured.
NO_SECRET_COMMANDS = {"score", "lifecycle_diagram", "permissions_table"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backto.settings")
    if len(sys.argv) > 1 and sys.argv[1] in NO_SECRET_COMMANDS:
        os.environ.setdefault("BACKTO_SECRET_KEY", secrets.token_urlsafe(50))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
