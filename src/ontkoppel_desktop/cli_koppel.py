"""The headless command `ontkoppel-desktop koppel RONDE.xlsx --uitslag UITSLAG.xlsx`: solve a koppelingsronde
from the workbook format of `exchange.ronde_schema`, write the uitslag and print the summary in Dutch.

The ronde is read, validated and indexed once: the import's lookups go on to the Koppelplanner and the uitslag
writer (bench/bench_koppel_cli.py holds the command against a bare script that does the same).

Exit codes: 0 solved (and written); 1 the ronde cannot be read or breaks the rules (every problem is printed);
2 wrong use of the command; 3 the uitslag cannot be written (e.g. the file is open in Excel); 4 an unforeseen
fault (one Dutch line, no traceback, no personal data).
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ontkoppel_desktop.cli_argumenten import GebruiksFout, NederlandseParser
from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.koppelplanner.planner import Koppelplanner
from ontkoppel_desktop.exchange.bestand_schrijven import naam_probleem
from ontkoppel_desktop.exchange.ronde_lezen import read_ronde
from ontkoppel_desktop.exchange.uitslag_schrijven import write_uitslag

EXIT_OK = 0
EXIT_ONGELDIG = 1
EXIT_GEBRUIK = 2
EXIT_SCHRIJVEN = 3
EXIT_ONVERWACHT = 4


def _parser() -> NederlandseParser:
    parser = NederlandseParser(
        prog="ontkoppel-desktop koppel",
        description=(
            "Koppel een ronde: de beste koppeling voor de hele groep volgens de kaders van de "
            "koppelingsprocedure (eerst zoveel mogelijk aios gekoppeld, dan zoveel mogelijk voorrangsopleiders "
            "gevuld, dan de laagste totaalscore)."
        ),
        epilog=(
            "Exitcodes: 0 gekoppeld; 1 de ronde is niet te lezen of breekt regels (alle problemen worden "
            "getoond); 2 verkeerd gebruik; 3 de uitslag kan niet worden geschreven; 4 een onverwachte fout."
        ),
    )
    parser.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")
    parser.add_argument(
        "ronde",
        metavar="RONDE",
        help="de ronde: een Excel-werkmap (.xlsx) met de bladen Aios, Opleiders, Voorkeuren, Afwijzingen en "
        "Vastgezet, of een map met CSV-bestanden (Aios.csv, Opleiders.csv, ...) of één van die bestanden",
    )
    parser.add_argument(
        "--uitslag",
        metavar="UITSLAG.xlsx",
        help="schrijf de uitslag naar deze Excel-werkmap (bladen Uitslag, Per opleider, Niet gekoppeld, "
        "Samenvatting)",
    )
    return parser


def run(argv: Sequence[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command; `argv` excludes the word "koppel". Never calls sys.exit, never shows a traceback: a
    fault nobody foresaw is one Dutch line with only the kind of error (a traceback could show a name)."""
    out = out if out is not None else _tolerant(sys.stdout)
    err = err if err is not None else _tolerant(sys.stderr)
    geschreven: list[Path] = []
    try:
        return _run(argv, out, err, geschreven)
    except Exception as error:  # noqa: BLE001 - the last line of defence of a headless command
        gevolg = f"de uitslag staat in {geschreven[0]}" if geschreven else "er is geen uitslag geschreven"
        print(f"Fout: er ging iets onverwachts mis ({type(error).__name__}); {gevolg}.", file=err)
        return EXIT_ONVERWACHT


def _tolerant(stream: TextIO) -> TextIO:
    """The console as the command writes to it: a name in Arabic script or a file name the system could not
    decode is shown as an escape where the console's encoding (cp1252 in a Windows pipe, ASCII under LANG=C) has
    no letter for it, instead of failing the command after the work is done."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="backslashreplace")
    return stream


def _run(argv: Sequence[str], out: TextIO, err: TextIO, geschreven: list[Path]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(list(argv))
    except GebruiksFout as error:
        print(parser.format_usage().rstrip(), file=err)
        print(f"Fout: {error}", file=err)
        return EXIT_GEBRUIK
    except SystemExit as stop:  # --help
        return stop.code if isinstance(stop.code, int) else EXIT_OK

    if not args.ronde.strip():
        print(parser.format_usage().rstrip(), file=err)
        print("Fout: geef de ronde: een Excel-werkmap (.xlsx), een map met CSV-bestanden of een CSV-bestand.",
              file=err)
        return EXIT_GEBRUIK
    ronde_pad = Path(args.ronde)
    uitslag_pad = Path(args.uitslag) if args.uitslag is not None else None
    if uitslag_pad is not None and uitslag_pad.suffix.lower() != ".xlsx":
        print(f"Fout: de uitslag wordt een Excel-werkmap; geef een naam die eindigt op .xlsx ({uitslag_pad}).",
              file=err)
        return EXIT_GEBRUIK
    if uitslag_pad is not None and _is_map(uitslag_pad):
        voorbeeld = uitslag_pad / "uitslag.xlsx"
        print(f"Fout: {uitslag_pad} is een map; geef de naam van de uitslag, bijvoorbeeld {voorbeeld}.", file=err)
        return EXIT_GEBRUIK
    naam_fout = naam_probleem(uitslag_pad) if uitslag_pad is not None else None
    if naam_fout is not None:
        print(f"Fout: {naam_fout}", file=err)
        return EXIT_GEBRUIK
    if uitslag_pad is not None and _zelfde_bestand(uitslag_pad, ronde_pad):
        print("Fout: de uitslag zou de ronde zelf overschrijven; kies een ander bestand.", file=err)
        return EXIT_GEBRUIK

    resultaat = read_ronde(ronde_pad)
    if resultaat.ronde is None:
        print(f"De ronde {ronde_pad} is niet ingelezen; {_aantal(len(resultaat.problemen))}:", file=err)
        for probleem in resultaat.problemen:
            # One problem, one line: a name or cell with a line break in it would otherwise start a line of its
            # own that reads as something else (and a script that reads "- " lines would miss it).
            print(f"- {' '.join(str(probleem).splitlines())}", file=err)
        return EXIT_ONGELDIG
    # The import validated the ronde with these lookups: the planner takes them as they are.
    planner = Koppelplanner(resultaat.ronde, resultaat.index)
    uitslag = planner.solve()
    uitleg = planner.explain(uitslag)
    print(uitleg.samenvatting, file=out)
    if uitslag_pad is not None:
        try:
            write_uitslag(uitslag_pad, resultaat.ronde, uitslag, uitleg, index=planner.index)
        except OntkoppelError as error:  # NietGeschreven, BestandBezet: the reason and what to do, in Dutch
            print(f"Fout: de uitslag kan niet worden geschreven. {error}", file=err)
            return EXIT_SCHRIJVEN
        geschreven.append(uitslag_pad)
        print(f"Uitslag geschreven naar {uitslag_pad}.", file=out)
    return EXIT_OK


def _is_map(pad: Path) -> bool:
    # Not Path.is_dir(): it raises for a name longer than the system allows; the writer says that in Dutch.
    try:
        return stat.S_ISDIR(pad.stat().st_mode)
    except OSError:
        return False


def _zelfde_bestand(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them is not there (or cannot be looked at): not the same file
        return False


def _aantal(n: int) -> str:
    return "1 probleem" if n == 1 else f"{n} problemen"
