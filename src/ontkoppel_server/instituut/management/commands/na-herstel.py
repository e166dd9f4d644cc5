"""`python -m ontkoppel_server na-herstel [--ja]`: run once after putting back a back-up (server/README.md, Back-ups
en herstel), before the service starts again.

A back-up lacks what the server accepted after it was made. The volgnummers it gives next must not be numbers a
laptop already pulled (it would never ask for them), and the laptops must send again what the server lost. So:
the volgnummer sequences of events and verslagen jump a million ahead, and the database gets a new `reeks`: a laptop
that sees another reeks than it last heard sends again everything of its own (the server keeps what it has and
stores what it lost; sending twice is harmless) and pulls everything from the start. Runs as the owner.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections, transaction
from django.utils import timezone

from ontkoppel_server.instituut.management.commands._sleutelbestand import eigenaar
from ontkoppel_server.instituut.models import Reeks

SPRONG = 1_000_000


class Command(BaseCommand):
    help = "Na het terugzetten van een back-up: nieuwe reeks, volgnummers vooruit; laptops sturen opnieuw."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ja", action="store_true", help="niet vragen (voor scripts)")

    def handle(self, *args: Any, **options: Any) -> None:
        alias = eigenaar()
        if not options["ja"]:
            antwoord = input("Is de back-up teruggezet en staat de dienst nog uit? [j/N] ")
            if antwoord.strip().lower() not in ("j", "ja"):
                raise CommandError("Niets veranderd.")
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            sprongen = []
            for tabel, kolom in (("gebeurtenis", "volgnummer"), ("verslag", "volgnummer")):
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [tabel, kolom])
                reeks_naam = cursor.fetchone()[0]
                if reeks_naam is None:
                    raise CommandError(f"De volgnummers van {tabel} hebben geen reeks; is dit de juiste database?")
                cursor.execute(f"SELECT greatest((SELECT coalesce(max({kolom}), 0) FROM {tabel}), "  # noqa: S608
                               f"(SELECT last_value FROM {reeks_naam})) + %s", [SPRONG])
                volgende = int(cursor.fetchone()[0])
                cursor.execute("SELECT setval(%s, %s, false)", [reeks_naam, volgende])
                sprongen.append(f"{tabel}: verder vanaf {volgende}")
            nieuw = uuid.uuid4()
            Reeks.objects.using(alias).update_or_create(pk=1, defaults={"reeks": nieuw, "sinds": timezone.now()})
        self.stdout.write("Nieuwe reeks " + str(nieuw) + "; " + "; ".join(sprongen) + ".\n"
                          "De laptops sturen bij hun volgende synchronisatie opnieuw wat van hen is en halen alles "
                          "opnieuw op. Zeg de gebruikers vanaf welk moment de server is teruggezet.")
