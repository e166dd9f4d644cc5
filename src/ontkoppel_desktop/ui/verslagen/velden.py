"""One widget per kind of question (core.verslagen.VeldSoort): each gives its answer as the JSON the store keeps,
takes one back, and says when it changed, so the wizard can save the concept as it is typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Property, QDate, QEvent, QObject
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core.procedure.events import JsonValue
from ontkoppel_desktop.core.verslagen import Veld, VeldSoort, as_date
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.verslagen.bijlage_veld import BijlageVeld
from ontkoppel_desktop.ui.verslagen.veld_widget import VeldWidget
from ontkoppel_desktop.ui.widgets import ValueCombo, date_edit


class TekstVeld(VeldWidget):
    """Free text of any length, plain text only (pasted rich text arrives as its text), stored as typed."""

    def __init__(self, veld: Veld) -> None:
        super().__init__(veld)
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)  # Tab leaves the field, as in every other form
        self.edit.setPlaceholderText(veld.voorbeeld)
        self.edit.setMinimumHeight(90)
        self.edit.setAccessibleName(veld.label)
        self.edit.textChanged.connect(self.changed)
        self._to_end = False
        self.edit.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)

    def value(self) -> JsonValue:
        text = self.edit.toPlainText()
        return text if text else None

    def set_value(self, value: JsonValue) -> None:
        self.edit.setPlainText(value if isinstance(value, str) else "")
        # Going on where the docent stopped: the cursor to the end when the field gets focus (moving it now
        # would lay out a 30-page text before the window shows).
        self._to_end = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if self._to_end and event.type() in (QEvent.Type.FocusIn, QEvent.Type.KeyPress):
            self._to_end = False
            cursor = self.edit.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.End)
            self.edit.setTextCursor(cursor)
        return False

    def focus_widget(self) -> QWidget:
        return self.edit

    def set_fixed(self, fixed: bool) -> None:
        self.edit.setReadOnly(fixed)


class RegelVeld(VeldWidget):
    def __init__(self, veld: Veld) -> None:
        super().__init__(veld)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(veld.voorbeeld)
        self.edit.setAccessibleName(veld.label)
        self.edit.textChanged.connect(self.changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)

    def value(self) -> JsonValue:
        return self.edit.text() or None

    def set_value(self, value: JsonValue) -> None:
        self.edit.setText(value if isinstance(value, str) else "")

    def focus_widget(self) -> QWidget:
        return self.edit

    def set_fixed(self, fixed: bool) -> None:
        self.edit.setReadOnly(fixed)


class DatumVeld(VeldWidget):
    def __init__(self, veld: Veld) -> None:
        super().__init__(veld)
        self.edit = date_edit(date.today())
        self.edit.setAccessibleName(veld.label)
        self.edit.dateChanged.connect(self.changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addStretch(1)

    def value(self) -> JsonValue:
        return self.edit.date().toPython().isoformat()  # type: ignore[no-any-return]

    def set_value(self, value: JsonValue) -> None:
        day = as_date(value)
        if day is not None:
            self.edit.setDate(QDate(day.year, day.month, day.day))

    def focus_widget(self) -> QWidget:
        return self.edit


class KeuzesVeld(VeldWidget):
    """One or more of a few answers (with whom a telefonisch contact was), as check boxes."""

    def __init__(self, veld: Veld) -> None:
        super().__init__(veld)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[tuple[str, QCheckBox]] = []
        for keuze in veld.keuzes:
            box = QCheckBox(keuze.label)
            box.setAccessibleName(f"{veld.label}: {keuze.label}")
            box.toggled.connect(lambda _checked: self.changed.emit())
            layout.addWidget(box)
            self.boxes.append((keuze.waarde, box))
        layout.addStretch(1)

    def value(self) -> JsonValue:
        chosen: list[JsonValue] = [w for w, box in self.boxes if box.isChecked()]
        return chosen or None

    def _text(self) -> str:
        value = self.value()
        return ",".join(str(v) for v in value) if isinstance(value, list) else ""

    waarde = Property(str, _text, notify=VeldWidget.changed)

    def set_value(self, value: JsonValue) -> None:
        chosen = value if isinstance(value, list) else []
        for waarde, box in self.boxes:
            box.setChecked(waarde in chosen)

    def focus_widget(self) -> QWidget:
        return self.boxes[0][1]


class OpleiderVeld(VeldWidget):
    """An opleider from Personen (the new opleider of a kennismakingsgesprek): chosen by name, kept as its id."""

    def __init__(self, veld: Veld, keuzes: list[tuple[int, str]]) -> None:
        super().__init__(veld)
        self.combo = ValueCombo()
        self.combo.setAccessibleName(veld.label)
        self.combo.add("(kies een opleider)", None)
        for opleider_id, label in keuzes:
            self.combo.add(label, opleider_id)
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo, 1)

    def value(self) -> JsonValue:
        value = self.combo.currentData()
        return value if isinstance(value, int) else None

    def set_value(self, value: JsonValue) -> None:
        index = self.combo.findData(value) if isinstance(value, int) else 0
        self.combo.setCurrentIndex(max(0, index))

    def focus_widget(self) -> QWidget:
        return self.combo


class KeuzeVeld(VeldWidget):
    """One of a few answers, as radio buttons with none chosen at first (ja/nee too: the aios's own choice is
    never made by a default)."""

    def __init__(self, veld: Veld) -> None:
        super().__init__(veld)
        if veld.soort is VeldSoort.JA_NEE:
            self._values: list[JsonValue] = [True, False]
            labels = ["&Ja", "&Nee"]
        else:
            self._values = [k.waarde for k in veld.keuzes]
            labels = [k.label for k in veld.keuzes]
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        layout = QVBoxLayout(self) if veld.soort is VeldSoort.KEUZE else QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: list[QRadioButton] = []
        for i, label in enumerate(labels):
            button = QRadioButton(label)
            button.setAccessibleName(f"{veld.label}: {label.replace('&', '')}")
            self.group.addButton(button, i)
            layout.addWidget(button)
            self.buttons.append(button)
        if isinstance(layout, QHBoxLayout):
            layout.addStretch(1)
        self.group.idToggled.connect(lambda _i, checked: self.changed.emit() if checked else None)

    def value(self) -> JsonValue:
        i = self.group.checkedId()
        return self._values[i] if i >= 0 else None

    def _text(self) -> str:
        value = self.value()
        if isinstance(value, bool):
            return "ja" if value else "nee"
        return "" if value is None else str(value)

    waarde = Property(str, _text, notify=VeldWidget.changed)

    def set_value(self, value: JsonValue) -> None:
        if value in self._values:
            self.buttons[self._values.index(value)].setChecked(True)
        else:
            self.group.setExclusive(False)
            for button in self.buttons:
                button.setChecked(False)
            self.group.setExclusive(True)

    def focus_widget(self) -> QWidget:
        checked = self.group.checkedButton()
        return checked if checked is not None else self.buttons[0]


@dataclass(frozen=True)
class VeldContext:
    """What some fields need besides their question: the session and verslag (to keep a bijlage), the author,
    and the opleiders to choose from."""

    session: Session
    verslag_id: int
    auteur: str
    opleiders: list[tuple[int, str]]


def maak_veld(veld: Veld, context: VeldContext | None = None) -> VeldWidget:
    if veld.soort is VeldSoort.KEUZES:
        return KeuzesVeld(veld)
    if veld.soort is VeldSoort.OPLEIDER:
        return OpleiderVeld(veld, context.opleiders if context is not None else [])
    if veld.soort is VeldSoort.BIJLAGE:
        if context is None:
            raise ValueError("a bijlage field needs the verslag it belongs to")
        return BijlageVeld(veld, context.session, context.verslag_id, context.auteur)
    if veld.soort is VeldSoort.TEKST:
        return TekstVeld(veld)
    if veld.soort is VeldSoort.REGEL:
        return RegelVeld(veld)
    if veld.soort is VeldSoort.DATUM:
        return DatumVeld(veld)
    return KeuzeVeld(veld)


__all__ = ["DatumVeld", "KeuzeVeld", "KeuzesVeld", "OpleiderVeld", "RegelVeld", "TekstVeld", "VeldContext",
           "VeldWidget", "maak_veld"]
