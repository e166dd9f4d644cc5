"""Saving a verslag as a document the user explicitly asks for: Word or PDF, one per verslag of the gesprek and per
place it is archived (documents/verslag.py), through ui/documenten.py."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu, QWidget

from ontkoppel_desktop.documents.verslag import VerslagDocument, verslag_documenten
from ontkoppel_desktop.ui import operations
from ontkoppel_desktop.ui.documenten import voeg_toe
from ontkoppel_desktop.ui.session import Session


def documenten(session: Session, verslag_id: int) -> list[VerslagDocument]:
    service = session.store.verslagen
    verslag = service.get(verslag_id)
    formulier = service.formulier(verslag)
    traject = session.store.trajecten.get(verslag.traject_id)
    definition = session.store.trajecten.definition(traject)
    namen = {o.id: o.naam.volledig for o in session.store.personen.opleiders(archief=True) if o.id is not None}
    return verslag_documenten(verslag, formulier, service.context(verslag.traject_id),
                              opleiding=definition.institute or definition.title, opleider_namen=namen)


def bestandsnaam(session: Session, verslag_id: int, stuk: VerslagDocument) -> str:
    """A name that sorts and says what it is: "2026-09-08 Gespreksverslag driehoeksgesprek (e-portfolio aios)
    Noor Visser" (the format adds its extension; the name is made safe for Windows)."""
    service = session.store.verslagen
    verslag = service.get(verslag_id)
    datum = verslag.datum(service.formulier(verslag))
    aios = service.context(verslag.traject_id).aios
    return f"{datum.isoformat() if datum else 'zonder datum'} {stuk.deel.titel} ({stuk.plek.label}) {aios}"


def vul_menu(menu: QMenu, parent: QWidget, session: Session, verslag_id: int) -> None:
    """One entry per document and format: "Verslag over de aios, e-portfolio aios — als Word…"."""
    menu.clear()
    stukken = operations.run(parent, lambda: documenten(session, verslag_id), title="Opslaan als document")
    if not stukken:
        action = menu.addAction("Dit gesprek heeft geen verslag om op te slaan")
        action.setEnabled(False)
        return
    for index, stuk in enumerate(stukken):
        voeg_toe(menu, parent, stuk.naam, lambda i=index: documenten(session, verslag_id)[i].document,
                 lambda s=stuk: bestandsnaam(session, verslag_id, s))


__all__ = ["bestandsnaam", "documenten", "vul_menu"]
