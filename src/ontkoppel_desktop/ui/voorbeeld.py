"""The preview of a document before it is saved: the PDF rendered in memory and drawn page by page, so that
looking at a verslag never leaves a file of it on disk (the store is encrypted; a file is not).

Why pypdfium2 (PDFium, Chrome's PDF engine, Apache-2.0/BSD): it reads the PDF from bytes in memory and ships
one wheel with its shared library for Windows, macOS and Linux. Poppler's pdftoppm is not on Windows and
would need a temp file; Qt's own QtPdf is in PySide6-Addons (about 100 MB more), where we install only
PySide6-Essentials.

Printing goes the same way: the PDF's pages are drawn onto the printer (`druk_af`), so what is printed is what was
previewed and what is saved, with its fonts, page breaks, header and footer, from one renderer. A QTextDocument of
the same content would be a second layout to keep equal to the PDF and would break pages differently. The cost:
the pages go to the printer as images (300 dpi, sharp on paper; a page is about 25 MB while it is drawn, one at a
time), so printing "to PDF" gives no selectable text: Opslaan als PDF is for that.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import pypdfium2
from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence, QPageSize, QPainter, QPixmap, QShortcut, QShowEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.documents.model import Document

log = logging.getLogger(__name__)

ZOOMS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0)
POINTS_PER_INCH = 72.0
PAGE_GAP = 16  # logical pixels between two pages and around them


def pagina_beeld(page: pypdfium2.PdfPage, schaal: float) -> QImage:
    """One PDF page as an image, `schaal` pixels per point (72 per inch)."""
    bitmap = page.render(scale=schaal, rev_byteorder=True)
    image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888)
    return image.copy()  # the bitmap's memory is PDFium's


# Sharp for text on paper; a higher printer resolution only makes the job bigger.
PRINT_DPI = 300


def kies_printer(parent: QWidget | None, printer: QPrinter, pages: int) -> bool:
    """The system's print dialog (printer, pages, copies); True when the user chose Afdrukken. One place, so a
    test can choose instead."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Afdrukken")
    dialog.setMinMax(1, max(1, pages))
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    return dialog.exec() == QPrintDialog.DialogCode.Accepted


def druk_af(parent: QWidget | None, pdf_bytes: bytes, titel: str) -> bool:
    """Print a PDF (a document as documents/pdf.py renders it): the print dialog, then each chosen page drawn at
    PRINT_DPI onto the paper, centred and scaled to fit (an A4 PDF on Letter paper too). True when printed."""
    pdf = pypdfium2.PdfDocument(pdf_bytes)
    try:
        pages = len(pdf)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(titel)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setFullPage(True)  # the PDF has its own margins
        printer.setFromTo(1, pages)
        if not kies_printer(parent, printer, pages):
            return False
        first = max(printer.fromPage(), 1) - 1
        last = min(printer.toPage() or pages, pages) - 1
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(parent, "Afdrukken", "De printer kan niet worden geopend. Kijk of hij aanstaat en "
                                "bereikbaar is, of kies een andere printer.")
            return False
        try:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            paper = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
            for index in range(first, last + 1):
                if index > first:
                    printer.newPage()
                image = pagina_beeld(pdf[index], PRINT_DPI / POINTS_PER_INCH)
                scale = min(paper.width() / image.width(), paper.height() / image.height())
                width, height = image.width() * scale, image.height() * scale
                target = QRectF(paper.x() + (paper.width() - width) / 2, paper.y() + (paper.height() - height) / 2,
                                width, height)
                painter.drawImage(target, image)
        finally:
            painter.end()
            QApplication.restoreOverrideCursor()
        return True
    finally:
        pdf.close()


class _Pagina(QLabel):
    """One page: a white sheet with a thin border, its size known before its image is drawn."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("background: white; border: 1px solid #9a9a9a; color: #888;")
        self.getekend_bij: float | None = None  # the zoom its image was drawn at


class VoorbeeldDialog(QDialog):
    """Shows `document` as its PDF, page after page; `opslaan(extension)` saves it (".docx" or ".pdf")."""

    def __init__(self, parent: QWidget | None, document: Document, titel: str,
                 opslaan: Callable[[str], None] | None) -> None:
        super().__init__(parent)
        from ontkoppel_desktop.documents.pdf import render_pdf

        self.setWindowTitle(f"Voorbeeld — {titel}")
        self.titel = titel
        self.geopend = time.perf_counter()
        self.eerste_pagina_s: float | None = None  # seconds from opening to the first page drawn
        # The bytes stay in memory: PdfDocument reads them there, nothing is written to show them.
        self.pdf_bytes = render_pdf(document)
        self._pdf: pypdfium2.PdfDocument | None = pypdfium2.PdfDocument(self.pdf_bytes)
        self._maten = [self._pdf[i].get_size() for i in range(len(self._pdf))] if self._pdf else []  # in points
        self.zoom_index = ZOOMS.index(1.0)
        self._basis_schaal_vast = 1.0

        self.vlak = QScrollArea()
        self.vlak.setWidgetResizable(True)
        self.vlak.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        vel = QWidget()
        vel.setObjectName("vel")
        vel.setStyleSheet("#vel { background: #e4e4e4; }")
        self._vel_layout = QVBoxLayout(vel)
        self._vel_layout.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self._vel_layout.setSpacing(PAGE_GAP)
        self.paginas = [_Pagina(vel) for _ in self._maten]
        for pagina in self.paginas:
            self._vel_layout.addWidget(pagina, 0, Qt.AlignmentFlag.AlignHCenter)
        self.vlak.setWidget(vel)
        self.vlak.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.vlak.viewport().installEventFilter(self)

        self.pagina_label = QLabel()
        self.zoom_label = QLabel()
        self.voortgang = QLabel()
        self.voortgang.setStyleSheet("color: #666;")
        kleiner = QPushButton("−")
        kleiner.setToolTip("Kleiner (Ctrl+-)")
        kleiner.setAccessibleName("Kleiner")
        kleiner.setFixedWidth(32)
        kleiner.clicked.connect(lambda: self.zoom(-1))
        groter = QPushButton("+")
        groter.setToolTip("Groter (Ctrl++)")
        groter.setAccessibleName("Groter")
        groter.setFixedWidth(32)
        groter.clicked.connect(lambda: self.zoom(+1))
        balk = QHBoxLayout()
        balk.addWidget(self.pagina_label)
        balk.addSpacing(12)
        balk.addWidget(self.voortgang)
        balk.addStretch(1)
        balk.addWidget(kleiner)
        balk.addWidget(self.zoom_label)
        balk.addWidget(groter)

        self.knoppen = QDialogButtonBox()
        self.word_knop = self.knoppen.addButton("Opslaan als Word…", QDialogButtonBox.ButtonRole.ActionRole)
        self.pdf_knop = self.knoppen.addButton("Opslaan als PDF…", QDialogButtonBox.ButtonRole.ActionRole)
        self.afdrukken_knop = self.knoppen.addButton("&Afdrukken…", QDialogButtonBox.ButtonRole.ActionRole)
        self.afdrukken_knop.setToolTip("Het document afdrukken zoals het hier staat (Ctrl+P)")
        self.afdrukken_knop.clicked.connect(self.afdrukken)
        self.sluiten_knop = self.knoppen.addButton("Sluiten", QDialogButtonBox.ButtonRole.RejectRole)
        self.knoppen.rejected.connect(self.reject)  # Esc too
        for knop, extensie in ((self.word_knop, ".docx"), (self.pdf_knop, ".pdf")):
            knop.setVisible(opslaan is not None)
            if opslaan is not None:
                knop.clicked.connect(lambda _checked=False, e=extensie, o=opslaan: o(e))

        layout = QVBoxLayout(self)
        layout.addLayout(balk)
        layout.addWidget(self.vlak, 1)
        layout.addWidget(self.knoppen)

        for keys, step in ((QKeySequence.StandardKey.ZoomIn, +1), ("Ctrl+=", +1),
                           (QKeySequence.StandardKey.ZoomOut, -1)):
            QShortcut(QKeySequence(keys), self, lambda s=step: self.zoom(s))
        QShortcut(QKeySequence("Ctrl+0"), self, lambda: self.zoom(0))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.afdrukken)

        # Page by page on the event loop: a 30-page verslag shows its first page at once and stays responsive
        # while the rest is drawn. PDFium is not thread-safe, so no worker thread.
        self._tekenen = QTimer(self)
        self._tekenen.setSingleShot(True)
        self._tekenen.setInterval(0)
        self._tekenen.timeout.connect(self._teken_volgende)

        self.resize(self._begin_grootte())
        self._maak_maten()
        self._scrolled()
        self.finished.connect(self._sluit_pdf)

    def afdrukken(self) -> bool:
        """What is shown, to the printer (the same PDF)."""
        return druk_af(self, self.pdf_bytes, self.titel)

    # ---- size and zoom ---------------------------------------------------------------------------------

    def _begin_grootte(self) -> QSize:
        """An A4 page wide enough to read, the window within the screen (also at 150 % scaling, where a
        1920-pixel laptop screen is 1280 logical pixels wide)."""
        parent = self.parentWidget()
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        beschikbaar = screen.availableGeometry().size() if screen else QSize(1280, 800)
        breedte = min(beschikbaar.width() - 80, 980)
        hoogte = max(400, beschikbaar.height() - 80)
        return QSize(breedte, hoogte)

    def _basis_schaal(self) -> float:
        """Pixels per point at 100 %: the widest page fills the viewport's width, within bounds."""
        breedste = max((w for w, _h in self._maten), default=595.0)
        ruimte = max(300, self.width() - 2 * PAGE_GAP - 60)
        return min(max(ruimte / breedste, 0.6), 1.6)

    def schaal(self) -> float:
        return self._basis_schaal_vast * ZOOMS[self.zoom_index]

    def _maak_maten(self) -> None:
        self._basis_schaal_vast = self._basis_schaal()
        schaal = self.schaal()
        for pagina, (w, h) in zip(self.paginas, self._maten, strict=True):
            pagina.setFixedSize(round(w * schaal), round(h * schaal))
        self.zoom_label.setText(f"{round(ZOOMS[self.zoom_index] * 100)} %")
        self._tekenen.start()

    def zoom(self, stap: int) -> None:
        """+1 larger, -1 smaller, 0 back to 100 %; keeps the page being read in view."""
        index = ZOOMS.index(1.0) if stap == 0 else min(max(self.zoom_index + stap, 0), len(ZOOMS) - 1)
        if index == self.zoom_index:
            return
        bar = self.vlak.verticalScrollBar()
        verhouding = bar.value() / max(1, bar.maximum())
        self.zoom_index = index
        schaal = self._basis_schaal_vast * ZOOMS[index]
        for pagina, (w, h) in zip(self.paginas, self._maten, strict=True):
            pagina.setFixedSize(round(w * schaal), round(h * schaal))
        self.zoom_label.setText(f"{round(ZOOMS[index] * 100)} %")
        vel = self.vlak.widget()
        if vel is not None:
            vel.adjustSize()
        bar.setValue(round(verhouding * bar.maximum()))
        self._tekenen.start()

    # ---- drawing ---------------------------------------------------------------------------------------

    def _zichtbaar(self) -> list[int]:
        viewport = self.vlak.viewport()
        boven = self.vlak.verticalScrollBar().value()
        onder = boven + viewport.height()
        return [i for i, p in enumerate(self.paginas) if p.y() < onder and p.y() + p.height() > boven]

    def _teken_volgende(self) -> None:
        """Draws one page not yet drawn at this zoom, the visible ones first, and comes back for the next. A hidden
        preview draws nothing (the store locked: its pages are taken out) and goes on when shown again."""
        if self._pdf is None or not self.isVisible():
            return
        zoom = ZOOMS[self.zoom_index]
        open_ = [i for i, p in enumerate(self.paginas) if p.getekend_bij != zoom]
        if not open_:
            self.voortgang.clear()
            return
        zichtbaar = [i for i in self._zichtbaar() if i in open_]
        index = (zichtbaar or open_)[0]
        self.teken(index)
        klaar = len(self.paginas) - len(open_) + 1
        self.voortgang.setText("" if klaar == len(self.paginas) else
                               f"pagina's tekenen: {klaar} van {len(self.paginas)}…")
        self._tekenen.start()

    def teken(self, index: int) -> None:
        pagina = self.paginas[index]
        # Drawn at the screen's pixels, not the logical ones: sharp at 150 % scaling.
        ratio = pagina.devicePixelRatioF()
        assert self._pdf is not None
        pixmap = QPixmap.fromImage(pagina_beeld(self._pdf[index], self.schaal() * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pagina.setPixmap(pixmap)
        pagina.getekend_bij = ZOOMS[self.zoom_index]
        if self.eerste_pagina_s is None:
            self.eerste_pagina_s = time.perf_counter() - self.geopend
            log.info("preview: first page drawn %.0f ms after opening", self.eerste_pagina_s * 1000)

    def klaar(self) -> bool:
        """Every page drawn at the present zoom."""
        return all(p.getekend_bij == ZOOMS[self.zoom_index] for p in self.paginas)

    def _scrolled(self, *_args: object) -> None:
        zichtbaar = self._zichtbaar()
        midden = self.vlak.verticalScrollBar().value() + self.vlak.viewport().height() // 2
        huidig = next((i for i in zichtbaar if self.paginas[i].y() + self.paginas[i].height() >= midden),
                      zichtbaar[-1] if zichtbaar else 0)
        self.pagina_label.setText(f"pagina {huidig + 1} van {len(self.paginas)}")
        if not self.klaar():
            self._tekenen.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self.klaar():
            self._tekenen.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self._scrolled)
        return super().eventFilter(watched, event)

    def _sluit_pdf(self) -> None:
        self._tekenen.stop()
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


__all__ = ["VoorbeeldDialog", "druk_af", "kies_printer"]
