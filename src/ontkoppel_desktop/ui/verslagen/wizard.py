"""The gesprek wizard: one page per group of questions from the gesprek's data file, guidance beside it, and a
concept that is never lost.

The concept is saved at most 0.4 s after the first unsaved keystroke (so also while typing on without a pause),
on every page change and when the wizard closes; "Opgeslagen om 14:32" says so. Before the store locks or closes
the wizard saves and closes, so nothing confidential stays on screen; after unlocking it opens again at the same
page. A wizard that was open when the app died is offered at the next start (the store keeps `open`).

Voltooien records the gesprek in its traject (the date checks apply there, shown at the field they are about);
Afronden makes the verslag definitief. Both go through the service and `operations.change`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.procedure.events import JsonValue
from ontkoppel_desktop.core.verslagen import (
    GesprekContext,
    GesprekFormulier,
    Pagina,
    VeldSoort,
    Verslag,
    VerslagFout,
    is_leeg,
    ontbrekend,
)
from ontkoppel_desktop.ui import operations, vraag
from ontkoppel_desktop.ui.naam import ask_user_name
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.verslagen.hulp import HulpPaneel
from ontkoppel_desktop.ui.verslagen.veld_widget import VeldWidget
from ontkoppel_desktop.ui.verslagen.velden import VeldContext, maak_veld

log = logging.getLogger(__name__)

# Utrecht practice: a laptop can die mid-sentence. The first unsaved keystroke starts this timer; it is not
# restarted by the next ones, so a docent typing on without a pause loses at most this much.
AUTOSAVE_MS = 400
# After a save the disk refused (full, read-only), tried again this often without waiting for a keystroke.
RETRY_MS = 5000
FOUT_STIJL = "color: #b3261e; font-weight: bold;"

# One wizard per verslag of a store: opening a verslag that is already open raises its window.
_OPEN: dict[tuple[int, int], GesprekWizard] = {}


def open_wizard(session: Session, verslag_id: int) -> GesprekWizard | None:
    """The wizard open on this verslag, if any."""
    return _OPEN.get((id(session), verslag_id))


def _opgeslagen(moment: dt.datetime) -> str:
    """"Concept opgeslagen om 14:32" (today), else with its day."""
    local = moment.astimezone()
    if local.date() == dt.date.today():
        return f"Concept opgeslagen om {local:%H:%M}"
    return f"Concept opgeslagen op {dutch_date(local.date())} om {local:%H:%M}"



def _voor_schermlezer(field: QWidget, label: str, verplicht: bool, hulp: str) -> None:
    """What a screen reader says on a field: its question, whether it is required (the red * is not read) and
    its help as the description."""
    if field.accessibleName() in ("", label):
        field.setAccessibleName(f"{label} (verplicht)" if verplicht else label)
    field.setProperty("hulp", hulp or "")
    if hulp:
        field.setAccessibleDescription(hulp)

class VeldenPagina(QWizardPage):
    """One page of questions. Required fields are QWizard fields ("naam*"), so Volgende waits for them; a
    field asked only after some answer (alleen_als) is checked here, in validatePage."""

    def __init__(self, wizard: GesprekWizard, pagina: Pagina) -> None:
        super().__init__()
        self.gesprek = wizard
        self.pagina = pagina
        self.setTitle(pagina.titel)
        if pagina.uitleg:
            self.setSubTitle(pagina.uitleg)
        self.widgets: dict[str, VeldWidget] = {}
        self.rows: dict[str, tuple[QLabel, QWidget]] = {}
        self._fout_veld: QWidget | None = None  # the field a problem shown is about
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for veld in pagina.velden:
            widget = maak_veld(veld, wizard.veld_context)
            self.widgets[veld.id] = widget
            ster = " <span style='color:#b3261e'>*</span>" if veld.verplicht else ""
            label = QLabel(f"{escape(veld.label)}{ster}")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setBuddy(widget.focus_widget())
            _voor_schermlezer(widget.focus_widget(), veld.label, veld.verplicht, veld.hulp)
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(widget)
            if veld.hulp:
                hulp = QLabel(veld.hulp)
                hulp.setWordWrap(True)
                hulp.setStyleSheet("color: #555;")
                column.addWidget(hulp)
            form.addRow(label, box)
            self.rows[veld.id] = (label, box)
            # Registered before any answer is filled in: QWizard counts a mandatory field as filled when it
            # differs from its value at registration, which is empty.
            mandatory = veld.verplicht and veld.alleen_als is None and veld.soort is not VeldSoort.DATUM
            self.registerField(f"{veld.id}*" if mandatory else veld.id, widget, "waarde", widget.changed)
        self.fout = QLabel()
        self.fout.setWordWrap(True)
        self.fout.setStyleSheet(FOUT_STIJL)
        self.fout.setAccessibleName("Foutmelding")
        self.fout.hide()
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        if pagina.eerder:
            inner_layout.addWidget(self._eerder(wizard))
        inner_layout.addLayout(form)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        if any(v.verplicht for v in pagina.velden):
            verplicht = QLabel("Velden met * zijn verplicht.")
            verplicht.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.fout)
        layout.addWidget(scroll, 1)
        if any(v.verplicht for v in pagina.velden):
            layout.addWidget(verplicht)

    def _eerder(self, wizard: GesprekWizard) -> QWidget:
        """What earlier gesprekken said that this page looks back on (Utrecht 5.3.1: the leerpunten and
        afspraken), read from their verslagen; read-only."""
        antwoorden = wizard.session.store.verslagen.eerder(wizard.verslag.traject_id, self.pagina)
        box = QLabel()
        box.setWordWrap(True)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAccessibleName("Eerder afgesproken")
        box.setStyleSheet("background: #f3f6fa; border: 1px solid #c8d3e0; padding: 6px;")
        if not antwoorden:
            box.setText("<i>Er zijn nog geen eerdere verslagen met leerpunten of afspraken bij dit traject.</i>")
            return box
        parts = []
        for a in antwoorden:
            wanneer = f", {dutch_date(a.datum)}" if a.datum else ""
            status = "" if a.definitief else " (concept)"
            tekst = escape(a.tekst).replace("\n", "<br>")
            parts.append(f"<p style='margin:0 0 6px 0'><b>{escape(a.vraag)}</b> — {escape(a.gesprek)}{wanneer}"
                         f"{status}<br>{tekst}</p>")
        box.setText("".join(parts))
        return box

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        """The answers are filled in once, by the wizard, from the stored concept."""

    def cleanupPage(self) -> None:  # noqa: N802 (Qt API)
        """Going back keeps what was typed (QWizard would reset the page's fields)."""

    def show_error(self, message: str, veld_id: str | None = None) -> None:
        """The problem above the page, and a screen reader told at once (an alert); the focus on the field it is
        about, which carries the message as its description until the problem is gone."""
        self.fout.setText(message)
        self.fout.show()
        QAccessible.updateAccessibility(QAccessibleEvent(self.fout, QAccessible.Event.Alert))
        if veld_id is not None and veld_id in self.widgets:
            field = self.widgets[veld_id].focus_widget()
            field.setAccessibleDescription(f"{message} {field.property('hulp') or ''}".strip())
            self._fout_veld = field
            field.setFocus()

    def clear_error(self) -> None:
        self.fout.hide()
        self.fout.clear()
        field = self._fout_veld
        if field is not None:
            field.setAccessibleDescription(field.property("hulp") or "")
            self._fout_veld = None

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        if self.gesprek.restoring:
            return True
        answers = self.gesprek.answers()
        for veld in self.pagina.velden:
            if veld.verplicht and veld.gevraagd(answers) and is_leeg(answers.get(veld.id)):
                self.show_error(f"Vul '{veld.label}' in.", veld.id)
                return False
        self.clear_error()
        if self.gesprek.nextId() == -1:
            return self.gesprek.finish()
        self.gesprek.save_now()
        return True


class GesprekWizard(QWizard):
    def __init__(self, session: Session, verslag: Verslag, formulier: GesprekFormulier,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.session = session
        self.verslag = verslag
        self.verslag_id = verslag.id
        self.formulier = formulier
        self.restoring = False
        self._closing_for_lock = False
        self._finished = False
        self._closed = False  # done: a closing window (its pages going away) writes nothing more
        self._saved_answers: dict[str, JsonValue] = dict(verslag.antwoorden)
        self._saved_page = verslag.pagina
        self._start_page: int | None = verslag.pagina  # where the docent was: shown when the window first shows
        self._save_error = ""
        context = session.store.verslagen.context(verslag.traject_id)
        wie = context.aios or "aios onbekend"
        self.setWindowTitle(f"{formulier.titel} — {wie}")
        self.setOptions(
            QWizard.WizardOption.IndependentPages
            | QWizard.WizardOption.NoBackButtonOnStartPage
            | QWizard.WizardOption.HaveCustomButton1
            | QWizard.WizardOption.NoDefaultButton
        )
        self.setButtonText(QWizard.WizardButton.BackButton, "< V&orige")
        self.setButtonText(QWizard.WizardButton.NextButton, "&Volgende >")
        self.setButtonText(QWizard.WizardButton.CancelButton, "&Sluiten")
        self.setButtonText(QWizard.WizardButton.CustomButton1, "&Afronden…")
        self.button(QWizard.WizardButton.CancelButton).setToolTip(
            "Sluiten; het concept is opgeslagen en staat bij het traject onder Verslagen")
        self.button(QWizard.WizardButton.CustomButton1).setToolTip(
            "Het verslag definitief maken: verzegeld en niet meer te bewerken")
        self.customButtonClicked.connect(
            lambda which: self.afronden() if which == QWizard.WizardButton.CustomButton1.value else None)
        self.veld_context = VeldContext(session, verslag.id, verslag.auteur, self._opleiders(formulier, context))
        if not formulier.heeft_verslag:
            # Utrecht: a telefonisch contact and the kennismakingsgesprek have no verslag to seal.
            self.setOption(QWizard.WizardOption.HaveCustomButton1, False)
        self._update_finish_text()
        self.pages: list[VeldenPagina] = []
        self.widgets: dict[str, VeldWidget] = {}
        for pagina in formulier.paginas:
            page = VeldenPagina(self, pagina)
            self.addPage(page)
            self.pages.append(page)
            self.widgets.update(page.widgets)

        self.kop = QLabel()
        self.kop.setWordWrap(True)
        self.kop.setTextFormat(Qt.TextFormat.RichText)
        mensen = [f"Aios: {escape(context.aios)}"] if context.aios else []
        if context.opleider:
            mensen.append(f"Opleider: {escape(context.opleider)}")
        if verslag.versie > 1:
            mensen.append(f"Versie {verslag.versie}: {escape(verslag.reden)}")
        self.kop.setText(f"<b>{escape(formulier.titel)}</b><br>" + "<br>".join(mensen))
        self.opgeslagen = QLabel(_opgeslagen(verslag.opgeslagen))
        self.opgeslagen.setAccessibleName("Opslagstatus")
        self.opgeslagen.setWordWrap(True)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 8, 0)
        side_layout.addWidget(self.kop)
        side_layout.addWidget(self.opgeslagen)
        side_layout.addWidget(HulpPaneel(formulier, session.settings), 1)
        self.side = side  # PySide does not hand the side widget to the wizard: keep it alive
        self.setSideWidget(side)

        for veld_id, widget in self.widgets.items():
            widget.set_value(verslag.antwoorden.get(veld_id))
        self._fix_recorded_fields()
        self._update_visibility()
        for widget in self.widgets.values():
            widget.changed.connect(self._on_edit)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save_now)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.save_now)
        # Not before the window is positioned at the page the docent was on (QWizard first shows page 1).
        self.currentIdChanged.connect(
            lambda _: self.save_now() if self._start_page is None and not self.restoring else None)
        session.before_lock.connect(self._on_before_lock)
        session.changed.connect(self._on_changed)
        available = self.screen().availableGeometry()
        self.resize(min(1100, available.width() - 40), min(700, available.height() - 60))

    def _opleiders(self, formulier: GesprekFormulier, context: GesprekContext) -> list[tuple[int, str]]:
        """The opleiders an opleider question offers: not the one the aios leaves; a blocked one says so."""
        if not any(v.soort is VeldSoort.OPLEIDER for v in formulier.velden):
            return []
        store = self.session.store
        blocked = store.trajecten.blokkades()
        praktijken = {p.id: p.weergave for p in store.personen.praktijken()}
        result = []
        for o in sorted(store.personen.opleiders(), key=lambda o: o.naam.sorteernaam):
            if o.id is None or o.id == context.opleider_id:
                continue
            label = o.naam.volledig + (f" ({praktijken[o.praktijk_id]})" if o.praktijk_id in praktijken else "")
            if o.id in blocked:
                label += " — geblokkeerd, geen nieuwe aios"
            result.append((o.id, label))
        return result

    # ---- answers and saving --------------------------------------------------------------------------

    def answers(self) -> dict[str, JsonValue]:
        return {veld_id: value for veld_id, w in self.widgets.items() if (value := w.value()) is not None}

    @property
    def dirty(self) -> bool:
        """False: everything typed is in the store (MainWindow asks before closing over unsaved forms)."""
        return self._save_error != "" or self.answers() != self._saved_answers

    def _on_edit(self) -> None:
        self._update_visibility()
        if not self._timer.isActive():
            self._timer.start()

    def save_now(self, *, open_: bool = True) -> bool:
        """Write the concept to the store if anything changed; True when the store holds what is on screen."""
        self._timer.stop()
        if self._closed or self.session.is_locked or self.verslag.definitief:
            return False
        answers = self.answers()
        page = max(0, self.currentId())
        if answers == self._saved_answers and page == self._saved_page and not self._save_error:
            return True
        errors: list[str] = []
        done = operations.change(
            self, self.session,
            lambda: self.session.store.verslagen.bewaar(self.verslag_id, answers, page, auteur=self.verslag.auteur,
                                                        open_=open_),
            initiator=self, on_error=errors.append)
        if done is None:
            self._save_error = errors[0] if errors else "onbekende fout"
            self.opgeslagen.setText(f"<span style='{FOUT_STIJL}'>Niet opgeslagen: {escape(self._save_error)}</span>")
            # A full or read-only disk may be fixed without the docent typing again: tried again by itself.
            self._retry.start()
            return False
        self._retry.stop()
        self._save_error = ""
        self._saved_answers = answers
        self._saved_page = page
        self.opgeslagen.setText(_opgeslagen(dt.datetime.now(dt.UTC)))
        return True

    # ---- the recorded gesprek --------------------------------------------------------------------------

    def _fix_recorded_fields(self) -> None:
        """Once the gesprek is recorded, its date and the choices that went into the traject are fixed."""
        vast = self.session.store.verslagen.vaste_antwoorden(self.verslag)
        for veld_id, widget in self.widgets.items():
            fixed = veld_id in vast
            widget.set_fixed(fixed)
            widget.setToolTip("Vastgelegd in het traject; corrigeer het daar, in de geschiedenis." if fixed else "")
        self._update_finish_text()

    def _update_finish_text(self) -> None:
        if self.verslag.voltooid:
            self.setButtonText(QWizard.WizardButton.FinishButton, "&Opslaan en sluiten")
            self.button(QWizard.WizardButton.FinishButton).setToolTip("Het concept opslaan en sluiten")
        else:
            self.setButtonText(QWizard.WizardButton.FinishButton, "V&oltooien")
            self.button(QWizard.WizardButton.FinishButton).setToolTip(
                "Het gesprek vastleggen in het traject, zodat de termijnen volgen; het verslag blijft een concept")

    def _update_visibility(self) -> None:
        answers = self.answers()
        for page in self.pages:
            for veld in page.pagina.velden:
                shown = veld.gevraagd(answers)
                label, box = page.rows[veld.id]
                label.setVisible(shown)
                box.setVisible(shown)

    def _show_problem(self, fout: VerslagFout) -> None:
        """Go to the page of the field a refusal is about, and say it there."""
        veld_id = fout.veld if fout.veld is not None and self.formulier.heeft_veld(fout.veld) else None
        target = self.formulier.pagina_van(veld_id) if veld_id is not None else max(0, self.currentId())
        self.pages[target].show_error(str(fout), veld_id)

        def go() -> None:  # after the check of the page that asked (QWizard ignores moves during it)
            self._go_to(target)
            if veld_id is not None:
                self.widgets[veld_id].focus_widget().setFocus()

        if self.currentId() == target:
            go()
        else:
            QTimer.singleShot(0, go)

    def _problem(self) -> VerslagFout | None:
        missing = ontbrekend(self.formulier, self.answers())
        return VerslagFout(f"Vul '{missing[0].label}' in.", missing[0].id) if missing else None

    def finish(self) -> bool:
        """Finish on the last page: record the gesprek (Voltooien), or save a recorded one; True to close."""
        if not self.save_now():
            self.pages[self.currentId()].show_error(f"Het concept is niet opgeslagen: {self._save_error}")
            return False
        al_voltooid = self.verslag.voltooid
        failed: list[VerslagFout] = []
        user = self.verslag.auteur

        def voltooien() -> Changes:  # for a gesprek recorded earlier: records what it still lacks (its uitkomst)
            try:
                return self.session.store.verslagen.voltooien(self.verslag_id, user=user)
            except VerslagFout as exc:
                failed.append(exc)
                raise

        if operations.change(self, self.session, voltooien, initiator=self, on_error=lambda _m: None) is None:
            self._show_problem(failed[0] if failed else VerslagFout("Het gesprek is niet vastgelegd."))
            return False
        self._finished = True
        if not al_voltooid:
            self._announce("Het gesprek is vastgelegd in het traject. Het verslag blijft een concept tot je het "
                           "afrondt." if self.formulier.heeft_verslag else "Het gesprek is vastgelegd in het traject.")
        return True

    def afronden(self) -> None:
        if not self.save_now():
            return
        problem = self._problem()
        if problem is not None:
            self._show_problem(problem)
            return
        plekken = " en ".join(b.label for b in sorted(self.formulier.bestemmingen))
        if not vraag.bevestig(
                self, "Verslag afronden",
                f"Het verslag wordt definitief: het wordt verzegeld en kan daarna niet meer worden bewerkt. Een "
                f"correctie wordt een nieuwe versie, met een reden.\n\nDaarna gaat het naar de "
                f"{self.formulier.ontvanger.label.lower()}, voor het {plekken}.",
                "Verslag &afronden", niet_doen="&Nog niet"):
            return
        failed: list[VerslagFout] = []
        user = self.verslag.auteur

        def afronden() -> Changes:
            try:
                return self.session.store.verslagen.afronden(self.verslag_id, user=user)
            except VerslagFout as exc:
                failed.append(exc)
                raise

        if operations.change(self, self.session, afronden, initiator=self, on_error=lambda _m: None) is None:
            self._show_problem(failed[0] if failed else VerslagFout("Het verslag is niet afgerond."))
            return
        self.verslag = self.session.store.verslagen.get(self.verslag_id)
        self._finished = True
        self._announce("Het verslag is definitief en verzegeld. Vul bij het traject in wanneer het verstuurd en "
                       "gearchiveerd is.")
        self.close()

    def _announce(self, text: str) -> None:
        window = self.parentWidget().window() if self.parentWidget() is not None else None
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(text, 10_000)

    # ---- navigation --------------------------------------------------------------------------------

    def _go_to(self, index: int) -> None:
        """Show page `index` without the checks of Volgende (a concept may have gaps before it)."""
        index = max(0, min(index, len(self.pages) - 1))
        self.restoring = True
        try:
            if self.currentId() > index:
                while self.currentId() > index:
                    self.back()
            else:
                while self.currentId() < index and self.currentId() != -1:
                    before = self.currentId()
                    self.next()
                    if self.currentId() == before:
                        break
        finally:
            self.restoring = False

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)  # type: ignore[arg-type]
        if self._start_page is not None:
            page, self._start_page = self._start_page, None
            if self.currentId() != page:
                self._go_to(page)

    # ---- closing, locking ------------------------------------------------------------------------------

    def _on_before_lock(self) -> None:
        """The store is about to lock or close: save, close, and open again after unlocking."""
        if self._finished or self._closing_for_lock:
            return
        if self.verslag_id not in self.session.verslagen_na_ontgrendelen:
            self.session.verslagen_na_ontgrendelen.append(self.verslag_id)
        if not self.save_now(open_=True) and self._save_error:
            # The disk refused the concept (full, read-only): what was typed since lives only in this window.
            # It is hidden, not closed, and shown again after unlocking, where the save is tried again.
            self._retry.stop()
            self.hide()
            return
        self._closing_for_lock = True
        self.close()

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        if initiator is self or self._finished or not changes.touches("verslag", self.verslag_id):
            return
        if self.session.is_locked:
            return
        current = self.session.store.verslagen.get(self.verslag_id)
        if current.definitief:
            # Afgerond from the traject's list while this window was open: nothing more to write here.
            self._finished = True
            self.close()

    def done(self, result: int) -> None:
        accepted = result == QDialog.DialogCode.Accepted.value
        # QWizard.done checks the page itself on Finish; checked here first, so the window only closes (and
        # the concept is only let go) once the gesprek is recorded.
        if accepted and not self._finished and not self.validateCurrentPage():
            return
        self._timer.stop()
        if not self._closing_for_lock and not self.session.is_locked:
            unsaved = not self._finished and not self.save_now(open_=False) and bool(self._save_error)
            if unsaved and not accepted and not operations.confirm_discard(
                self, "Concept niet opgeslagen",
                f"Het concept kon niet worden opgeslagen: {self._save_error}\n\nAls je het venster nu "
                "sluit, gaat verloren wat je typte sinds het laatst opgeslagen werd. Los het eerst op en "
                "laat het venster open: het wordt vanzelf opnieuw geprobeerd.",
            ):
                return
            self._retry.stop()
            if not self._save_error:
                operations.change(self, self.session, lambda: self.session.store.verslagen.sluit(self.verslag_id),
                                  initiator=self)
        self._closed = True
        self._disconnect()
        if accepted:
            QDialog.done(self, result)  # validated above; QWizard.done would check the page a second time
        else:
            super().done(result)

    def _disconnect(self) -> None:
        if _OPEN.get((id(self.session), self.verslag_id)) is self:
            del _OPEN[(id(self.session), self.verslag_id)]
        try:
            self.session.before_lock.disconnect(self._on_before_lock)
            self.session.changed.disconnect(self._on_changed)
        except (RuntimeError, TypeError):  # already disconnected
            pass


# ---- opening ---------------------------------------------------------------------------------------------


def _show(wizard: GesprekWizard) -> GesprekWizard:
    _OPEN[(id(wizard.session), wizard.verslag_id)] = wizard
    wizard.show()
    wizard.raise_()
    wizard.activateWindow()
    return wizard


def start_gesprek(parent: QWidget, session: Session, traject_id: int, gesprek: str, *,
                  gebeurtenis_id: str | None = None, gegevens: Mapping[str, object] | None = None) -> QWidget | None:
    """Ask the user's name if needed, create a concept for `gesprek` on the traject (the people and today's date
    filled in, and `gegevens` of its gebeurtenis: the opleider chosen in the 1-op-1), and open its wizard. With
    `gebeurtenis_id`: the verslag of a gesprek already recorded."""
    user = ask_user_name(parent, session, "het nieuwe verslag")  # the author of the verslag
    if not user:
        return None
    changes = operations.change(
        parent, session,
        lambda: session.store.verslagen.nieuw(traject_id, gesprek, auteur=user, gebeurtenis_id=gebeurtenis_id,
                                              gegevens=gegevens),
        initiator=parent)
    if changes is None or not isinstance(changes.created, int):
        return None
    return open_verslag(parent, session, changes.created)


def open_verslag(parent: QWidget | None, session: Session, verslag_id: int) -> QWidget | None:
    """The wizard for the author's own concept (raising it when it is already open), else the read-only
    view."""
    existing = open_wizard(session, verslag_id)
    if existing is not None:
        if existing.dirty:
            existing.save_now()  # kept open by a lock while the disk refused it: tried again now
        existing.show()
        existing.raise_()
        existing.activateWindow()
        return existing
    service = session.store.verslagen
    verslag = operations.run(parent, lambda: service.get(verslag_id))
    if verslag is None:
        return None
    if verslag.definitief or verslag.auteur != session.settings.gebruikersnaam.strip():
        from ontkoppel_desktop.ui.verslagen.lezen import VerslagLezen

        view = VerslagLezen(session, verslag_id, parent)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.show()
        return view
    formulier = operations.run(parent, lambda: service.formulier(verslag))
    if formulier is None:
        return None
    if operations.change(parent, session, lambda: service.heropen(verslag_id, auteur=verslag.auteur)) is None:
        return None
    return _show(GesprekWizard(session, service.get(verslag_id), formulier, parent))


def heropen_na_ontgrendelen(parent: QWidget, session: Session) -> None:
    """After unlocking: the wizards that the lock closed open again, at the page they were on."""
    ids, session.verslagen_na_ontgrendelen[:] = list(session.verslagen_na_ontgrendelen), []
    for verslag_id in ids:
        open_verslag(parent, session, verslag_id)


def bied_open_concepten_aan(parent: QWidget, session: Session) -> list[QWidget]:
    """At the start: the concepts a wizard had open when the app stopped (a crash, an empty battery) are
    offered, exactly as last saved."""
    naam = session.settings.gebruikersnaam.strip()
    if not naam or session.is_locked:
        return []
    service = session.store.verslagen
    concepten = service.open_concepten(naam)
    if not concepten:
        return []
    regels = []
    for verslag in concepten:
        context = service.context(verslag.traject_id)
        titel = service.formulier(verslag).titel
        regels.append(f"• {titel} — {context.aios}, opgeslagen op "
                      f"{verslag.opgeslagen.astimezone():%d-%m-%Y om %H:%M}")
    box = QMessageBox(QMessageBox.Icon.Question, "Onafgemaakte verslagen",
                      "Deze verslagen stonden open toen Ontkoppel Desktop de vorige keer stopte. Ze zijn bewaard "
                      "zoals ze het laatst werden opgeslagen:\n\n" + "\n".join(regels), parent=parent)
    verder = box.addButton("&Verder schrijven", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("&Niet nu", QMessageBox.ButtonRole.RejectRole)
    box.setInformativeText("Bij 'Niet nu' blijven ze als concept bij hun traject, onder Verslagen.")
    box.exec()
    if box.clickedButton() is not verder:
        for verslag in concepten:
            operations.change(parent, session, lambda v=verslag: service.sluit(v.id))
        return []
    opened = [open_verslag(parent, session, v.id) for v in concepten]
    return [w for w in opened if w is not None]


__all__ = [
    "AUTOSAVE_MS",
    "GesprekWizard",
    "VeldenPagina",
    "bied_open_concepten_aan",
    "open_wizard",
    "heropen_na_ontgrendelen",
    "open_verslag",
    "start_gesprek",
]
