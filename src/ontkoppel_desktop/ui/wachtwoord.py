"""Wachtwoord fields, the strength meter, the herstelsleutel sheet and the change-wachtwoord dialog."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QClipboard,
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop import APP_NAME
from ontkoppel_desktop.atomic import write_atomic
from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.store.keys import SleutelFout
from ontkoppel_desktop.store.store import SleutelVernieuwing
from ontkoppel_desktop.store.wachtwoord_sterkte import MIN_WACHTWOORD_LENGTE, wachtwoord_sterkte
from ontkoppel_desktop.ui.background import run_in_background
from ontkoppel_desktop.ui.operations import user_message
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.vergrendeling import copy_to_clipboard
from ontkoppel_desktop.ui.vraag import bevestig

_STERKTE_KLEUR = {0: "#b3261e", 1: "#c25e00", 2: "#b38600", 3: "#2e7d32", 4: "#1b5e20"}


class _CapsLock(QObject):
    """What the app knows of Caps Lock, shared by every wachtwoord field (the state is the keyboard's, not a
    field's). Qt has no portable way to ask: Windows answers GetKeyState, X11 answers through XKB and in every
    key event's native modifiers, macOS in the native modifiers; elsewhere (Wayland) a letter typed in upper case
    without Shift, or in lower case with Shift, tells it."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.aan: bool | None = None  # None: not known (yet)

    def zet(self, aan: bool | None) -> None:
        if aan is not None and aan != self.aan:
            self.aan = aan
            self.changed.emit()

    def vraag_systeem(self) -> None:
        self.zet(caps_lock_van_systeem())

    def na_toets(self, event: QKeyEvent) -> None:
        """Learn the state from a key pressed in a wachtwoord field."""
        if event.key() == Qt.Key.Key_CapsLock:
            # The state changes with this key: ask the system once the key is handled, else it simply flips.
            def daarna() -> None:
                systeem = caps_lock_van_systeem()
                self.zet(systeem if systeem is not None else None if self.aan is None else not self.aan)

            QTimer.singleShot(0, daarna)
            return
        self.zet(caps_lock_uit_toets(event))


_caps: _CapsLock | None = None


def caps_lock() -> _CapsLock:
    global _caps
    if _caps is None:
        _caps = _CapsLock()
    return _caps


def caps_lock_uit_toets(event: QKeyEvent) -> bool | None:
    """Caps Lock as one key event shows it; None when it does not."""
    platform = QGuiApplication.platformName()
    # A synthesized event (a test, an input method) has no scan code and no native modifiers worth reading.
    if event.nativeScanCode():
        if sys.platform == "win32":
            return caps_lock_van_systeem()
        if platform == "xcb":
            return bool(event.nativeModifiers() & _X11_LOCK_MASK)
        if platform == "cocoa":
            return bool(event.nativeModifiers() & _NS_CAPS_LOCK)
    text = event.text()
    if len(text) != 1 or not text.isalpha() or text.lower() == text.upper():
        return None
    shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
    return text.isupper() != shift


_X11_LOCK_MASK = 0x2  # LockMask in X11's key state
_NS_CAPS_LOCK = 1 << 16  # NSEventModifierFlagCapsLock


def caps_lock_van_systeem() -> bool | None:
    """Ask the system whether Caps Lock is on: Windows and X11 can say so at any moment, before a key is typed.
    None where there is no way (Wayland, macOS outside a key event, no X library)."""
    try:
        if sys.platform == "win32":
            import ctypes

            return bool(ctypes.windll.user32.GetKeyState(0x14) & 1)  # type: ignore[attr-defined]  # VK_CAPITAL
        if QGuiApplication.platformName() == "xcb":
            return _xkb_caps_lock()
    except (OSError, AttributeError, ValueError):
        return None
    return None


_x11: list[object] = []  # [libX11, Display*] once opened; [None] when X11 cannot be asked


def _xkb_caps_lock() -> bool | None:
    import ctypes
    import ctypes.util

    class XkbStateRec(ctypes.Structure):
        _fields_ = [("group", ctypes.c_ubyte), ("locked_group", ctypes.c_ubyte), ("base_group", ctypes.c_ushort),
                    ("latched_group", ctypes.c_ushort), ("mods", ctypes.c_ubyte), ("base_mods", ctypes.c_ubyte),
                    ("latched_mods", ctypes.c_ubyte), ("locked_mods", ctypes.c_ubyte),
                    ("compat_state", ctypes.c_ubyte), ("grab_mods", ctypes.c_ubyte),
                    ("compat_grab_mods", ctypes.c_ubyte), ("lookup_mods", ctypes.c_ubyte),
                    ("compat_lookup_mods", ctypes.c_ubyte), ("ptr_buttons", ctypes.c_ushort)]

    if not _x11:
        name = ctypes.util.find_library("X11")
        lib = ctypes.CDLL(name) if name else None
        display = None
        if lib is not None:
            lib.XOpenDisplay.restype = ctypes.c_void_p
            lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
            lib.XkbGetState.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.POINTER(XkbStateRec)]
            display = lib.XOpenDisplay(None)
        _x11[:] = [lib, display] if display else [None, None]
    lib, display = _x11
    if lib is None:
        return None
    state = XkbStateRec()
    if lib.XkbGetState(display, 0x0100, ctypes.byref(state)) != 0:  # type: ignore[attr-defined]  # XkbUseCoreKbd
        return None
    return bool(state.locked_mods & _X11_LOCK_MASK)


def _oog(doorgestreept: bool, kleur: QColor) -> QIcon:
    """An eye (Tonen), or an eye struck through (Verbergen), drawn in the text colour: no icon file needed."""
    pixmap = QPixmap(64, 64)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(kleur, 5)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    vorm = QPainterPath()
    vorm.moveTo(6, 32)
    vorm.quadTo(32, 6, 58, 32)
    vorm.quadTo(32, 58, 6, 32)
    painter.drawPath(vorm)
    painter.setBrush(kleur)
    painter.drawEllipse(QPointF(32, 32), 8, 8)
    if doorgestreept:
        painter.drawLine(QPointF(10, 54), QPointF(54, 10))
    painter.end()
    return QIcon(pixmap)


CAPS_LOCK_TEKST = "Caps Lock staat aan"


class WachtwoordVeld(QLineEdit):
    """A wachtwoord line edit as KeePassXC users know it: an eye in the field (or Ctrl+H) shows and hides the
    wachtwoord, and a warning says when Caps Lock is on. The warning is in the field (an icon, and the field's
    accessible description) and, where the form places `caps_melding`, in words under it."""

    TOON_SNELTOETS = "Ctrl+H"

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setPlaceholderText(placeholder)
        self._kleur = self.palette().color(QPalette.ColorRole.Text)
        self.toon_actie = QAction(_oog(False, self._kleur), "Wachtwoord tonen", self)
        self.toon_actie.setCheckable(True)
        self.toon_actie.setShortcut(QKeySequence(self.TOON_SNELTOETS))
        self.toon_actie.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.toon_actie.toggled.connect(self._toon)
        self.addAction(self.toon_actie, QLineEdit.ActionPosition.TrailingPosition)
        self.caps_actie = QAction(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
                                  CAPS_LOCK_TEKST, self)
        self.caps_actie.setToolTip(CAPS_LOCK_TEKST)
        self.addAction(self.caps_actie, QLineEdit.ActionPosition.TrailingPosition)
        self.caps_actie.setVisible(False)  # after adding: the button Qt makes for it follows changes only
        # In words, for the form to place under the field (a label without a parent would be a window of its own).
        self.caps_melding = QLabel(f"⚠ {CAPS_LOCK_TEKST}")
        self.caps_melding.setObjectName("caps_lock")
        self.caps_melding.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.caps_melding.setVisible(False)
        self._knop_namen()
        self._toon(False)
        self.setMinimumWidth(280)
        caps_lock().changed.connect(self._caps_bijwerken)

    def _knop_namen(self) -> None:
        # The buttons Qt makes for the actions take no focus: Ctrl+H (and the context menu) is the keyboard way.
        for knop in self.findChildren(QToolButton):
            if knop.defaultAction() is self.caps_actie:
                knop.setAccessibleName(CAPS_LOCK_TEKST)

    def _toon(self, zichtbaar: bool) -> None:
        self.setEchoMode(QLineEdit.EchoMode.Normal if zichtbaar else QLineEdit.EchoMode.Password)
        tekst = "Wachtwoord verbergen" if zichtbaar else "Wachtwoord tonen"
        self.toon_actie.setText(tekst)
        self.toon_actie.setIcon(_oog(zichtbaar, self._kleur))
        self.toon_actie.setToolTip(f"{tekst} ({self.TOON_SNELTOETS})")
        for knop in self.findChildren(QToolButton):
            if knop.defaultAction() is self.toon_actie:
                knop.setAccessibleName(tekst)

    @property
    def zichtbaar(self) -> bool:
        return self.echoMode() == QLineEdit.EchoMode.Normal

    def clear(self) -> None:
        """Empty, with the undo history: QLineEdit.clear keeps it, so after Tonen Ctrl+Z would bring the
        wachtwoord back (after a lock too). setText starts a new history. Hidden again as well."""
        self.setText("")
        self.toon_actie.setChecked(False)

    # ---- Caps Lock -------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        caps_lock().na_toets(event)
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        super().focusInEvent(event)
        caps_lock().vraag_systeem()
        self._caps_bijwerken()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        super().focusOutEvent(event)
        self._caps_bijwerken()

    def _caps_bijwerken(self) -> None:
        # Only the field being typed in warns; the next field warns when it gets the focus.
        aan = bool(caps_lock().aan) and self.hasFocus()
        self.caps_actie.setVisible(aan)
        self.setAccessibleDescription(CAPS_LOCK_TEKST if aan else "")
        if self.caps_melding.parent() is not None:
            self.caps_melding.setVisible(aan)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt API)
        menu = self.createStandardContextMenu()
        menu.addSeparator()
        menu.addAction(self.toon_actie)
        menu.exec(event.globalPos())
        menu.deleteLater()


class NieuwWachtwoord(QWidget):
    """Choose and confirm a wachtwoord, with a visible strength indication. `valid_changed` drives the
    dialog's OK button."""

    valid_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.eerste = WachtwoordVeld(f"minimaal {MIN_WACHTWOORD_LENGTE} tekens")
        self.eerste.setAccessibleName("Nieuw wachtwoord")
        self.tweede = WachtwoordVeld("nogmaals hetzelfde wachtwoord")
        self.tweede.setAccessibleName("Herhaal wachtwoord")
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(8)
        self.sterkte = QLabel()
        self.sterkte.setAccessibleName("Sterkte van het wachtwoord")
        # What makes it weak and what would help, in Dutch (zxcvbn's advice); empty once it is strong enough.
        self.tips = QLabel()
        self.tips.setAccessibleName("Tips voor een sterker wachtwoord")
        self.tips.setWordWrap(True)
        self.melding = QLabel()
        self.melding.setWordWrap(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Wachtwoord:", self.eerste)
        form.addRow("", self.eerste.caps_melding)
        form.addRow("", self.meter)
        form.addRow("Sterkte:", self.sterkte)
        form.addRow("", self.tips)
        form.addRow("&Herhaal wachtwoord:", self.tweede)
        form.addRow("", self.tweede.caps_melding)
        form.addRow("", self.melding)
        self.eerste.textChanged.connect(self._update)
        self.tweede.textChanged.connect(self._update)
        self._valid = False
        self._update()

    @property
    def wachtwoord(self) -> str:
        return self.eerste.text()

    def is_valid(self) -> bool:
        return self._valid

    def _update(self) -> None:
        sterkte = wachtwoord_sterkte(self.eerste.text())
        self.meter.setValue(sterkte.score)
        kleur = _STERKTE_KLEUR[sterkte.score]
        self.meter.setStyleSheet(f"QProgressBar::chunk {{ background: {kleur}; }}")
        # Text as well as colour: the strength is readable without seeing colours.
        self.sterkte.setText(sterkte.label if self.eerste.text() else "—")
        self.sterkte.setStyleSheet(f"color: {kleur}; font-weight: bold;" if self.eerste.text() else "")
        tips = sterkte.tips if self.eerste.text() and len(self.eerste.text()) >= MIN_WACHTWOORD_LENGTE else ()
        self.tips.setText(" ".join(tips) + (" Minimaal „Goed” is nodig." if tips else ""))
        self.tips.setVisible(bool(tips))
        gelijk = self.eerste.text() == self.tweede.text()
        if self.tweede.text() and not gelijk:
            self.melding.setText("De twee wachtwoorden zijn niet gelijk.")
        else:
            self.melding.setText("")
        valid = sterkte.voldoende and gelijk
        if valid != self._valid:
            self._valid = valid
            self.valid_changed.emit(valid)


HERSTEL_UITLEG = (
    "Dit is de <b>herstelsleutel</b> van deze opslag. Hij wordt nu één keer getoond en nergens bewaard. "
    "Druk hem af of schrijf hem op en bewaar hem op een veilige plek, apart van je laptop.<br><br>"
    "<b>Let op:</b> zonder wachtwoord én zonder herstelsleutel zijn de gegevens niet meer terug te halen. "
    "Ook de applicatiebeheerder kan dat niet."
)

# How long a copied herstelsleutel may stay on the clipboard (KeePassXC clears a copied wachtwoord after 10 s; a
# key of 39 characters is typed over from it, which takes longer).
KLEMBORD_SECONDEN = 30.0

KOPIEER_WAARSCHUWING = (
    "Op het klembord is de herstelsleutel even goed als de sleutel zelf: elk programma op deze computer kan hem "
    "lezen, en een klembordgeschiedenis (Windows+V) of synchronisatie van het klembord kan hem bewaren.\n\n"
    "Plak hem meteen waar hij hoort, bijvoorbeeld in een wachtwoordbeheerder. Na {seconden} seconden maakt de app "
    "het klembord leeg, als de sleutel er dan nog op staat; vergrendelen doet dat ook."
)

BESTAND_WAARSCHUWING = (
    "Een bestand met de herstelsleutel is even goed als de sleutel zelf: wie het bestand vindt en het "
    "databasebestand heeft, opent de opslag.\n\nZet het dus niet naast de opslag, niet in een gesynchroniseerde map "
    "(OneDrive, Dropbox) en niet in een map waarvan een back-up naar dezelfde plek gaat. Een USB-stick die je apart "
    "en veilig bewaart, of een wachtwoordbeheerder, is een goede plek. Druk de sleutel liever af als dat kan."
)


def _digest(tekst: str) -> bytes:
    return hashlib.sha256(tekst.encode("utf-8")).digest()


def kopieer_tijdelijk(tekst: str, seconden: float | None = None) -> None:
    """Put `tekst` on the clipboard as the app's own (the lock clears it) and clear it after `seconden` if it is
    still there; something the user copied since is left alone. Only a digest waits for the timer."""
    copy_to_clipboard(tekst)
    digest = _digest(tekst)
    app = QApplication.instance()

    def leeg() -> None:
        clipboard = QApplication.clipboard()
        if clipboard.text() and _digest(clipboard.text()) == digest:
            clipboard.clear(QClipboard.Mode.Clipboard)

    QTimer.singleShot(int(1000 * (KLEMBORD_SECONDEN if seconden is None else seconden)), app, leeg)


class HerstelsleutelDialog(QDialog):
    """Shows the herstelsleutel once; Verder only after the user confirms it is kept. Besides printing, the key
    can be copied (cleared from the clipboard after 30 s) or saved as a file, each after a warning."""

    def __init__(self, herstelsleutel: str, bestandsnaam: str, parent: QWidget | None = None, *,
                 opslag: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Herstelsleutel")
        self._sleutel = herstelsleutel
        self._bestandsnaam = bestandsnaam
        self._opslag = opslag
        uitleg = QLabel(HERSTEL_UITLEG)
        uitleg.setWordWrap(True)
        sleutel = QLabel(herstelsleutel)
        sleutel.setObjectName("herstelsleutel")
        sleutel.setAccessibleName("Herstelsleutel")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(font.pointSize() + 5)
        font.setBold(True)
        sleutel.setFont(font)
        sleutel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        sleutel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                        | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        sleutel.setStyleSheet("padding: 14px; border: 2px dashed #666; background: #fffbe6; color: #111;")
        self.afdrukken = QPushButton("&Afdrukken…")
        self.afdrukken.clicked.connect(self._print)
        self.kopieren = QPushButton("&Kopiëren…")
        self.kopieren.setToolTip("Naar het klembord; na 30 seconden wordt het klembord leeggemaakt")
        self.kopieren.clicked.connect(self.kopieer)
        self.opslaan = QPushButton("&Opslaan als bestand…")
        self.opslaan.clicked.connect(self.sla_op)
        self.melding = QLabel()
        self.melding.setObjectName("melding")
        self.melding.setWordWrap(True)
        self.melding.setVisible(False)
        knoppen = QHBoxLayout()
        for knop in (self.afdrukken, self.kopieren, self.opslaan):
            knop.setAutoDefault(False)
            knoppen.addWidget(knop)
        knoppen.addStretch(1)
        self.bevestig = QCheckBox("Ik heb de herstelsleutel afgedrukt, opgeschreven of apart en veilig &bewaard")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Verder")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.bevestig.toggled.connect(self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled)
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(uitleg)
        layout.addWidget(sleutel)
        layout.addLayout(knoppen)
        layout.addWidget(self.melding)
        layout.addWidget(self.bevestig)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(600)

    def reject(self) -> None:
        # Closing without confirming would lose the only copy of the key: only Verder leaves.
        if self.bevestig.isChecked():
            self.accept()

    def _meld(self, tekst: str) -> None:
        self.melding.setText(tekst)
        self.melding.setVisible(bool(tekst))

    def kopieer(self) -> bool:
        seconden = round(KLEMBORD_SECONDEN)
        if not bevestig(self, "Herstelsleutel kopiëren", KOPIEER_WAARSCHUWING.format(seconden=seconden),
                        "Toch &kopiëren", waarschuwing=True):
            return False
        kopieer_tijdelijk(self._sleutel)
        self._meld(f"De herstelsleutel staat op het klembord; over {seconden} seconden wordt het klembord "
                   "leeggemaakt.")
        return True

    def sla_op(self) -> Path | None:
        from ontkoppel_desktop.store.database import schrijffout
        from ontkoppel_desktop.ui import bestandsdialoog

        if not bevestig(self, "Herstelsleutel als bestand", BESTAND_WAARSCHUWING, "Toch &opslaan als bestand…",
                        waarschuwing=True):
            return None
        stam = Path(self._bestandsnaam).stem or "opslag"
        doel = bestandsdialoog.opslaan(self, "herstelsleutel", "Herstelsleutel opslaan als bestand",
                                       f"{stam}-herstelsleutel.txt", "Tekstbestand (*.txt)", ".txt")
        if doel is None:
            return None
        if self._opslag is not None and doel.parent.resolve() == self._opslag.parent.resolve():
            QMessageBox.warning(self, "Niet naast de opslag",
                                f"De herstelsleutel is niet opgeslagen in {doel.parent}: daar staat de opslag zelf, "
                                "en wie die map kopieert, heeft dan alles om hem te openen. Kies een andere plek, "
                                "bijvoorbeeld een USB-stick die je apart bewaart.")
            return None
        tekst = (
            f"{APP_NAME} — herstelsleutel\n\nOpslag: {self._bestandsnaam}\nHerstelsleutel: {self._sleutel}\n"
            f"Bewaard op: {dutch_date(dt.date.today())}\n\nMet deze sleutel kan de opslag worden geopend als het "
            "wachtwoord vergeten is. Wie dit bestand en het databasebestand heeft, kan de opslag openen: bewaar het "
            "apart van de opslag en van de laptop, en vernietig het als je een nieuwe herstelsleutel krijgt.\n"
        )
        try:
            write_atomic(doel, tekst.encode("utf-8"))
        except OSError as exc:
            antwoord = schrijffout(exc, doel)
            QMessageBox.warning(self, "Niet opgeslagen", f"De herstelsleutel is niet opgeslagen. {antwoord}"
                                if antwoord is not None else f"De herstelsleutel is niet opgeslagen ({exc}).")
            return None
        self._meld(f"De herstelsleutel staat in {doel}. Bewaar dat bestand apart en veilig.")
        return doel

    def _print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        doc = QTextDocument()
        doc.setHtml(
            f"<h2>Ontkoppel Desktop — herstelsleutel</h2><p>Opslag: {self._bestandsnaam}</p>"
            f"<p style='font-size:20pt; font-family:monospace'><b>{self._sleutel}</b></p>"
            "<p>Bewaar dit papier op een veilige plek. Met deze sleutel kan de opslag worden geopend "
            "als het wachtwoord vergeten is.</p>"
        )
        painter = QPainter(printer)
        doc.drawContents(painter)
        painter.end()


class WachtwoordWijzigenDialog(QDialog):
    """Change the wachtwoord. When the store was opened with the herstelsleutel, the current wachtwoord is
    not asked and the dialog cannot be skipped."""

    def __init__(
        self, session: Session, parent: QWidget | None = None, *, verplicht: bool = False, vernieuwen: bool = False
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.verplicht = verplicht
        self.setWindowTitle(
            "Nieuw wachtwoord kiezen" if verplicht else "Sleutel vernieuwen" if vernieuwen else "Wachtwoord wijzigen"
        )
        layout = QVBoxLayout(self)
        if verplicht:
            uitleg = QLabel(
                "Je hebt de opslag geopend met de herstelsleutel. Kies nu een nieuw wachtwoord; "
                "het oude wachtwoord werkt daarna niet meer."
            )
            uitleg.setWordWrap(True)
            layout.addWidget(uitleg)
        self.huidig = WachtwoordVeld()
        self.huidig.setAccessibleName("Huidig wachtwoord")
        if not verplicht:
            form = QFormLayout()
            form.addRow("H&uidig wachtwoord:", self.huidig)
            form.addRow("", self.huidig.caps_melding)
            layout.addLayout(form)
        self.nieuw = NieuwWachtwoord()
        layout.addWidget(self.nieuw)
        # Changing the wachtwoord only rewraps the key: an old key file (a back-up's, a copy) still opens today's
        # store with the old wachtwoord. When the old one may be known to others, the key itself is renewed.
        self.vernieuwen = QCheckBox("&Mijn huidige wachtwoord kan bekend zijn bij anderen: vernieuw ook de sleutel")
        self.vernieuwen.setChecked(vernieuwen)
        self.vernieuwen_uitleg = QLabel(VERNIEUWEN_UITLEG)
        self.vernieuwen_uitleg.setWordWrap(True)
        self.vernieuwen_uitleg.setVisible(vernieuwen)
        self.vernieuwen.toggled.connect(self.vernieuwen_uitleg.setVisible)
        self.vernieuwen.toggled.connect(self._update_ok_text)
        if not verplicht:
            layout.addWidget(self.vernieuwen)
            layout.addWidget(self.vernieuwen_uitleg)
        self.fout = QLabel()
        self.fout.setStyleSheet("color: #b3261e;")
        self.fout.setWordWrap(True)
        layout.addWidget(self.fout)
        buttons = QDialogButtonBox.StandardButton.Ok
        if not verplicht:
            buttons |= QDialogButtonBox.StandardButton.Cancel
        self.buttons = QDialogButtonBox(buttons)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._update_ok_text()
        self.ok.setEnabled(False)
        self.nieuw.valid_changed.connect(self.ok.setEnabled)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def reject(self) -> None:
        if not self.verplicht:
            super().reject()

    def _update_ok_text(self) -> None:
        self.ok.setText("Sleutel &vernieuwen" if self.vernieuwen.isChecked() else "Wachtwoord &opslaan")

    def _save(self) -> None:
        if self.vernieuwen.isChecked() and not self.verplicht:
            self._vernieuw()
            return
        huidig = None if self.verplicht else self.huidig.text()
        nieuw = self.nieuw.wachtwoord
        store = self.session.store
        self.ok.setEnabled(False)
        self.fout.setText("Bezig met opslaan…")

        def done(_: object) -> None:
            self.fout.setText("")
            self.accept()

        def failed(exc: BaseException) -> None:
            self.ok.setEnabled(self.nieuw.is_valid())
            text = user_message(exc)
            if isinstance(exc, SleutelFout) and huidig is not None:
                text = "Het huidige wachtwoord klopt niet."
            self.fout.setText(text)

        # Key derivation takes about half a second: keep the window responsive. Only the key file is
        # written; the database connection is not touched from the thread.
        run_in_background(self, lambda: store.change_wachtwoord(nieuw, huidig), done, failed)

    def _vernieuw(self) -> None:
        huidig, nieuw = self.huidig.text(), self.nieuw.wachtwoord
        store = self.session.store
        self.ok.setEnabled(False)
        self.fout.setText("Bezig met voorbereiden…")

        def failed(exc: BaseException) -> None:
            if QApplication.overrideCursor() is not None:
                QApplication.restoreOverrideCursor()
            self.ok.setEnabled(self.nieuw.is_valid())
            text = user_message(exc)
            if isinstance(exc, SleutelFout) and "Onjuist wachtwoord" in str(exc):
                text = "Het huidige wachtwoord klopt niet."
            self.fout.setText(text)

        def prepared(vernieuwing: SleutelVernieuwing) -> None:
            self.fout.setText("")
            # The new herstelsleutel is shown (and confirmed written down) before anything changes.
            HerstelsleutelDialog(vernieuwing.herstelsleutel, store.path.name, self, opslag=store.path).exec()
            self.fout.setText("De opslag wordt opnieuw versleuteld…")
            self.fout.repaint()
            # On this thread, in one go: the connection is this thread's, and no autosave may write between the
            # copy and the switch.
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                vernieuwing.voltooi()
            except Exception as exc:  # noqa: BLE001 - shown in Dutch; the store is as it was
                failed(exc)
                return
            QApplication.restoreOverrideCursor()
            self.fout.setText("")
            self.accept()

        # Two key derivations (the current wachtwoord, the new one) take about a second: off the UI thread.
        run_in_background(self, lambda: store.bereid_sleutel_vernieuwing(huidig, nieuw), prepared, failed)


VERNIEUWEN_UITLEG = (
    "De opslag wordt dan opnieuw versleuteld met een nieuwe sleutel, en je krijgt een nieuwe herstelsleutel. "
    "Je oude wachtwoord, je oude herstelsleutel en kopieën van het oude sleutelbestand openen de opslag daarna "
    "niet meer. Back-ups die je eerder maakte houden hun eigen sleutelbestand en hun oude wachtwoord: bewaar of "
    "vernietig ze bewust."
)
