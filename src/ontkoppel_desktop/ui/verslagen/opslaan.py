"""Saving a verslag as a document the user explicitly asks for: Word or PDF, one per verslag of the gesprek and per
place it is archived (documents/verslag.py). The only way a verslag's text leaves the encrypted store as a file,
so the user chooses where, and the file is written whole or not at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from ontkoppel_desktop import paths
from ontkoppel_desktop.documents.model import Document
from ontkoppel_desktop.documents.verslag import VerslagDocument, verslag_documenten
from ontkoppel_desktop.ui import operations
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.verslagen.bijlage_openen import veilige_bestandsnaam

# The formats offered: (label, extension, filter, writer). Word first: the jaarassistent's e-portfolio takes it.
Writer = Callable[[Path, Document], None]


def _write_docx(path: Path, document: Document) -> None:
    from ontkoppel_desktop.documents.docx import write_docx

    write_docx(path, document)


def _write_pdf(path: Path, document: Document) -> None:
    from ontkoppel_desktop.documents.pdf import write_pdf

    write_pdf(path, document)


FORMATEN: tuple[tuple[str, str, str, Writer], ...] = (
    ("Word", ".docx", "Word-document (*.docx)", _write_docx),
    ("PDF", ".pdf", "PDF-document (*.pdf)", _write_pdf),
)


def documenten(session: Session, verslag_id: int) -> list[VerslagDocument]:
    service = session.store.verslagen
    verslag = service.get(verslag_id)
    formulier = service.formulier(verslag)
    traject = session.store.trajecten.get(verslag.traject_id)
    definition = session.store.trajecten.definition(traject)
    namen = {o.id: o.naam.volledig for o in session.store.personen.opleiders(archief=True) if o.id is not None}
    return verslag_documenten(verslag, formulier, service.context(verslag.traject_id),
                              opleiding=definition.institute or definition.title, opleider_namen=namen)


def bestandsnaam(session: Session, verslag_id: int, stuk: VerslagDocument, extensie: str) -> str:
    """A name that sorts and says what it is: "2026-09-08 Gespreksverslag driehoeksgesprek (e-portfolio aios)
    Noor Visser.pdf", safe for Windows."""
    service = session.store.verslagen
    verslag = service.get(verslag_id)
    datum = verslag.datum(service.formulier(verslag))
    aios = service.context(verslag.traject_id).aios
    stam = f"{datum.isoformat() if datum else 'zonder datum'} {stuk.deel.titel} ({stuk.plek.label}) {aios}"
    return veilige_bestandsnaam(stam.strip() + extensie)


def vul_menu(menu: QMenu, parent: QWidget, session: Session, verslag_id: int) -> None:
    """One entry per document and format: "Verslag over de aios, e-portfolio aios — als Word…"."""
    menu.clear()
    stukken = operations.run(parent, lambda: documenten(session, verslag_id), title="Opslaan als document")
    if not stukken:
        action = menu.addAction("Dit gesprek heeft geen verslag om op te slaan")
        action.setEnabled(False)
        return
    for index, stuk in enumerate(stukken):
        for label, extensie, _filter, _writer in FORMATEN:
            action = menu.addAction(f"{stuk.naam} — als {label}…")
            action.triggered.connect(
                lambda _checked=False, i=index, e=extensie: opslaan(parent, session, verslag_id, i, e))


def opslaan(parent: QWidget, session: Session, verslag_id: int, index: int, extensie: str) -> Path | None:
    """Ask where, then write the document (whole or not at all). Returns the path written, or None."""
    stukken = operations.run(parent, lambda: documenten(session, verslag_id), title="Opslaan als document")
    if not stukken:
        return None
    stuk = stukken[index]
    label, _ext, filter_, writer = next(f for f in FORMATEN if f[1] == extensie)
    suggestie = paths.documents_dir() / bestandsnaam(session, verslag_id, stuk, extensie)
    name, _ = QFileDialog.getSaveFileName(parent, f"{stuk.naam} opslaan als {label}", str(suggestie), filter_)
    if not name:
        return None
    path = Path(name if name.lower().endswith(extensie) else name + extensie)
    if not operations.run_ok(parent, lambda: writer(path, stuk.document), title="Opslaan als document"):
        return None
    return path


__all__ = ["FORMATEN", "bestandsnaam", "documenten", "opslaan", "vul_menu"]
