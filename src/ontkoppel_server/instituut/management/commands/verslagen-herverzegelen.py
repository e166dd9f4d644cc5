"""`python -m ontkoppel_server verslagen-herverzegelen --herstelsleutel PAD --account NAAM [--jaar N | --traject
UUID | --alle] [--opnieuw] [--ja]`: give an account (a new jaarassistent) the verslagen it needs, sealed to it with
the institute's recovery key."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.instituut.verzegeling import (
    PubliekeSleutels,
    Sleutelpaar,
    ZegelFout,
    controleer_binding,
    uit_b64,
    vingerafdruk,
)
from ontkoppel_server.instituut import sleutels, verslagen
from ontkoppel_server.instituut.management.commands import _sleutelbestand
from ontkoppel_server.instituut.models import Account, Sleutel, Verslag

JAARROLLEN = (Rol.JAARASSISTENT.value, Rol.MANAGER_OPLEIDING.value)


class Command(BaseCommand):
    help = (
        "Verzegelt verslagen opnieuw voor een account, bijvoorbeeld een nieuwe jaarassistent, met de herstelsleutel "
        "van het instituut: het account wordt een lezer en zijn laptop haalt ze op. Zonder keuze: de verslagen van "
        "de opleidingsjaren van het account (als jaarassistent of manager opleiding). De server leest de verslagen "
        f"daarbij niet. Het wachtwoord wordt gevraagd (of uit {_sleutelbestand.WACHTWOORD_VAR})."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--herstelsleutel", required=True, type=Path,
                            help="het bestand van de herstelsleutel (herstelsleutel-maken)")
        parser.add_argument("--account", required=True, help="de gebruikersnaam van de nieuwe lezer")
        keuze = parser.add_mutually_exclusive_group()
        keuze.add_argument("--jaar", type=int, choices=(1, 2, 3), help="de verslagen van trajecten van dit jaar")
        keuze.add_argument("--traject", type=uuid.UUID, help="de verslagen van dit traject (UUID)")
        keuze.add_argument("--alle", action="store_true", help="alle verslagen op de server")
        parser.add_argument("--opnieuw", action="store_true",
                            help="ook verslagen die het account al leest (nadat het een nieuwe sleutel kreeg)")
        parser.add_argument("--ja", action="store_true", help="zonder te vragen (voor scripts)")

    def handle(self, *args: Any, **options: Any) -> None:
        using = _sleutelbestand.eigenaar()
        account = Account.objects.using(using).filter(username=options["account"], is_active=True).first()
        if account is None:
            raise CommandError(f"Er is geen actief account ‘{options['account']}’. Er is niets veranderd.")
        selectie, wat = self._selectie(account, options, using)
        publiek = self._sleutel(account, using)
        herstel = self._herstelsleutel(options["herstelsleutel"], using)
        aantal = selectie.count()
        if not aantal:
            self.stdout.write(f"Er zijn geen verslagen van {wat}.")
            return
        self.stdout.write(f"{aantal} verslag(en) van {wat}, voor {account.username} ({account.naam}, vingerafdruk "
                          f"{vingerafdruk(publiek)}).")
        if not options["ja"]:
            self.stdout.flush()
            if input("Deze verslagen opnieuw verzegelen voor dit account? [j/N] ").strip().lower() not in ("j", "ja"):
                self.stdout.write("Er is niets veranderd.")
                return
        uitkomst = verslagen.voeg_lezer_toe_aan(selectie, herstel, account, publiek, using,
                                                 opnieuw=options["opnieuw"])
        for verslag_id, melding in uitkomst.mislukt:
            self.stdout.write(f"Verslag {verslag_id}: {melding}")
        self.stdout.write(
            f"{uitkomst.gedaan} verslag(en) opnieuw verzegeld voor {account.username}; {uitkomst.al_lezer} las het "
            f"account al, {len(uitkomst.mislukt)} niet gelukt. De laptop van {account.username} haalt ze op bij de "
            "volgende synchronisatie."
        )

    @staticmethod
    def _selectie(account: Account, options: dict[str, Any], using: str) -> tuple[QuerySet[Verslag], str]:
        if options["alle"]:
            return verslagen.te_herverzegelen(using), "alle trajecten"
        if options["traject"] is not None:
            return verslagen.te_herverzegelen(using, traject=options["traject"]), f"traject {options['traject']}"
        jaren = [options["jaar"]] if options["jaar"] is not None else sorted(set(
            account.rollen.using(using).filter(rol__in=JAARROLLEN, opleidingsjaar__isnull=False)
            .values_list("opleidingsjaar", flat=True)))
        if not jaren:
            raise CommandError(
                f"{account.username} is geen jaarassistent of manager opleiding: kies welke verslagen met --jaar, "
                "--traject of --alle. Er is niets veranderd."
            )
        return verslagen.te_herverzegelen(using, jaren=jaren), f"opleidingsjaar {', '.join(map(str, jaren))}"

    @staticmethod
    def _sleutel(account: Account, using: str) -> PubliekeSleutels:
        """The account's current key, only with the institute's binding: sealing to a key the server swapped in
        would hand the verslagen to whoever holds it."""
        rij = sleutels.instituut(using)
        sleutel = Sleutel.objects.using(using).filter(account=account, vervangen_op__isnull=True).first()
        if rij is None or sleutel is None or sleutel.handtekening is None:
            raise CommandError(f"De sleutel van {account.username} is nog niet door het instituut ondertekend "
                               "(sleutels-ondertekenen). Er is niets veranderd.")
        publiek = sleutels.publiek(sleutel)
        try:
            controleer_binding(uit_b64(rij.ondertekening), account.username, publiek, uit_b64(sleutel.handtekening))
        except (ZegelFout, ValueError):
            raise CommandError(f"De handtekening onder de sleutel van {account.username} klopt niet met de "
                               "instituutssleutel: de sleutel is veranderd. Onderteken haar opnieuw na het "
                               "vergelijken van de vingerafdruk. Er is niets veranderd.") from None
        return publiek

    @staticmethod
    def _herstelsleutel(pad: Path, using: str) -> Sleutelpaar:
        rij = sleutels.instituut(using)
        if rij is None or not rij.herstel_versleuteling or not rij.herstel_ondertekening:
            raise CommandError("Het instituut heeft nog geen herstelsleutel (herstelsleutel-maken). Er is niets "
                               "veranderd.")
        paar = _sleutelbestand.lees(pad, "de herstelsleutel")
        gepubliceerd = PubliekeSleutels(uit_b64(rij.herstel_versleuteling), uit_b64(rij.herstel_ondertekening))
        if paar.publiek != gepubliceerd:
            raise CommandError(
                f"{pad} is niet de herstelsleutel van deze server (die heeft vingerafdruk "
                f"{vingerafdruk(gepubliceerd)}; dit bestand {vingerafdruk(paar.publiek)}). Er is niets veranderd."
            )
        return paar
