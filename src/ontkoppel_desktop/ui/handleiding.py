"""The Handleiding: the manual for users (resources/handleiding/*.md) and the procedure itself, read from the
procedure file (its source, steps, roles and terms), in one help window with a table of contents (F1).

The manual's chapters are Markdown files, one per chapter, in the order of their names; the procedure chapter is made
here from the definition core/procedure loaded, so it always says what the app itself follows.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from importlib.resources import files

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut, QTextBlock, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ontkoppel_desktop.core.kalender import dutch_date

_BESTAND = re.compile(r"^\d+-(?P<sleutel>[a-z0-9-]+)\.md$")
PROCEDURE = "procedure"
_ROL_SLEUTEL = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Hoofdstuk:
    sleutel: str  # "beginnen", "procedure": what a link or F1 names
    titel: str
    tekst: str
    html: bool = False  # Markdown unless made here as HTML
    paragrafen: tuple[str, ...] = field(default_factory=tuple)

    def zoektekst(self) -> str:
        return _vouw(re.sub(r"<[^>]+>", " ", self.tekst) if self.html else self.tekst)


def _vouw(tekst: str) -> str:
    """Lower case without accents, so that "ijzerman" finds "IJzerman" and "geinstalleerd" "geïnstalleerd"."""
    return "".join(c for c in unicodedata.normalize("NFKD", tekst.casefold()) if not unicodedata.combining(c))


def _uit_markdown(sleutel: str, tekst: str) -> Hoofdstuk:
    titel = next((regel[2:].strip() for regel in tekst.splitlines() if regel.startswith("# ")), sleutel)
    paragrafen = tuple(regel[3:].strip() for regel in tekst.splitlines() if regel.startswith("## "))
    return Hoofdstuk(sleutel, titel, tekst, paragrafen=paragrafen)


def handleiding_hoofdstukken() -> list[Hoofdstuk]:
    """The manual's chapters, in the order of their file names."""
    map_ = files("ontkoppel_desktop.resources").joinpath("handleiding")
    gevonden = []
    for item in map_.iterdir():
        match = _BESTAND.match(item.name)
        if match:
            gevonden.append((item.name, _uit_markdown(match["sleutel"], item.read_text(encoding="utf-8"))))
    return [hoofdstuk for _naam, hoofdstuk in sorted(gevonden, key=lambda paar: paar[0])]


def procedure_hoofdstukken() -> list[Hoofdstuk]:
    """The procedure as the app follows it: the newest version first ("procedure"), then the older ones that running
    trajecten may still follow."""
    from ontkoppel_desktop.core.procedure import default_registry

    registry = default_registry()
    huidige = registry.current()
    andere = [d for d in registry.definitions() if d is not huidige]
    hoofdstukken = [_procedure_hoofdstuk(huidige, PROCEDURE, "Procedure")]
    for definitie in andere:
        hoofdstukken.append(_procedure_hoofdstuk(definitie, f"{PROCEDURE}-{definitie.version}",
                                                 f"Procedure (versie {definitie.version})"))
    return hoofdstukken


def _procedure_hoofdstuk(definitie: object, sleutel: str, titel: str) -> Hoofdstuk:
    from ontkoppel_desktop.core.procedure import ProcedureDefinition, VerslagBestemming

    assert isinstance(definitie, ProcedureDefinition)
    e = html.escape
    delen = [f"<h1>{e(definitie.title)}</h1>",
             f"<p><b>{e(definitie.institute)}</b><br>Bron: {e(definitie.source)}<br>"
             f"Versie {e(definitie.version)}"
             + (f", geldig vanaf {e(dutch_date(definitie.valid_from))}" if definitie.valid_from else "")
             + f" · bestand <i>{e(definitie.file.replace(chr(92), '/').rsplit('/', 1)[-1])}</i></p>",
             "<p>Dit zijn de stappen zoals de app ze volgt: per stap wie hem doet, de termijn en waar het verslag "
             "heen gaat. Een traject houdt de versie waarmee het begon. Termijnen zijn kalenderdagen; waar de "
             "procedure \"ongeveer\" zegt, staat tussen haakjes het venster waarin de stap op tijd is (een keuze van "
             "de beleidsmedewerker, niet van de procedure).</p>"]
    paragrafen = []
    for fase in definitie.phases:
        kop = f"Fase {fase.number}: {fase.title}"
        paragrafen.append(kop)
        delen.append(f"<h2>{e(kop)}</h2><p>Paragraaf {e(fase.section)} van de procedure.</p>")
        delen.append("<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
                     "<tr><th align='left' width='6%'>§</th><th align='left' width='42%'>Stap</th>"
                     "<th align='left' width='17%'>Wie</th><th align='left' width='20%'>Termijn</th>"
                     "<th align='left' width='15%'>Verslag</th></tr>")
        for stap in definitie.steps_in_phase(fase.number):
            wie = ", ".join(rol.label for rol in stap.roles)
            termijn = stap.term.text if stap.term is not None else "—"
            verslag = stap.verslag.label if stap.verslag is not VerslagBestemming.GEEN else "—"
            if stap.ontvanger is not None and stap.verslag is not VerslagBestemming.GEEN:
                verslag += f" (ontvanger: {stap.ontvanger.label.lower()})"
            toelichting = f"<br><small>{e(stap.note)}</small>" if stap.note else ""
            delen.append(f"<tr><td>{e(stap.section)}</td><td>{e(stap.title)}{toelichting}</td><td>{e(wie)}</td>"
                         f"<td>{e(termijn)}</td><td>{e(verslag)}</td></tr>")
        delen.append("</table>")
    regels = []
    if definitie.wachttijd is not None:
        regels.append(f"<li><b>Wachttijd</b>: bij meer dan {definitie.wachttijd.max_days} dagen zonder opleider "
                      "beslissen de manager opleiding en het (plaatsvervangend) hoofd over de invulling en over het "
                      "deel dat als opleidingstijd meetelt.</li>")
    if definitie.voortgang is not None:
        v = definitie.voortgang
        regels.append(f"<li><b>Voortgangsbeoordeling</b>: bij een ontkoppeling na maand {v.after_month} en vóór "
                      f"maand {v.before_month} van opleidingsjaar {v.opleidingsjaar} volgt een besluit over uitstel "
                      f"van de voortgangsbeoordeling en verlenging; na maand {v.verlenging_default_after_month} is "
                      "verlenging het uitgangspunt.</li>")
    if definitie.blokkade is not None:
        b = definitie.blokkade
        tot = definitie.step(b.until_step).short or definitie.step(b.until_step).title
        regels.append(f"<li><b>Blokkade</b>: vanaf {e(definitie.moment_label(b.from_moment))} krijgt de ontkoppelde "
                      f"opleider geen nieuwe aios, tot de stap <i>{e(tot)}</i> gedaan is.</li>")
    if regels:
        paragrafen.append("Regels")
        delen.append("<h2>Regels</h2><ul>" + "".join(regels) + "</ul>")
    return Hoofdstuk(sleutel, titel, "\n".join(delen), html=True, paragrafen=tuple(paragrafen))


def alle_hoofdstukken() -> list[Hoofdstuk]:
    return handleiding_hoofdstukken() + procedure_hoofdstukken()


class HandleidingVenster(QDialog):
    """The manual and the procedure: a table of contents (chapters and their paragraphs), a search field that keeps
    the chapters that have every word typed, and the text."""

    # Nothing from the store is in it: it stays open while the store is locked (ui/main_window.py).
    openbaar = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Handleiding")
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.hoofdstukken = alle_hoofdstukken()
        self._per_sleutel = {h.sleutel: h for h in self.hoofdstukken}
        self.huidig: Hoofdstuk | None = None

        self.zoek = QLineEdit()
        self.zoek.setPlaceholderText("woord in de handleiding…")
        self.zoek.setAccessibleName("Zoeken in de handleiding")
        self.zoek.setClearButtonEnabled(True)
        self.zoek.textChanged.connect(self._filter)
        self.zoek.returnPressed.connect(self.zoek_volgende)
        zoek_label = QLabel("&Zoeken:")
        zoek_label.setBuddy(self.zoek)
        self.inhoud = QTreeWidget()
        self.inhoud.setHeaderHidden(True)
        self.inhoud.setAccessibleName("Inhoud van de handleiding")
        self.inhoud.setMinimumWidth(220)
        for hoofdstuk in self.hoofdstukken:
            item = QTreeWidgetItem([hoofdstuk.titel])
            item.setToolTip(0, hoofdstuk.titel)
            item.setData(0, _ROL_SLEUTEL, (hoofdstuk.sleutel, ""))
            for paragraaf in hoofdstuk.paragrafen:
                sub = QTreeWidgetItem([paragraaf])
                sub.setToolTip(0, paragraaf)
                sub.setData(0, _ROL_SLEUTEL, (hoofdstuk.sleutel, paragraaf))
                item.addChild(sub)
            self.inhoud.addTopLevelItem(item)
        self.inhoud.currentItemChanged.connect(self._gekozen)
        self.geen_treffers = QLabel("Geen hoofdstuk met deze woorden.")
        self.geen_treffers.setWordWrap(True)
        self.geen_treffers.setVisible(False)
        inhoud_label = QLabel("&Inhoud:")
        inhoud_label.setBuddy(self.inhoud)

        self.tekst = QTextBrowser()
        self.tekst.setAccessibleName("Tekst van de handleiding")
        self.tekst.setOpenLinks(False)
        self.tekst.anchorClicked.connect(self._link)
        self.tekst.document().setDocumentMargin(14)
        tekst_label = QLabel("&Tekst:")
        tekst_label.setBuddy(self.tekst)
        tekst_label.hide()  # only for Alt+T: the text needs no caption

        links = QWidget()
        links_layout = QVBoxLayout(links)
        links_layout.setContentsMargins(0, 0, 0, 0)
        zoek_rij = QHBoxLayout()
        zoek_rij.addWidget(zoek_label)
        zoek_rij.addWidget(self.zoek, 1)
        links_layout.addLayout(zoek_rij)
        links_layout.addWidget(inhoud_label)
        links_layout.addWidget(self.inhoud, 1)
        links_layout.addWidget(self.geen_treffers)
        rechts = QWidget()
        rechts_layout = QVBoxLayout(rechts)
        rechts_layout.setContentsMargins(0, 0, 0, 0)
        rechts_layout.addWidget(tekst_label)
        rechts_layout.addWidget(self.tekst)
        splitter = QSplitter()
        splitter.addWidget(links)
        splitter.addWidget(rechts)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([290, 750])
        knoppen = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        sluiten = knoppen.button(QDialogButtonBox.StandardButton.Close)
        sluiten.setText("&Sluiten")
        # Enter in the search field searches: it must not press Sluiten (Escape closes).
        sluiten.setAutoDefault(False)
        sluiten.setDefault(False)
        knoppen.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(knoppen)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self._naar_zoeken)
        QShortcut(QKeySequence(QKeySequence.StandardKey.FindNext), self, self.zoek_volgende)
        self.setTabOrder(self.zoek, self.inhoud)
        self.setTabOrder(self.inhoud, self.tekst)
        beschikbaar = self.screen().availableGeometry()
        self.resize(min(1040, beschikbaar.width() - 40), min(720, beschikbaar.height() - 60))
        self.toon("beginnen")

    # ---- showing -------------------------------------------------------------------------------------

    def toon(self, sleutel: str, paragraaf: str = "") -> None:
        """Show a chapter (a paragraph of it); an unknown key shows the first chapter."""
        hoofdstuk = self._per_sleutel.get(sleutel) or self.hoofdstukken[0]
        item = self._item(hoofdstuk.sleutel, paragraaf)
        if item is not None and self.inhoud.currentItem() is not item:
            self.inhoud.setCurrentItem(item)  # shows it, through _gekozen
        else:
            self._laat_zien(hoofdstuk, paragraaf)

    def _item(self, sleutel: str, paragraaf: str) -> QTreeWidgetItem | None:
        for i in range(self.inhoud.topLevelItemCount()):
            item = self.inhoud.topLevelItem(i)
            if item.data(0, _ROL_SLEUTEL)[0] != sleutel:
                continue
            for j in range(item.childCount()):
                if paragraaf and item.child(j).text(0) == paragraaf:
                    return item.child(j)
            return item
        return None

    def _gekozen(self, item: QTreeWidgetItem | None, _vorige: QTreeWidgetItem | None = None) -> None:
        if item is None:
            return
        sleutel, paragraaf = item.data(0, _ROL_SLEUTEL)
        self._laat_zien(self._per_sleutel[sleutel], paragraaf)

    def _laat_zien(self, hoofdstuk: Hoofdstuk, paragraaf: str) -> None:
        if hoofdstuk is not self.huidig:
            if hoofdstuk.html:
                self.tekst.setHtml(hoofdstuk.tekst)
            else:
                self.tekst.setMarkdown(hoofdstuk.tekst)
            self.huidig = hoofdstuk
        self._naar_paragraaf(paragraaf)

    def _naar_paragraaf(self, paragraaf: str) -> None:
        document = self.tekst.document()
        blok = document.begin()
        while paragraaf and blok.isValid():
            if blok.blockFormat().headingLevel() >= 2 and blok.text().strip() == paragraaf:
                break
            blok = blok.next()
        if not paragraaf or not blok.isValid():
            blok = document.begin()
        self.tekst.setTextCursor(QTextCursor(blok))
        # After the new text is laid out in the window (its scroll range is known only then): the heading on top.
        QTimer.singleShot(0, lambda: self._scroll_naar(blok))

    def _scroll_naar(self, blok: QTextBlock) -> None:
        if blok.isValid() and blok.document() is self.tekst.document():
            boven = self.tekst.document().documentLayout().blockBoundingRect(blok).top()
            self.tekst.verticalScrollBar().setValue(int(boven))

    def _link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        sleutel, _, paragraaf = url.toString().partition("#")
        self.toon(sleutel.removesuffix(".md"), QUrl.fromPercentEncoding(paragraaf.encode()))

    # ---- searching -----------------------------------------------------------------------------------

    def _woorden(self) -> list[str]:
        return _vouw(self.zoek.text()).split()

    def _filter(self) -> None:
        woorden = self._woorden()
        zichtbaar = 0
        for i in range(self.inhoud.topLevelItemCount()):
            item = self.inhoud.topLevelItem(i)
            hoofdstuk = self._per_sleutel[item.data(0, _ROL_SLEUTEL)[0]]
            tekst = hoofdstuk.zoektekst()
            treffer = all(woord in tekst for woord in woorden)
            item.setHidden(not treffer)
            zichtbaar += treffer
        self.geen_treffers.setVisible(zichtbaar == 0)

    def _naar_zoeken(self) -> None:
        self.zoek.setFocus()
        self.zoek.selectAll()

    def zoek_volgende(self) -> None:
        """The next place of the first word typed: in this chapter, else in the next chapter that has every word."""
        woorden = self.zoek.text().split()
        if not woorden:
            return
        woord = woorden[0]
        if self.huidig is not None and self.huidig.sleutel in self._treffers() and self.tekst.find(woord):
            return
        volgorde = self._treffers()
        if not volgorde:
            return
        start = volgorde.index(self.huidig.sleutel) + 1 if self.huidig and self.huidig.sleutel in volgorde else 0
        for sleutel in volgorde[start:] + volgorde[:start]:
            self.toon(sleutel)
            self.tekst.moveCursor(QTextCursor.MoveOperation.Start)
            if self.tekst.find(woord) or self._vind_gevouwen(woord):
                return

    def _vind_gevouwen(self, woord: str) -> bool:
        """Find a word typed without its accents ("geinstalleerd") where the text has them."""
        gevouwen = _vouw(woord)
        tekst = self.tekst.document().toPlainText()
        vouw = [(_vouw(teken), index) for index, teken in enumerate(tekst)]
        platte = "".join(v for v, _i in vouw)
        plek = platte.find(gevouwen)
        if plek < 0:
            return False
        posities = [i for v, i in vouw for _ in v]
        cursor = QTextCursor(self.tekst.document())
        cursor.setPosition(posities[plek])
        cursor.setPosition(posities[plek + len(gevouwen) - 1] + 1, QTextCursor.MoveMode.KeepAnchor)
        self.tekst.setTextCursor(cursor)
        return True

    def _treffers(self) -> list[str]:
        woorden = self._woorden()
        return [h.sleutel for h in self.hoofdstukken if all(w in h.zoektekst() for w in woorden)]


_venster: HandleidingVenster | None = None


def toon_handleiding(parent: QWidget | None = None, sleutel: str = "beginnen",
                     paragraaf: str = "") -> HandleidingVenster:
    """Open the help window (one for the app) at a chapter, or bring it forward there."""
    global _venster
    if _venster is None or not isValid(_venster):
        _venster = HandleidingVenster(parent)
        _venster.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    _venster.toon(sleutel, paragraaf)
    _venster.show()
    _venster.raise_()
    _venster.activateWindow()
    return _venster


__all__ = ["PROCEDURE", "HandleidingVenster", "Hoofdstuk", "alle_hoofdstukken", "toon_handleiding"]
