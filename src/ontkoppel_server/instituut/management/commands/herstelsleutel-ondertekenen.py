"""`python -m ontkoppel_server herstelsleutel-ondertekenen --bestand PAD --instituutssleutel PAD`: publish the
existing recovery key again, signed by the (new) institute key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ontkoppel_desktop.instituut.verzegeling import vingerafdruk
from ontkoppel_server.instituut import sleutels
from ontkoppel_server.instituut.management.commands import _sleutelbestand


class Command(BaseCommand):
    help = (
        "Ondertekent de bestaande herstelsleutel opnieuw met de instituutssleutel, bijvoorbeeld nadat die is "
        "vervangen, en geeft haar publieke deel aan de server (uit het bestand, niet uit de database). "
        f"Wachtwoorden worden gevraagd (of uit {_sleutelbestand.WACHTWOORD_VAR})."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bestand", required=True, type=Path, help="het bestand van de herstelsleutel")
        parser.add_argument("--instituutssleutel", required=True, type=Path,
                            help="het bestand van de instituutssleutel (instituutssleutel-maken)")

    def handle(self, *args: Any, **options: Any) -> None:
        using = _sleutelbestand.eigenaar()
        instituut = _sleutelbestand.open_instituutssleutel(options["instituutssleutel"], using)
        # Opened with its passphrase, so the public half published is that of a pair IT holds.
        herstel = _sleutelbestand.lees(options["bestand"], "de herstelsleutel")
        sleutels.zet_herstelsleutel(instituut, herstel.publiek, using)
        self.stdout.write(f"De herstelsleutel (vingerafdruk {vingerafdruk(herstel.publiek)}) is ondertekend met de "
                          "instituutssleutel en wordt door de server doorgegeven.")
