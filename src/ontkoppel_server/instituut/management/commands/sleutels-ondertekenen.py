"""`python -m ontkoppel_server sleutels-ondertekenen --instituutssleutel PAD [--account NAAM] [--ja]`: IT binds
users' keys to their accounts, after comparing each fingerprint with what the user sees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_server.instituut import sleutels
from ontkoppel_server.instituut.management.commands import _sleutelbestand

VRAAG = "Komt deze vingerafdruk overeen met wat de gebruiker op het scherm ziet? [j/N] "


class Command(BaseCommand):
    help = (
        "Ondertekent de sleutels van gebruikers met de instituutssleutel, zodat laptops ze vertrouwen. Toont per "
        "sleutel account, laptop en vingerafdruk en vraagt of die overeenkomt met wat de gebruiker op het scherm "
        "ziet (vergelijk ze bijvoorbeeld telefonisch). Het wachtwoord wordt gevraagd (of uit "
        f"{_sleutelbestand.WACHTWOORD_VAR})."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instituutssleutel", required=True, type=Path,
                            help="het bestand van de instituutssleutel (instituutssleutel-maken)")
        parser.add_argument("--account", help="alleen de sleutel van dit account (gebruikersnaam)")
        parser.add_argument("--ja", action="store_true",
                            help="onderteken zonder te vragen (voor scripts: vergelijk de vingerafdrukken dan zelf)")

    def handle(self, *args: Any, **options: Any) -> None:
        using = _sleutelbestand.eigenaar()
        instituut = _sleutelbestand.open_instituutssleutel(options["instituutssleutel"], using)
        account: str | None = options["account"]
        te_doen = list(sleutels.te_ondertekenen(using, account))
        if not te_doen:
            self.stdout.write(f"Geen onondertekende sleutel van {account}." if account
                              else "Er zijn geen sleutels die op ondertekening wachten.")
            return
        ondertekend = overgeslagen = 0
        for sleutel in te_doen:
            moment = timezone.localtime(sleutel.aangemeld_op)
            self.stdout.write(
                f"\nAccount:       {sleutel.account.username} ({sleutel.account.naam})\n"
                f"Laptop:        {sleutel.laptop.naam if sleutel.laptop else '—'}\n"
                f"Aangemeld op:  {dutch_date(moment.date())} {moment:%H:%M}\n"
                f"Vingerafdruk:  {sleutels.vingerafdruk_van(sleutel)}"
            )
            if not options["ja"]:
                self.stdout.flush()
                if input(VRAAG).strip().lower() not in ("j", "ja"):
                    self.stdout.write("Niet ondertekend.")
                    overgeslagen += 1
                    continue
            if sleutels.onderteken(sleutel, instituut, using):
                self.stdout.write("Ondertekend.")
                ondertekend += 1
            else:
                self.stdout.write("Niet ondertekend: deze sleutel is intussen vervangen of veranderd.")
                overgeslagen += 1
        self.stdout.write(f"\n{ondertekend} sleutel(s) ondertekend, {overgeslagen} niet.")
