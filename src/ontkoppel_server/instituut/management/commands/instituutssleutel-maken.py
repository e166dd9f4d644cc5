"""`python -m ontkoppel_server instituutssleutel-maken --bestand PAD [--vervang]`: the institute's signing key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ontkoppel_desktop.instituut.verzegeling import maak_herstelsleutel, uit_b64, vingerafdruk_instituut
from ontkoppel_server.instituut import sleutels
from ontkoppel_server.instituut.management.commands import _sleutelbestand


class Command(BaseCommand):
    help = (
        "Maakt de ondertekensleutel van het instituut: het bestand (met wachtwoord) bewaart IT offline, de server "
        "krijgt alleen het publieke deel. Toont de vingerafdruk die IT aan de gebruikers bekendmaakt. Het "
        f"wachtwoord wordt twee keer gevraagd (of uit {_sleutelbestand.WACHTWOORD_VAR})."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bestand", required=True, type=Path, help="nieuw bestand voor de sleutel")
        parser.add_argument(
            "--vervang", action="store_true",
            help="vervang de bestaande instituutssleutel; alle handtekeningen worden daarmee ongeldig",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        using = _sleutelbestand.eigenaar()
        pad: Path = options["bestand"]
        bestaand = sleutels.instituut(using)
        if bestaand is not None and not options["vervang"]:
            vorige = vingerafdruk_instituut(uit_b64(bestaand.ondertekening))
            raise CommandError(
                f"Het instituut heeft al een instituutssleutel (vingerafdruk {vorige}). Een nieuwe maakt elke "
                "handtekening van de vorige ongeldig; geef --vervang als dat de bedoeling is."
            )
        _sleutelbestand.controleer_nieuw(pad)
        wachtwoord = _sleutelbestand.nieuw_wachtwoord("de instituutssleutel")
        paar = maak_herstelsleutel()  # an ordinary key pair in a passphrase-protected file; only its Ed25519 half signs
        _sleutelbestand.schrijf(pad, paar, wachtwoord)
        gewist = sleutels.zet_instituutssleutel(paar.publiek.ondertekening, using)
        self.stdout.write(
            f"De instituutssleutel staat in {pad}. Vingerafdruk van de instituutssleutel:\n\n"
            f"    {vingerafdruk_instituut(paar.publiek.ondertekening)}\n\n"
            "Maak deze vingerafdruk bekend aan de gebruikers (intranet, mail): hun laptop toont hem bij Verbinden "
            "met instituut…, en zij controleren dat hij gelijk is. Bewaar het bestand offline (bijvoorbeeld op een "
            "usb-stick in de kluis) en het wachtwoord ergens anders."
        )
        if bestaand is not None:
            self.stdout.write(
                "\nDe vorige instituutssleutel is vervangen: elke handtekening ervan is nu ongeldig. Gewist: de "
                f"handtekeningen van {gewist} sleutel(s) en die van de herstelsleutel. Onderteken ze opnieuw "
                "(sleutels-ondertekenen, herstelsleutel-ondertekenen). Laptops die de vorige instituutssleutel "
                "kennen, vertrouwen de nieuwe niet vanzelf: hun gebruikers moeten opnieuw verbinden."
            )
        else:
            self.stdout.write("\nNu: herstelsleutel-maken, daarna sleutels-ondertekenen voor elke gebruiker.")
