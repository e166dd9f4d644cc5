"""The headless command `ontkoppel-desktop archief OPSLAG.okdb --naar MAP [--van DATUM] [--tot DATUM] [--word]`:
the archive export for a jaarassistent's script. Every definitief verslag afgerond in the period (without one: all
of them) as PDF (and Word with --word) in MAP/"e-portfolio aios" and MAP/"dossier opleider", with their bijlagen;
recorded as geëxporteerd. Gearchiveerd stays for the jaarassistent to confirm in the app after uploading.

The wachtwoord is asked at the prompt (not shown while typed), or read as the first line of standard input when
that is not a terminal (`echo "$WACHTWOORD" | ontkoppel-desktop archief ...`). Ctrl+C stops between two files;
what is written stays, each file whole.

Exit codes: 0 done (also when there was nothing to export); 1 the store cannot be opened (wrong wachtwoord,
missing file, a network folder); 2 wrong use of the command (a date that is no date); 3 the files cannot be
written (a folder without access, a full disk); 4 stopped with Ctrl+C.
"""

from __future__ import annotations

import datetime as dt
import getpass
import re
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from ontkoppel_desktop.cli_argumenten import GebruiksFout, NederlandseParser
from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.opslaglocatie import Soort, beoordeel_opslag

if TYPE_CHECKING:
    from ontkoppel_desktop.store.store import Store

EXIT_OK = 0
EXIT_OPSLAG = 1
EXIT_GEBRUIK = 2
EXIT_SCHRIJVEN = 3
EXIT_GESTOPT = 4



_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NL = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


def lees_datum(tekst: str) -> dt.date:
    """"2026-09-01" or "1-9-2026" (also with / or . between); a Dutch refusal for anything else."""
    tekst = tekst.strip()
    try:
        if m := _ISO.fullmatch(tekst):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NL.fullmatch(tekst):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        raise GebruiksFout(f"'{tekst}' is geen bestaande datum.") from None
    raise GebruiksFout(f"'{tekst}' is geen datum; schrijf bijvoorbeeld 2026-09-01 of 1-9-2026.")


def _parser() -> NederlandseParser:
    parser = NederlandseParser(
        prog="ontkoppel-desktop archief",
        description=(
            "Exporteer de definitieve gespreksverslagen voor het archief: per verslag een PDF (en met --word ook "
            "een Word-document) in de map 'e-portfolio aios' en de map 'dossier opleider', met de bijlagen "
            "erbij. De verslagen worden vastgelegd als geëxporteerd; 'gearchiveerd' bevestig je in de app nadat "
            "je ze hebt geüpload."
        ),
        epilog=(
            "Het wachtwoord wordt gevraagd, of gelezen als eerste regel van standaardinvoer. Exitcodes: 0 klaar; "
            "1 de opslag is niet te openen; 2 verkeerd gebruik; 3 de bestanden kunnen niet worden geschreven; "
            "4 gestopt met Ctrl+C."
        ),
    )
    parser.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")
    parser.add_argument("opslag", metavar="OPSLAG.okdb", help="het opslagbestand (het sleutelbestand ernaast)")
    parser.add_argument("--naar", metavar="MAP", required=True,
                        help="de map waarin de mappen 'e-portfolio aios' en 'dossier opleider' komen")
    parser.add_argument("--van", metavar="DATUM",
                        help="alleen verslagen afgerond op of na deze datum (2026-09-01 of 1-9-2026)")
    parser.add_argument("--tot", metavar="DATUM", help="alleen verslagen afgerond op of voor deze datum")
    parser.add_argument("--word", action="store_true", help="ook als Word-document (.docx), naast de PDF")
    return parser


def _wachtwoord(stdin: TextIO, err: TextIO) -> str:
    if stdin.isatty():
        return getpass.getpass("Wachtwoord van de opslag: ", stream=err)
    return stdin.readline().rstrip("\r\n")


def run(argv: Sequence[str], out: TextIO | None = None, err: TextIO | None = None,
        stdin: TextIO | None = None) -> int:
    """Run the command; `argv` excludes the word "archief". Never calls sys.exit."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    stdin = stdin if stdin is not None else sys.stdin
    parser = _parser()
    try:
        args = parser.parse_args(list(argv))
        van = lees_datum(args.van) if args.van else None
        tot = lees_datum(args.tot) if args.tot else None
    except GebruiksFout as error:
        print(parser.format_usage().rstrip(), file=err)
        print(f"Fout: {error}", file=err)
        return EXIT_GEBRUIK
    except SystemExit as stop:  # --help
        return stop.code if isinstance(stop.code, int) else EXIT_OK
    if van is not None and tot is not None and van > tot:
        print(f"Fout: --van ({van:%d-%m-%Y}) ligt na --tot ({tot:%d-%m-%Y}).", file=err)
        return EXIT_GEBRUIK
    opslag = Path(args.opslag)
    if not opslag.is_file():
        print(f"Fout: de opslag {opslag} bestaat niet (of is geen bestand).", file=err)
        return EXIT_OPSLAG
    # The app's rule: never a store on a network share; a synced folder is said, and the export goes on.
    oordeel = beoordeel_opslag(opslag)
    if oordeel.soort is Soort.NETWERK:
        print(f"Fout: de opslag {opslag} is niet geopend. {oordeel.melding_openen()}", file=err)
        return EXIT_OPSLAG
    if oordeel.soort is Soort.GESYNCHRONISEERD:
        print(f"Let op: {oordeel.melding_openen()}", file=err)
    naar = Path(args.naar)
    if naar.exists() and not naar.is_dir():
        print(f"Fout: {naar} is een bestand, geen map. Kies een map voor de export.", file=err)
        return EXIT_GEBRUIK

    try:
        wachtwoord = _wachtwoord(stdin, err)
    except (EOFError, KeyboardInterrupt):
        wachtwoord = ""
    if not wachtwoord:
        print("Fout: geen wachtwoord gegeven (typ het bij de vraag, of geef het als eerste regel op "
              "standaardinvoer).", file=err)
        return EXIT_OPSLAG

    from ontkoppel_desktop.store.store import Store

    try:
        store = Store.open(opslag, wachtwoord)
    except OntkoppelError as error:
        print(f"Fout: de opslag {opslag} is niet geopend. {error}", file=err)
        return EXIT_OPSLAG
    try:
        return _exporteer(store, naar, van, tot, args.word, out, err)
    finally:
        store.close()


def _exporteer(store: Store, naar: Path, van: dt.date | None, tot: dt.date | None, word: bool, out: TextIO,
               err: TextIO) -> int:
    from ontkoppel_desktop.core.kalender import dutch_date
    from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
    from ontkoppel_desktop.core.verslagen.archief import ArchiefFout, Formaat, kies_periode, maak_plan, map_naam
    from ontkoppel_desktop.documents.archief import (
        ArchiefSchrijfFout,
        InhoudLezer,
        Voortgang,
        schrijf_archief,
    )
    from ontkoppel_desktop.documents.profiel import profiel_uit
    from ontkoppel_desktop.settings import Settings

    # The institute profile the app uses (its settings file); a logo left out is said, the export goes on.
    profiel, waarschuwing = profiel_uit(Settings.load())
    if waarschuwing:
        print(f"Let op: {waarschuwing}", file=err)
    today = dt.date.today()
    try:
        plan = maak_plan(kies_periode(store.verslagen, van, tot, today), naar,
                         (Formaat.PDF, Formaat.WORD) if word else (Formaat.PDF,))
    except ArchiefFout as error:
        print(f"Fout: {error}", file=err)
        return EXIT_SCHRIJVEN
    periode = _periode(van, tot)
    if not plan.stukken:
        print(f"Geen definitieve verslagen{periode}; er is niets geschreven.", file=out)
        return EXIT_OK
    print(f"{plan.aantal_verslagen} definitieve {'verslag' if plan.aantal_verslagen == 1 else 'verslagen'}{periode}: "
          f"{plan.aantal_bestanden} bestanden naar {plan.map}", file=out, flush=True)
    breedte = len(str(plan.aantal_bestanden))

    def voortgang(v: Voortgang) -> None:
        if v.pad is not None:
            print(f"[{v.gedaan:>{breedte}}/{v.totaal}] {v.pad.parent.name}/{v.pad.name}", file=out, flush=True)

    stop = _CtrlC()
    fout: str | None = None
    with stop:
        try:
            resultaat = schrijf_archief(plan, InhoudLezer(store.verslagen, store.bijlagen, today, profiel),
                                        voortgang=voortgang, gestopt=stop)
        except ArchiefSchrijfFout as error:
            resultaat, fout = error.resultaat, str(error)
    if resultaat.klaar:
        try:
            store.verslagen.zet_geexporteerd(resultaat.klaar, today)
        except OntkoppelError as error:
            print(f"Let op: de bestanden zijn geschreven, maar 'geëxporteerd' is niet vastgelegd: {error}",
                  file=err)
    if fout is not None:
        print(f"Fout: {fout}", file=err)
        return EXIT_SCHRIJVEN
    per_map = {p: sum(1 for f in resultaat.geschreven if f.parent.name == map_naam(p))
               for p in (VerslagBestemming.E_PORTFOLIO, VerslagBestemming.DOSSIER_OPLEIDER)}
    waar = " en ".join(f"{n} in '{map_naam(p)}'" for p, n in per_map.items() if n)
    if resultaat.gestopt:
        print(f"Gestopt: {resultaat.aantal} van de {resultaat.totaal} bestanden zijn geschreven ({waar or 'geen'}), "
              "elk volledig; er staat geen half bestand. Exporteer opnieuw om de rest te schrijven.", file=err)
        return EXIT_GESTOPT
    print(f"Klaar: {resultaat.aantal} bestanden geschreven in {plan.map} ({waar}). {len(resultaat.klaar)} "
          f"{'verslag' if len(resultaat.klaar) == 1 else 'verslagen'} vastgelegd als geëxporteerd op "
          f"{dutch_date(today)}; bevestig 'gearchiveerd' in de app nadat je ze hebt geüpload.", file=out)
    return EXIT_OK


def _periode(van: dt.date | None, tot: dt.date | None) -> str:
    """" afgerond van 1-9-2026 tot en met 30-11-2026", or nothing for every verslag."""
    if van is None and tot is None:
        return ""
    if van is None:
        return f" afgerond tot en met {tot:%d-%m-%Y}"
    if tot is None:
        return f" afgerond vanaf {van:%d-%m-%Y}"
    return f" afgerond van {van:%d-%m-%Y} tot en met {tot:%d-%m-%Y}"


class _CtrlC:
    """Ctrl+C asks the export to stop between two files (a file being written is finished whole)."""

    def __init__(self) -> None:
        self.gevraagd = False
        self._vorige: object = None

    def __call__(self) -> bool:
        return self.gevraagd

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        self.gevraagd = True

    def __enter__(self) -> _CtrlC:
        if threading.current_thread() is threading.main_thread():  # only the main thread may set a handler
            self._vorige = signal.signal(signal.SIGINT, self._handler)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._vorige is not None:
            signal.signal(signal.SIGINT, self._vorige)  # type: ignore[arg-type]


__all__ = ["EXIT_GEBRUIK", "EXIT_GESTOPT", "EXIT_OK", "EXIT_OPSLAG", "EXIT_SCHRIJVEN", "lees_datum", "run"]
