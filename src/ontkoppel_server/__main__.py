"""`python -m ontkoppel_server COMMAND`: Django's manage.py for the institute server (migrate, createsuperuser,
runserver, and the server's own `inrichten`)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ontkoppel_server.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
