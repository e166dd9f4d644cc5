"""The checklist ontkoppeling for jaarassistenten in a traject (core.procedure.checklist): a check box per point,
with who ticked it and when; ticking the last one records the administratieve afhandeling as done."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QCheckBox, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from ontkoppel_desktop.core.procedure import Traject, is_ontkoppeld
from ontkoppel_desktop.core.procedure.checklist import Checklist, afgevinkt
from ontkoppel_desktop.ui import operations
from ontkoppel_desktop.ui.dutch import datum
from ontkoppel_desktop.ui.naam import ask_user_name
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.trajecten.common import today


class ChecklistTab(QWidget):
    def __init__(self, session: Session, initiator: object) -> None:
        super().__init__()
        self.session = session
        self.initiator = initiator
        self.traject: Traject | None = None
        self.checklist: Checklist | None = None
        self.uitleg = QLabel()
        self.uitleg.setWordWrap(True)
        self.boxes: dict[str, tuple[QCheckBox, QLabel]] = {}
        self.punten = QVBoxLayout()
        inhoud = QWidget()
        layout = QVBoxLayout(inhoud)
        layout.addWidget(self.uitleg)
        layout.addLayout(self.punten)
        layout.addStretch(1)
        # Scrolls rather than asks for height: a long checklist must not make the window taller than a laptop screen.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inhoud)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def show_traject(self, traject: Traject | None) -> None:
        self.traject = traject
        try:
            self.checklist = self.session.store.trajecten.checklist(traject) if traject is not None else None
        except Exception as exc:  # noqa: BLE001 - a faulty checklist file is said, not fatal
            self.checklist = None
            self.uitleg.setText(f"De checklist kan niet worden geladen: {escape(operations.user_message(exc))}")
            self._clear()
            return
        self._clear()
        if traject is None or self.checklist is None:
            self.uitleg.setText("" if traject is None else "Deze procedureversie heeft geen checklist ontkoppeling.")
            return
        ticked = afgevinkt(traject, self.checklist)
        ontkoppeld = is_ontkoppeld(traject)
        self.uitleg.setText(
            f"<b>{escape(self.checklist.titel)}</b><br>Zijn alle punten afgevinkt, dan is de administratieve "
            "afhandeling van het traject gedaan." if ontkoppeld else
            f"<b>{escape(self.checklist.titel)}</b><br>De checklist hoort bij een ontkoppeling: hij is af te vinken "
            "zodra het formele besluit tot ontkoppeling is vastgelegd.")
        for punt in self.checklist.punten:
            box = QCheckBox(punt.tekst)
            box.setToolTip(punt.toelichting)
            event = ticked.get(punt.id)
            box.setChecked(event is not None)
            box.setEnabled(ontkoppeld and not traject.closed)
            box.toggled.connect(lambda checked, p=punt.id: self._toggle(p, checked))
            wanneer = QLabel(f"afgevinkt op {datum(event.date)} door {escape(event.user)}" if event else
                             punt.toelichting)
            wanneer.setWordWrap(True)
            wanneer.setStyleSheet("color: #555; margin-left: 22px;")
            self.punten.addWidget(box)
            self.punten.addWidget(wanneer)
            self.boxes[punt.id] = (box, wanneer)

    def _clear(self) -> None:
        for box, label in self.boxes.values():
            box.deleteLater()
            label.deleteLater()
        self.boxes = {}

    def _toggle(self, punt: str, checked: bool) -> None:
        traject = self.traject
        if traject is None or traject.id is None:
            return
        session = self.session
        user = ask_user_name(self, session, "het afvinken")
        traject_id = traject.id
        done = None
        if user:
            service = session.store.trajecten
            done = operations.change(
                self, session,
                (lambda: service.vink(traject_id, punt, today(), user=user)) if checked else
                (lambda: service.ontvink(traject_id, punt, user=user)),
                initiator=self.initiator)
        if done is None:  # refused or no name: the box shows what is stored
            box = self.boxes[punt][0]
            box.blockSignals(True)
            box.setChecked(not checked)
            box.blockSignals(False)


__all__ = ["ChecklistTab"]
