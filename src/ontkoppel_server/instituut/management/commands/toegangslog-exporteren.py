"""`python -m ontkoppel_server toegangslog-exporteren --uitvoer PAD.csv [--van DATUM] [--tot DATUM] [--account NAAM]
[--traject UUID ...]`: the functional administrator exports the access log (who read which traject or verslag,
when, from which laptop) as a CSV file for Excel, for instance for an aios's or opleider's inzage request."""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ontkoppel_server.instituut import toegangslog
from ontkoppel_server.instituut.models import Account, Toegang

KOPPEN = ("Moment", "Account", "Naam", "Laptop", "Soort", "Traject", "Verslag", "Aantal")
# Excel (and LibreOffice) run a cell that starts with one of these as a formula: an account's or laptop's name is
# typed by people, so it gets a leading apostrophe and stays text (OWASP, CSV injection).
FORMULE_TEKENS = ("=", "+", "-", "@", "\t", "\r")


def veilig(tekst: str) -> str:
    """A text cell that a spreadsheet shows as text, never runs as a formula."""
    return "'" + tekst if tekst.startswith(FORMULE_TEKENS) else tekst


def _datum(waarde: str) -> dt.date:
    try:
        return dt.date.fromisoformat(waarde)
    except ValueError:
        raise CommandError(f"‘{waarde}’ is geen datum: schrijf JJJJ-MM-DD, bijvoorbeeld 2026-03-01.") from None


def _uuid(waarde: str) -> uuid.UUID:
    try:
        return uuid.UUID(waarde)
    except ValueError:
        raise CommandError(f"‘{waarde}’ is geen UUID van een traject.") from None


def rij(toegang: Toegang) -> list[object]:
    moment = timezone.localtime(toegang.moment)
    return [
        f"{moment:%Y-%m-%d %H:%M:%S}",
        veilig(toegang.account.username),
        veilig(toegang.account.naam),
        veilig(toegang.laptop.naam) if toegang.laptop is not None else "",
        toegang.soort,
        str(toegang.traject) if toegang.traject else "",
        str(toegang.verslag) if toegang.verslag else "",
        toegang.aantal,
    ]


class Command(BaseCommand):
    help = (
        "Exporteert het toegangslog (wie welk traject of verslag heeft opgehaald, wanneer en vanaf welke laptop) "
        "naar een CSV-bestand voor Excel (UTF-8, puntkomma's). Voor een inzageverzoek van een aios of opleider: "
        "geef de trajecten van die persoon met --traject (meermaals). Draait als eigenaar van de tabellen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--uitvoer", required=True, type=Path,
                            help="het nieuwe CSV-bestand (een bestaand bestand wordt niet overschreven)")
        parser.add_argument("--van", type=_datum, help="vanaf deze dag (JJJJ-MM-DD)")
        parser.add_argument("--tot", type=_datum, help="tot en met deze dag (JJJJ-MM-DD)")
        parser.add_argument("--account", action="append", default=[], metavar="NAAM",
                            help="alleen wat dit account (gebruikersnaam) heeft opgehaald; mag meermaals")
        parser.add_argument("--traject", action="append", default=[], type=_uuid, metavar="UUID",
                            help="alleen dit traject, met zijn verslagen; mag meermaals")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            using = toegangslog.eigenaar()
        except toegangslog.GeenEigenaar as fout:
            raise CommandError(str(fout)) from None
        van: dt.date | None = options["van"]
        tot: dt.date | None = options["tot"]
        if van is not None and tot is not None and tot < van:
            raise CommandError("--tot ligt vóór --van; er is niets geëxporteerd.")
        namen: list[str] = options["account"]
        accounts = list(Account.objects.using(using).filter(username__in=namen))
        onbekend = sorted(set(namen) - {a.username for a in accounts})
        if onbekend:
            raise CommandError(f"Onbekend account: {', '.join(onbekend)}. Er is niets geëxporteerd.")
        uitvoer: Path = options["uitvoer"]
        rijen = toegangslog.lees(using, van=van, tot=tot, accounts=accounts, trajecten=options["traject"])
        try:
            # "x": never overwrite; the BOM tells Excel it is UTF-8 (utf-8-sig).
            with uitvoer.open("x", encoding="utf-8-sig", newline="") as bestand:
                schrijver = csv.writer(bestand, delimiter=";")
                schrijver.writerow(KOPPEN)
                aantal = 0
                for toegang in rijen.iterator(chunk_size=2000):
                    schrijver.writerow(rij(toegang))
                    aantal += 1
        except FileExistsError:
            raise CommandError(f"{uitvoer} bestaat al; kies een nieuwe naam. Er is niets geëxporteerd.") from None
        except OSError as fout:
            raise CommandError(f"{uitvoer} kan niet worden geschreven: {fout.strerror}.") from None
        self.stdout.write(f"{aantal} regel(s) uit het toegangslog geschreven naar {uitvoer}.")
