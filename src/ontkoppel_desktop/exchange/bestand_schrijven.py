"""An exported file (a workbook, a calendar) put where the user asked, whole or not at all (`atomic`), and when it
cannot be, the reason in Dutch with what to do: the folder may not be written, the disk is full, the name is a
folder or one Windows refuses. The system's own words (often English) are not shown."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

from ontkoppel_desktop.atomic import write_atomic_with
from ontkoppel_desktop.core.bestandsnamen import VERBODEN, gereserveerd
from ontkoppel_desktop.core.errors import OntkoppelError


class NietGeschreven(OntkoppelError):
    """An export could not be written; nothing is left under its name or beside it. The message is Dutch."""


def naam_probleem(pad: Path) -> str | None:
    """Why Windows would refuse this file name (CON.xlsx, a name with ? or :), or None. Refused on every system:
    an uitslag is passed on, and often to Windows."""
    if gereserveerd(pad.name):
        return (f"{pad.name} is een naam die Windows niet toestaat (zoals CON, PRN, AUX, NUL, COM1 of LPT1); kies "
                "een andere naam.")
    if VERBODEN.search(pad.name):
        return f"{pad.name} bevat een teken dat Windows niet toestaat in een bestandsnaam (< > : \" / \\ | ? *)."
    return None


def schrijf_export(pad: str | os.PathLike[str], write: Callable[[Path], None]) -> None:
    """Let `write` write the file at a temporary path beside `pad`, then put it in place. Raises NietGeschreven,
    or atomic.BestandBezet when another program holds the target."""
    target = Path(pad)
    probleem = naam_probleem(target)
    if probleem is not None:
        raise NietGeschreven(probleem)
    try:
        write_atomic_with(target, write)
    except OSError as error:
        raise NietGeschreven(_reden(target, error)) from None


def _reden(pad: Path, error: OSError) -> str:
    naam, map_ = pad.name, pad.parent
    code = error.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"{naam} is niet geschreven: de schijf is vol. Maak ruimte vrij of kies een andere map."
    if isinstance(error, IsADirectoryError):
        return f"{naam} is niet geschreven: er staat een map met die naam. Kies een andere naam."
    if isinstance(error, PermissionError) or code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"{naam} is niet geschreven: in de map {map_} mag niet worden geschreven (alleen-lezen, of een map "
                "van iemand anders). Kies een andere map, bijvoorbeeld Documenten.")
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return f"{naam} is niet geschreven: de map {map_} bestaat niet (meer). Kies een andere map."
    if code == errno.ENAMETOOLONG or getattr(error, "winerror", None) == 206:
        return (f"{naam} is niet geschreven: de naam of het pad is te lang. Kies een kortere naam of een map dichter "
                "bij het begin van de schijf.")
    return (f"{naam} is niet geschreven: de schijf gaf een fout (code {code}). Probeer het opnieuw of kies een "
            "andere map.")


__all__ = ["NietGeschreven", "naam_probleem", "schrijf_export"]
