"""`python -m ontkoppel_server herstelsleutel-maken --bestand PAD --instituutssleutel PAD [--vervang]`: the
institute's recovery key, a reader of every verslag."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ontkoppel_desktop.instituut.verzegeling import maak_herstelsleutel, vingerafdruk
from ontkoppel_server.instituut import sleutels
from ontkoppel_server.instituut.management.commands import _sleutelbestand


class Command(BaseCommand):
    help = (
        "Maakt de herstelsleutel van het instituut: een lezer van elk verslag, die de functioneel beheerder offline "
        "bewaart (bestand met wachtwoord). De server krijgt het publieke deel, ondertekend met de "
        "instituutssleutel. Wachtwoorden worden gevraagd (of uit "
        f"{_sleutelbestand.WACHTWOORD_VAR})."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bestand", required=True, type=Path, help="nieuw bestand voor de herstelsleutel")
        parser.add_argument("--instituutssleutel", required=True, type=Path,
                            help="het bestand van de instituutssleutel (instituutssleutel-maken)")
        parser.add_argument(
            "--vervang", action="store_true",
            help="vervang de bestaande herstelsleutel (verslagen die ervoor verzegeld zijn, blijven alleen met het "
                 "oude bestand te openen)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        using = _sleutelbestand.eigenaar()
        pad: Path = options["bestand"]
        rij = sleutels.instituut(using)
        if rij is not None and rij.herstel_versleuteling and not options["vervang"]:
            raise CommandError(
                "Het instituut heeft al een herstelsleutel. Verslagen zijn ervoor verzegeld: bewaar dat bestand. "
                "Geef --vervang om toch een nieuwe te maken (alleen nieuwe verslagen worden ervoor verzegeld), of "
                "herstelsleutel-ondertekenen om de bestaande opnieuw te ondertekenen."
            )
        _sleutelbestand.controleer_nieuw(pad)
        instituut = _sleutelbestand.open_instituutssleutel(options["instituutssleutel"], using)
        wachtwoord = _sleutelbestand.nieuw_wachtwoord("de herstelsleutel")
        herstel = maak_herstelsleutel()
        _sleutelbestand.schrijf(pad, herstel, wachtwoord)
        sleutels.zet_herstelsleutel(instituut, herstel.publiek, using)
        self.stdout.write(
            f"De herstelsleutel staat in {pad} (vingerafdruk {vingerafdruk(herstel.publiek)}). De server geeft het "
            "publieke deel door, ondertekend met de instituutssleutel; vanaf nu is de herstelsleutel een lezer van "
            "elk verslag. Bewaar het bestand offline (bijvoorbeeld op een usb-stick in de kluis, niet bij de "
            "instituutssleutel) en het wachtwoord ergens anders."
        )
