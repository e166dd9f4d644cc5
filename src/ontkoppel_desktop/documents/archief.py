"""Writing an archive export (core.verslagen.archief's plan): each verslag's documents as PDF (and Word when asked)
and its bijlagen, file by file, each written whole or not at all (atomic.write_atomic), with progress and a way to
stop between two files.

Reading the store and writing the files are kept apart: `schrijf_archief` asks `lees` for a verslag's content (its
documents and bijlagen) and then renders and writes it. The app runs the writing off the UI thread and answers
`lees` on the thread that owns the connection; the headless command and the bench do both on one thread.

On a stop or a failure the files already written stay, each of them whole; the result (or the ArchiefFout's
`resultaat`) says how many there are and which verslagen are complete per place, so that only those are recorded
as geëxporteerd.
"""

from __future__ import annotations

import datetime as dt
import errno
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ontkoppel_desktop import atomic
from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.verslagen.archief import ArchiefFout, ArchiefPlan, ArchiefStuk, Bestand, Formaat
from ontkoppel_desktop.core.verslagen.bijlagen import BijlageService
from ontkoppel_desktop.core.verslagen.service import VerslagService
from ontkoppel_desktop.documents.model import Document
from ontkoppel_desktop.documents.profiel import Profiel, pas_toe
from ontkoppel_desktop.documents.verslag import verslag_documenten


@dataclass(frozen=True, slots=True)
class VerslagInhoud:
    """What one verslag's files say: its documents by (verslag of the gesprek, place), its bijlagen by id."""

    documenten: Mapping[tuple[str, VerslagBestemming], Document]
    bijlagen: Mapping[int, bytes] = field(default_factory=dict)


Lezer = Callable[[ArchiefStuk], VerslagInhoud]


@dataclass(frozen=True, slots=True)
class Voortgang:
    gedaan: int  # files written so far
    totaal: int
    pad: Path | None  # the file just written (None before the first)


@dataclass(slots=True)
class ArchiefResultaat:
    totaal: int
    geschreven: list[Path] = field(default_factory=list)
    # Per verslag the places for which every file (each format, each bijlage) is written.
    klaar: dict[int, set[VerslagBestemming]] = field(default_factory=dict)
    gestopt: bool = False

    @property
    def aantal(self) -> int:
        return len(self.geschreven)


class ArchiefSchrijfFout(ArchiefFout):
    """Writing stopped on an error; `resultaat` holds what was written before it, every file whole."""

    def __init__(self, message: str, resultaat: ArchiefResultaat) -> None:
        super().__init__(message)
        self.resultaat = resultaat


class InhoudLezer:
    """A verslag's content from the services, as "Opslaan als document" makes it (documents.verslag): call it on
    the thread that owns the store's connection. The opleiders' names are read once per export."""

    def __init__(self, verslagen: VerslagService, bijlagen: BijlageService, today: dt.date | None = None,
                 profiel: Profiel | None = None) -> None:
        self._verslagen = verslagen
        self._profiel = profiel or Profiel()
        self._bijlagen = bijlagen
        self._today = today
        self._namen: dict[int, str] | None = None

    def __call__(self, stuk: ArchiefStuk) -> VerslagInhoud:
        service = self._verslagen
        verslag, formulier = stuk.bron.verslag, stuk.bron.formulier
        if self._namen is None:
            self._namen = {o.id: o.naam.volledig for o in service.trajecten.personen.opleiders(archief=True)
                           if o.id is not None}
        definition = service.trajecten.definition(service.trajecten.get(verslag.traject_id))
        docs = verslag_documenten(verslag, formulier, service.context(verslag.traject_id),
                                  opleiding=definition.institute or definition.title, opleider_namen=self._namen,
                                  today=self._today)
        bijlagen = {b.bijlage_id: self._bijlagen.inhoud(b.bijlage_id) for d in stuk.documenten for b in d.bijlagen}
        return VerslagInhoud({(d.deel.id, d.plek): pas_toe(d.document, self._profiel) for d in docs}, bijlagen)


def render(document: Document, formaat: Formaat) -> bytes:
    if formaat is Formaat.WORD:
        from ontkoppel_desktop.documents.docx import render_docx  # python-docx only when Word is asked for

        return render_docx(document)
    from ontkoppel_desktop.documents.pdf import render_pdf

    return render_pdf(document)


def schrijf_archief(
    plan: ArchiefPlan,
    lees: Lezer,
    *,
    voortgang: Callable[[Voortgang], None] | None = None,
    gestopt: Callable[[], bool] | None = None,
) -> ArchiefResultaat:
    """Write every file of the plan. `gestopt` is asked before each file: when it says so, writing stops there
    and the result says `gestopt`. Raises ArchiefSchrijfFout (Dutch, with the count) when the folder cannot be
    made or written, the disk is full, or a file is held by another program."""
    resultaat = ArchiefResultaat(plan.aantal_bestanden)
    for folder in plan.mappen():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ArchiefSchrijfFout(_reden(folder, error, folder=True) + _stand(resultaat), resultaat) from None
    if voortgang is not None:
        voortgang(Voortgang(0, resultaat.totaal, None))
    for stuk in plan.stukken:
        if gestopt is not None and gestopt():
            resultaat.gestopt = True
            return resultaat
        try:
            inhoud = lees(stuk)
        except OntkoppelError as error:
            raise ArchiefSchrijfFout(f"{_wat(stuk)} kon niet worden gelezen: {error}{_stand(resultaat)}",
                                     resultaat) from None
        hier: set[Path] = set()
        try:
            for bestand in plan.bestanden(stuk):
                if gestopt is not None and gestopt():
                    resultaat.gestopt = True
                    break
                data = _inhoud(bestand, inhoud)
                try:
                    atomic.write_atomic(bestand.pad, data)
                except atomic.BestandBezet as error:
                    raise ArchiefSchrijfFout(f"{error}{_stand(resultaat)}", resultaat) from None
                except OSError as error:
                    raise ArchiefSchrijfFout(_reden(bestand.pad, error) + _stand(resultaat), resultaat) from None
                hier.add(bestand.pad)
                resultaat.geschreven.append(bestand.pad)
                if voortgang is not None:
                    voortgang(Voortgang(resultaat.aantal, resultaat.totaal, bestand.pad))
        finally:
            # A place counts as exported only when every file of it (each format, each bijlage) is written, also
            # when a stop or a failure came halfway through this verslag.
            onaf = {b.document.plek for b in plan.bestanden(stuk) if b.pad not in hier}
            klaar = {d.plek for d in stuk.documenten} - onaf
            if klaar:
                resultaat.klaar[stuk.verslag.id] = klaar
        if resultaat.gestopt:
            return resultaat
    return resultaat


def _inhoud(bestand: Bestand, inhoud: VerslagInhoud) -> bytes:
    if bestand.bijlage is not None:
        return inhoud.bijlagen[bestand.bijlage.bijlage_id]
    assert bestand.formaat is not None
    return render(inhoud.documenten[(bestand.document.deel.id, bestand.document.plek)], bestand.formaat)


def _wat(stuk: ArchiefStuk) -> str:
    datum = stuk.bron.datum
    return f"Het verslag '{stuk.bron.formulier.titel}'" + (f" van {datum:%d-%m-%Y}" if datum is not None else "")


def _stand(resultaat: ArchiefResultaat) -> str:
    """How far the export got: every file written before is whole; nothing half-written is left."""
    if not resultaat.aantal:
        return " Er is nog geen bestand geschreven."
    return (f" {resultaat.aantal} van de {resultaat.totaal} bestanden zijn al geschreven, elk volledig; er staat "
            "geen half bestand. Exporteer opnieuw als het is opgelost: dezelfde bestanden worden dan vervangen.")


def _reden(pad: Path, error: OSError, *, folder: bool = False) -> str:
    """Why a file or folder cannot be written, in Dutch, with what to do."""
    map_ = pad.parent
    wat = (f"De map '{pad.name}' kan niet worden gemaakt in {map_}" if folder else
           f"{pad.name} kan niet worden geschreven in {map_}")
    code = error.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"De schijf is vol: {wat[0].lower()}{wat[1:]}. Maak ruimte vrij of kies een andere map."
    if isinstance(error, PermissionError) or code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"{wat}: geen toegang (alleen-lezen, of een map van iemand anders). Kies een map waarin je mag "
                "schrijven, bijvoorbeeld in Documenten.")
    if code == errno.ENAMETOOLONG:
        return f"{wat}: het pad is te lang. Kies een map dichter bij het begin van de schijf."
    if isinstance(error, FileNotFoundError) or code == errno.ENOENT:
        return f"{wat}: die map bestaat niet (meer). Is een USB-stick of netwerkschijf losgekoppeld?"
    if isinstance(error, (FileExistsError, NotADirectoryError)):
        return f"{wat}: er staat een bestand met die naam waar een map moet komen. Kies een andere map."
    return f"{wat} ({error.strerror or error})."


__all__ = [
    "ArchiefResultaat",
    "ArchiefSchrijfFout",
    "InhoudLezer",
    "Lezer",
    "VerslagInhoud",
    "Voortgang",
    "render",
    "schrijf_archief",
]
