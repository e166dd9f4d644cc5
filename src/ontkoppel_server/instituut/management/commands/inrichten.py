"""`python -m ontkoppel_server inrichten`: create the roles and the database (inrichting.py), as a superuser."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ontkoppel_server.inrichting import Inrichting


class Command(BaseCommand):
    help = (
        "Maakt de databaserollen (eigenaar, ontkoppel_toepassing, de gebruiker van de server) en de database aan, "
        "met de namen en wachtwoorden uit de ONTKOPPEL_SERVER_DB_*-variabelen. Eenmalig, als superuser van "
        "PostgreSQL; daarna: migreren."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--superuser",
            default=os.environ.get("ONTKOPPEL_SERVER_DB_SUPERUSER", "dbname=postgres"),
            help="verbinding als superuser (libpq), bijvoorbeeld 'host=/var/run/postgresql user=postgres'",
        )
        parser.add_argument("--sql", action="store_true", help="schrijf de opdrachten als psql-script, voer niets uit")

    def handle(self, *args: Any, **options: Any) -> None:
        eigenaar = settings.DATABASES.get("eigenaar")
        if eigenaar is None:
            raise CommandError("Zet ONTKOPPEL_SERVER_DB_EIGENAAR en ONTKOPPEL_SERVER_DB_EIGENAAR_WACHTWOORD.")
        default = settings.DATABASES["default"]
        if not default["PASSWORD"] or not eigenaar["PASSWORD"]:
            raise CommandError("Beide rollen hebben een wachtwoord nodig (ONTKOPPEL_SERVER_DB_WACHTWOORD, "
                               "ONTKOPPEL_SERVER_DB_EIGENAAR_WACHTWOORD).")
        inrichting = Inrichting(
            database=default["NAME"], eigenaar=eigenaar["USER"], eigenaar_wachtwoord=eigenaar["PASSWORD"],
            gebruiker=default["USER"], gebruiker_wachtwoord=default["PASSWORD"],
        )
        if options["sql"]:
            self.stdout.write(inrichting.sql(), ending="")
            return
        inrichting.richt_in(options["superuser"])
        self.stdout.write(f"Database {inrichting.database} en rollen aangemaakt. Nu: scripts/server migreren.")
