"""Saving a document (documents.model.Document) as Word or PDF where the user chooses: the only way a verslag or a
traject's overview leaves the encrypted store as a file, written whole or not at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from ontkoppel_desktop.documents.model import Document
from ontkoppel_desktop.documents.profiel import pas_toe, profiel_uit
from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.ui import bestandsdialoog, na_export, operations
from ontkoppel_desktop.ui.verslagen.bijlage_openen import veilige_bestandsnaam

Writer = Callable[[Path, Document], None]


def _write_docx(path: Path, document: Document) -> None:
    from ontkoppel_desktop.documents.docx import write_docx

    write_docx(path, document)


def _write_pdf(path: Path, document: Document) -> None:
    from ontkoppel_desktop.documents.pdf import write_pdf

    write_pdf(path, document)


# (label, extension, file dialog filter, writer). Word first: the e-portfolio and the dossier take it.
FORMATEN: tuple[tuple[str, str, str, Writer], ...] = (
    ("Word", ".docx", "Word-document (*.docx)", _write_docx),
    ("PDF", ".pdf", "PDF-document (*.pdf)", _write_pdf),
)


ONVERSLEUTELD = "Het bestand staat onversleuteld op schijf, buiten de opslag; bewaar het veilig."


def opslaan_als(parent: QWidget, maak: Callable[[], Document], stam: str, extensie: str, titel: str, *,
                klaar: bool = False) -> Path | None:
    """Ask where (the folder last used for a document, else Documenten; a name from `stam` safe for Windows),
    then make and write the document; with `klaar`, offer Openen and Toon in map after (na_export). Returns the
    path written, or None (cancelled, or refused with a Dutch message)."""
    label, _ext, filter_, writer = next(f for f in FORMATEN if f[1] == extensie)
    path = bestandsdialoog.opslaan(parent, "document", f"{titel} opslaan als {label}",
                                   veilige_bestandsnaam(stam.strip() + extensie), filter_, extensie)
    if path is None:
        return None
    document = operations.run(parent, lambda: pas_toe(maak(), profiel_uit(Settings.load())[0]),
                              title="Opslaan als document")
    if document is None:
        return None
    if not operations.run_ok(parent, lambda: writer(path, document), title="Opslaan als document"):
        return None
    if klaar:
        na_export.klaar(parent, "Opgeslagen", f"{titel} is opgeslagen als {label}. {ONVERSLEUTELD}", path)
    return path


def voeg_toe(menu: QMenu, parent: QWidget, titel: str, maak: Callable[[], Document], stam: Callable[[], str]) -> None:
    """Menu entries "<titel> — voorbeeld…" (shown, not written: ui/voorbeeld.py), "— als Word…" and "— als PDF…"."""

    voorbeeld = menu.addAction(f"{titel} — voorbeeld…")
    voorbeeld.triggered.connect(lambda _checked=False: toon_voorbeeld(parent, maak, stam(), titel, klaar=True))
    for label, extensie, _filter, _writer in FORMATEN:
        action = menu.addAction(f"{titel} — als {label}…")
        action.triggered.connect(
            lambda _checked=False, e=extensie: opslaan_als(parent, maak, stam(), e, titel, klaar=True))
    afdrukken = menu.addAction(f"{titel} — afdrukken…")
    afdrukken.triggered.connect(lambda _checked=False: druk_document_af(parent, maak, titel))


def toon_voorbeeld(parent: QWidget, maak: Callable[[], Document], stam: str, titel: str, *,
                   klaar: bool = False) -> QDialog | None:
    """Builds the document (a Dutch message when it cannot be) and shows it; its buttons save what is shown
    through opslaan_als (`klaar`: with Openen and Toon in map after) and print it. Returns the dialog (not
    modal), or None."""
    from ontkoppel_desktop.ui.voorbeeld import VoorbeeldDialog  # pypdfium2: loaded when first shown

    # With the institute profile, as opslaan_als writes it (applying it twice changes nothing).
    document = operations.run(parent, lambda: pas_toe(maak(), profiel_uit(Settings.load())[0]), title="Voorbeeld")
    if document is None:
        return None
    dialog: QDialog | None = None

    def opslaan(extensie: str) -> None:
        # What was looked at is what is saved: the document already built, not built again.
        opslaan_als(dialog or parent, lambda: document, stam, extensie, titel, klaar=klaar)

    dialog = operations.run(parent, lambda: VoorbeeldDialog(parent, document, titel, opslaan), title="Voorbeeld")
    if dialog is None:
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def druk_document_af(parent: QWidget, maak: Callable[[], Document], titel: str) -> bool:
    """Build the document (with the institute profile, as it is saved) and print it (ui/voorbeeld.py: the
    printer dialog, then its PDF page by page). True when it went to the printer."""
    from ontkoppel_desktop.documents.pdf import render_pdf
    from ontkoppel_desktop.ui.voorbeeld import druk_af

    pdf = operations.run(parent, lambda: render_pdf(pas_toe(maak(), profiel_uit(Settings.load())[0])),
                         title="Afdrukken")
    return pdf is not None and druk_af(parent, pdf, titel)


__all__ = ["FORMATEN", "ONVERSLEUTELD", "druk_document_af", "opslaan_als", "toon_voorbeeld", "voeg_toe"]
