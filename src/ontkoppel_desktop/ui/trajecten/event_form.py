"""One dialog for every gebeurtenis in a traject, built from the field specs the procedure core declares.

A new event kind or field in the core appears here without UI code: text, yes/no, numbers, dates, choices,
steps, earlier events and people each have their widget. Required yes/no questions start unanswered, so
"nee" is always a choice somebody made.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.procedure import (
    EventKind,
    FieldSpec,
    FieldType,
    ProcedureDefinition,
    Traject,
    TrajectEvent,
)
from ontkoppel_desktop.ui.dutch import datum, pydate, qdate
from ontkoppel_desktop.ui.form_dialog import FormDialog
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.widgets import ValueCombo, combo, date_edit

# Dutch words for the values the procedure file and the core use as identifiers.
CHOICE_LABELS: dict[str, str] = {
    "aios": "aios",
    "opleider": "opleider",
    "terugkomdag": "terugkomdag",
    "docenten": "docenten",
    "geen_ontkoppeling": "geen ontkoppeling (aandachtspunten voor de rest van de stage)",
    "advies_ontkoppeling": "advies tot ontkoppeling",
    "ontkoppelen": "ontkoppelen",
    "niet_ontkoppelen": "niet ontkoppelen",
    "e_portfolio": "e-portfolio aios",
    "dossier_opleider": "dossier opleider",
    "beide": "e-portfolio aios en dossier opleider",
    "anders_gedaan": "anders gedaan",
    "overgeslagen": "overgeslagen",
}

_LONG_TEXT = {"notitie", "aandachtspunten", "toelichting", "motivatie", "invulling", "omschrijving", "reden"}


def choice_label(value: str) -> str:
    return CHOICE_LABELS.get(value, value.replace("_", " "))


class _YesNo(ValueCombo):
    def __init__(self) -> None:
        super().__init__()
        self.add("— kies —", None)
        self.add("Ja", True)
        self.add("Nee", False)


class _OptionalDate(QWidget):
    """An optional date: empty unless the box is ticked (e.g. a last day in the old practice before the end)."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.check = QCheckBox(label)
        self.edit = date_edit(date.today())
        self.edit.setAccessibleName(label.replace("&", ""))
        self.edit.setEnabled(False)
        self.check.toggled.connect(self.edit.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.check)
        row.addWidget(self.edit, 1)

    def value(self) -> str | None:
        return pydate(self.edit.date()).isoformat() if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(qdate(value))


class EventDialog(FormDialog):
    """Record one gebeurtenis. `save(kind, day, data)` is the service call; a refusal shows inline.

    With `correcting`, the form shows an earlier gebeurtenis as it stands, to put right: the kind is fixed and a
    motivatie is asked (`correctie_motivatie`, read by the caller's `save`, which records a correctie)."""

    discard_title = "Niet vastgelegd"
    discard_text = "Wat je hebt ingevuld is nog niet vastgelegd. Weggooien?"

    def __init__(
        self,
        definition: ProcedureDefinition,
        traject: Traject,
        *,
        save: Callable[[EventKind, date, dict[str, object]], Changes],
        people: Mapping[int, str],
        kind: EventKind | None = None,
        fixed: Mapping[str, object] | None = None,
        title: str = "",
        parent: QWidget | None = None,
        session: Session,
        initiator: object = None,
        correcting: TrajectEvent | None = None,
    ) -> None:
        super().__init__(parent, session=session, initiator=initiator)
        self.definition = definition
        self.traject = traject
        self._save = save
        self._people = people
        self._fixed = dict(fixed or {})
        self.correcting = correcting
        if correcting is not None:
            kind = correcting.kind
        self.setWindowTitle(title or "Gebeurtenis vastleggen")
        # Intrekken and corrigeren have their own buttons in the history; a signaal or ziekmelding starts a traject.
        # The checklist is ticked in its own tab (its points are data), never as a loose gebeurtenis.
        self.soort = combo([(k.label, k) for k in EventKind
                            if k not in (EventKind.SIGNAAL, EventKind.ZIEKMELDING, EventKind.CHECKLIST_PUNT)
                            and not k.is_correctie])
        self.soort.setAccessibleName("Soort gebeurtenis")
        if kind is not None:
            index = self.soort.findData(kind)
            if index < 0:
                self.soort.add(kind.label, kind)
                index = self.soort.count() - 1
            self.soort.setCurrentIndex(index)
            self.soort.setEnabled(False)
        self.datum = date_edit(date.today())
        self.datum.setAccessibleName("Datum")
        self.form = QFormLayout()
        self.fields: dict[str, tuple[FieldSpec, QWidget]] = {}
        self.fields_box = QWidget()
        self.fields_box.setLayout(self.form)
        top = QFormLayout()
        top.addRow("&Gebeurtenis:", self.soort)
        top.addRow("&Datum:", self.datum)
        self.vast = QLabel()
        self.vast.setWordWrap(True)
        self.vast.setStyleSheet("color: #555;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.vast)
        layout.addWidget(self.fields_box)
        self.motivatie: QPlainTextEdit | None = None
        self.correctie_motivatie = ""
        if correcting is not None:
            uitleg = QLabel("Zet de datum en de gegevens zoals ze hadden moeten zijn. De oorspronkelijke gebeurtenis "
                            "blijft in de geschiedenis staan, met deze correctie, wie die maakte en waarom.")
            uitleg.setWordWrap(True)
            uitleg.setStyleSheet("color: #555;")
            self.motivatie = QPlainTextEdit()
            self.motivatie.setTabChangesFocus(True)
            self.motivatie.setFixedHeight(60)
            self.motivatie.setAccessibleName("Motivatie van de correctie")
            reden = QFormLayout()
            label = QLabel("&Waarom deze correctie *:")
            label.setBuddy(self.motivatie)
            reden.addRow(label, self.motivatie)
            layout.addWidget(uitleg)
            layout.addLayout(reden)
        layout.addWidget(self.fout)
        layout.addWidget(self.buttons)
        self.soort.currentIndexChanged.connect(self._build_fields)
        # An optional date not ticked shows the gebeurtenis's own date: ticking it starts from there.
        self.datum.dateChanged.connect(self._follow_date)
        self._build_fields()
        if correcting is not None:
            self._fill(correcting)
        self._loaded = self.collect()
        self.setMinimumWidth(520)

    @property
    def kind(self) -> EventKind:
        value: EventKind = self.soort.currentData()
        return value

    # ---- building ------------------------------------------------------------------------------------

    def _build_fields(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields = {}
        fixed_lines = []
        for key, spec in self.kind.fields.items():
            if key in self._fixed:
                fixed_lines.append(f"{spec.label}: {self._describe(spec, self._fixed[key])}")
                continue
            if key == "koppeling_id":
                continue  # the store links or creates the koppeling itself
            widget = self._widget(key, spec)
            widget.setAccessibleName(spec.label)
            label = QLabel(("&" if not self.fields else "") + spec.label + (" *" if spec.required else "") + ":")
            label.setBuddy(widget)
            label.setWordWrap(True)
            self.form.addRow(label, widget)
            self.fields[key] = (spec, widget)
        self._follow_date(self.datum.date())
        self.vast.setText("\n".join(fixed_lines))
        self.vast.setVisible(bool(fixed_lines))
        self.fout.setText("")

    def _widget(self, key: str, spec: FieldSpec) -> QWidget:
        t = spec.type
        if t is FieldType.TEXT:
            if key in _LONG_TEXT:
                edit = QPlainTextEdit()
                edit.setTabChangesFocus(True)
                edit.setFixedHeight(80)
                return edit
            return QLineEdit()
        if t is FieldType.BOOL:
            return _YesNo() if spec.required else QCheckBox()
        if t is FieldType.INT:
            spin = QSpinBox()
            spin.setRange(0, 999)
            return spin
        if t is FieldType.DATE:
            return date_edit(date.today()) if spec.required else _OptionalDate("anders dan de datum hierboven:")
        if t is FieldType.CHOICE:
            items = ([] if spec.required else [("—", None)]) + [(choice_label(c), c) for c in spec.choices]
            if spec.required:
                items = [("— kies —", None), *items]
            return combo(items)
        if t is FieldType.CHOICES:
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            for c in spec.choices:
                check = QCheckBox(choice_label(c))
                check.setProperty("choice", c)
                row.addWidget(check)
            row.addStretch(1)
            return box
        if t is FieldType.STEP:
            return combo([("— kies —", None)] + [(s.short or s.title, s.id) for s in self.definition.steps])
        if t is FieldType.EVENT:
            return combo([("—", None)] + [
                (f"{datum(e.date)} — {e.kind.label}", e.id) for e in reversed(self.traject.events)
            ])
        if t is FieldType.ID:
            return combo([("— kies —", None)] + sorted(((name, i) for i, name in self._people.items()),
                                                       key=lambda x: x[0].casefold()), searchable=True)
        raise AssertionError(t)

    def _describe(self, spec: FieldSpec, value: object) -> str:
        if spec.type is FieldType.STEP and isinstance(value, str) and self.definition.has_step(value):
            step = self.definition.step(value)
            return step.short or step.title
        if spec.type is FieldType.ID:
            # Issue 14: "Nieuwe opleider: 8" told the user nothing; the name does.
            return self._people.get(value, "onbekend") if isinstance(value, int) else "onbekend"
        if isinstance(value, list):
            return ", ".join(choice_label(str(v)) for v in value)
        return choice_label(str(value))

    # ---- reading -------------------------------------------------------------------------------------

    def collect(self) -> dict[str, object]:
        data: dict[str, object] = dict(self._fixed)
        for key, (spec, widget) in self.fields.items():
            value: object = None
            if isinstance(widget, QPlainTextEdit):
                value = widget.toPlainText().strip() or None
            elif isinstance(widget, QLineEdit):
                value = widget.text().strip() or None
            elif isinstance(widget, _YesNo | QComboBox):
                value = widget.currentData()
                if isinstance(widget, QComboBox) and widget.isEditable() and widget.currentIndex() < 0:
                    value = None
            elif isinstance(widget, QCheckBox):
                value = widget.isChecked()
            elif isinstance(widget, (QSpinBox, _OptionalDate)):
                value = widget.value()
            elif spec.type is FieldType.DATE:
                value = pydate(widget.date()).isoformat()  # type: ignore[attr-defined]
            elif spec.type is FieldType.CHOICES:
                value = [c.property("choice") for c in widget.findChildren(QCheckBox) if c.isChecked()] or None
            if value is not None:
                data[key] = value
        return data

    def _follow_date(self, day: QDate) -> None:
        for _, widget in self.fields.values():
            if isinstance(widget, _OptionalDate) and not widget.check.isChecked():
                widget.edit.setDate(day)

    def _fill(self, event: TrajectEvent) -> None:
        """Show `event` as it stands (for a correctie)."""
        self.datum.setDate(qdate(event.date))
        for key, (spec, widget) in self.fields.items():
            value = event.data.get(key)
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(str(value or ""))
            elif isinstance(widget, QLineEdit):
                widget.setText(str(value or ""))
            elif isinstance(widget, _OptionalDate):
                widget.set_value(event.day(key))
            elif isinstance(widget, QComboBox):
                index = widget.findData(value)
                widget.setCurrentIndex(max(index, 0))
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QSpinBox):
                widget.setValue(int(value) if isinstance(value, int) else 0)
            elif spec.type is FieldType.DATE and event.day(key) is not None:
                widget.setDate(qdate(event.day(key)))  # type: ignore[attr-defined, arg-type]
            elif spec.type is FieldType.CHOICES and isinstance(value, list):
                for check in widget.findChildren(QCheckBox):
                    check.setChecked(check.property("choice") in value)

    def accept(self) -> None:
        data = self.collect()
        missing = [spec.label for key, (spec, _) in self.fields.items() if spec.required and key not in data]
        if self.motivatie is not None:
            self.correctie_motivatie = self.motivatie.toPlainText().strip()
            if not self.correctie_motivatie:
                missing.append("waarom deze correctie")
        if missing:
            self.fout.setText("Vul nog in: " + ", ".join(missing) + ".")
            return
        self.finish(lambda: self._save(self.kind, pydate(self.datum.date()), copy.deepcopy(data)))

    @property
    def dirty(self) -> bool:
        return self.collect() != self._loaded

