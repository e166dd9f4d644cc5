"""Writing a rendered document to the place the user chose: whole or not at all (a temporary file beside the
target is renamed over it), and a Dutch message that says what went wrong and what to do."""

from __future__ import annotations

import errno
from pathlib import Path

from ontkoppel_desktop.atomic import write_atomic
from ontkoppel_desktop.core.errors import OntkoppelError


class DocumentNietOpgeslagen(OntkoppelError):
    """A document could not be written (folder not writable or gone, disk full, path too long); nothing is left
    behind under the target's name."""


def write_document(target: Path, data: bytes) -> None:
    """Write `data` to `target`; a failure leaves nothing under the target's name. Raises DocumentNietOpgeslagen
    (or atomic.BestandBezet when Word holds the target open) with a message for the user."""
    try:
        write_atomic(target, data)
    except OSError as error:
        raise DocumentNietOpgeslagen(_reason(target, error)) from error


def _reason(target: Path, error: OSError) -> str:
    name, folder = target.name, str(target.parent)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"{name} is niet opgeslagen: de schijf is vol. Maak ruimte vrij of kies een andere plek, en "
                "probeer het opnieuw.")
    if isinstance(error, PermissionError) or error.errno == errno.EROFS:
        return (f"{name} is niet opgeslagen: in de map {folder} mag niet worden geschreven. Kies een andere map, "
                "bijvoorbeeld Documenten.")
    if isinstance(error, (FileNotFoundError, NotADirectoryError)):
        return f"{name} is niet opgeslagen: de map {folder} bestaat niet (meer). Kies een andere map."
    if error.errno == errno.ENAMETOOLONG or getattr(error, "winerror", None) == 206:
        return (f"{name} is niet opgeslagen: de naam of het pad is te lang. Kies een kortere naam of een map "
                "dichter bij het begin van de schijf.")
    return f"{name} is niet opgeslagen ({error.strerror or error}). Probeer het opnieuw of kies een andere map."


__all__ = ["DocumentNietOpgeslagen", "write_document"]
