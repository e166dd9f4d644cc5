"""Reading one version of a gespreksverslag: who, when, which version and why, then each of its verslagen on
its own (title, where it goes, its fields as typed) and, once definitief, its seal and whether it still checks.

Read-only: nothing here writes. The text is built once as escaped HTML in one QTextBrowser, so a long verslag
opens at once and scrolls, and nothing a user typed is ever read as markup.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenu,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core.procedure.events import JsonValue
from ontkoppel_desktop.core.verslagen import (
    GesprekFormulier,
    Veld,
    VeldSoort,
    Verslag,
    VerslagFout,
    gevraagde_velden,
    inhoud,
    is_leeg,
    weergave,
    zegel,
)
from ontkoppel_desktop.ui.dutch import datum
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.verslagen import bijlage_openen, opslaan

# Control characters cannot be typed, but a pasted text may carry them; they are shown as their visible symbols
# (U+2400…) rather than dropped, so the view shows everything the seal covers. Tab and newline stay as they are.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def tekst_html(text: str) -> str:
    """User text as HTML that shows it exactly as typed: escaped, line breaks and runs of spaces kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(lambda m: "\u2421" if m.group() == "\x7f" else chr(0x2400 + ord(m.group())), text)
    return f"<div style='white-space:pre-wrap'>{escape(text)}</div>"


def zegel_tekst(digest: str) -> str:
    """A SHA-256 in groups of four, two lines of eight groups: easy to compare with an archived copy."""
    groups = [digest[i:i + 4] for i in range(0, len(digest), 4)]
    return "\n".join(" ".join(groups[i:i + 8]) for i in range(0, len(groups), 8))


def moment_tekst(moment: dt.datetime | None) -> str:
    """"30 november 2026 om 15:32", in local time."""
    if moment is None:
        return ""
    local = moment.astimezone()
    return f"{datum(local.date())} om {local:%H:%M}"


class VerslagLezen(QDialog):
    """One version of a verslag, read-only. Esc or Sluiten closes it; a new version links to the earlier one."""

    def __init__(self, session: Session, verslag_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.verslag_id = verslag_id
        service = session.store.verslagen
        self.verslag = service.get(verslag_id)
        self.formulier = service.formulier(self.verslag)
        verslag, formulier = self.verslag, self.formulier
        fase = verslag.fase(formulier.heeft_verslag).lower()
        self.setWindowTitle(f"{formulier.titel}, versie {verslag.versie} — {fase}")
        self.tekst = QTextBrowser()
        self.tekst.setOpenLinks(False)  # a link opens another version here, never a browser
        self.tekst.anchorClicked.connect(self._link)
        self.tekst.setAccessibleName("Verslag")
        self.tekst.setHtml(self._html(verslag, formulier))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        # Word and PDF, per verslag of the gesprek and per place it is archived (documents/verslag.py).
        self.opslaan = self.buttons.addButton("Opslaan als &document…", QDialogButtonBox.ButtonRole.ActionRole)
        self.opslaan.setToolTip("Het verslag als Word- of PDF-bestand opslaan, voor het e-portfolio of het dossier "
                                "opleider")
        self.opslaan_menu = QMenu(self.opslaan)
        self.opslaan_menu.aboutToShow.connect(
            lambda: opslaan.vul_menu(self.opslaan_menu, self, self.session, self.verslag_id))
        self.opslaan.setMenu(self.opslaan_menu)
        self.opslaan.setVisible(formulier.heeft_verslag)
        self.vorige: QPushButton | None = None
        if verslag.vorige_id is not None:
            self.vorige = self.buttons.addButton(f"&Vorige versie ({verslag.versie - 1}) bekijken",
                                                 QDialogButtonBox.ButtonRole.ActionRole)
            self.vorige.clicked.connect(self.open_vorige)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tekst, 1)
        layout.addWidget(self.buttons)
        height = 680
        if parent is not None and parent.window().height() > 200:
            height = min(height, int(parent.window().height() * 0.9))
        self.resize(760, height)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()

    # ---- the text ------------------------------------------------------------------------------------

    def _html(self, verslag: Verslag, formulier: GesprekFormulier) -> str:
        service = self.session.store.verslagen
        mensen = service.context(verslag.traject_id)
        rows: list[tuple[str, str]] = [
            ("Aios", escape(mensen.aios)),
            ("Opleider", escape(mensen.opleider)),
            ("Datum gesprek", datum(verslag.datum(formulier)) or "nog niet ingevuld"),
            ("Versie", str(verslag.versie)),
            ("Status", escape(verslag.fase(formulier.heeft_verslag))),
            ("Auteur", escape(verslag.auteur)),
        ]
        if verslag.definitief:
            rows.append(("Afgerond op", moment_tekst(verslag.afgerond_op)))
        else:
            rows.append(("Laatst opgeslagen", moment_tekst(verslag.opgeslagen)))
        if verslag.verstuurd_op is not None and formulier.ontvanger is not None:
            rows.append((f"Verstuurd naar de {formulier.ontvanger.label.lower()}", datum(verslag.verstuurd_op)))
        for plek, day in sorted(verslag.gearchiveerd_op.items(), key=lambda item: item[0].label):
            rows.append((f"Gearchiveerd in het {plek.label}", datum(day)))
        if verslag.vorige_id is not None:
            rows.append(("Reden nieuwe versie", escape(verslag.reden)))
            rows.append(("Vervangt", f"<a href='verslag:{verslag.vorige_id}'>versie {verslag.versie - 1}</a>"))
        nieuwer = self._nieuwere_versie(verslag)
        if nieuwer is not None:
            rows.append(("Vervangen door", f"<a href='verslag:{nieuwer.id}'>versie {nieuwer.versie}</a> "
                                           f"({escape(nieuwer.fase().lower())})"))
        parts = [f"<h2 style='margin-bottom:4px'>{escape(formulier.titel)}</h2>",
                 "<table cellspacing='0' cellpadding='2'>"]
        parts += [f"<tr><td style='color:#555;padding-right:12px'>{label}</td><td>{value}</td></tr>"
                  for label, value in rows]
        parts.append("</table>")
        if not formulier.heeft_verslag:
            # Utrecht: a telefonisch contact, the overdracht and the kennismakingsgesprek have no verslag; what
            # was noted stays with the traject.
            parts.append("<p style='color:#555'>Volgens de procedure hoort bij dit gesprek geen verslag; de "
                         "notities blijven bij het traject.</p>")
            velden = [(v, verslag.antwoorden[v.id]) for v in gevraagde_velden(formulier, verslag.antwoorden)
                      if not is_leeg(verslag.antwoorden.get(v.id))]
            parts += [self._veld_html(veld, value) for veld, value in velden]
        elif not verslag.definitief:
            parts.append("<p style='color:#8a5a00'>Dit is een concept: het is nog niet afgerond en kan nog "
                         "veranderen. Alleen een afgerond verslag is verzegeld.</p>")
        for deel in formulier.delen:
            parts.append(f"<h3 style='margin-top:18px;margin-bottom:2px'>{escape(deel.titel)}</h3>")
            parts.append(f"<p style='color:#555;margin-top:0'>Gaat naar het {escape(deel.bestemming.label)}</p>")
            velden = inhoud(formulier, verslag.antwoorden, deel.id)
            if not velden:
                parts.append("<p><i>Nog niets ingevuld.</i></p>")
            parts += [self._veld_html(veld, value) for veld, value in velden]
            if verslag.definitief:
                parts.append(self._zegel_html(verslag, formulier, deel.id))
        return "".join(parts)

    def _veld_html(self, veld: Veld, value: JsonValue) -> str:
        label = f"<p style='margin-bottom:0'><b>{escape(veld.label)}</b></p>"
        if veld.soort is VeldSoort.BIJLAGE:  # a line per file, with Openen… (after a warning)
            return label + bijlage_openen.bijlagen_html(self.session, value)
        if veld.soort is VeldSoort.OPLEIDER and isinstance(value, int):  # a name, never an id
            found = self.session.store.personen.opleiders(archief=True, ids=[value])
            return label + tekst_html(found[0].naam.volledig if found else "(opleider onbekend)")
        return label + tekst_html(weergave(veld, value))

    def _zegel_html(self, verslag: Verslag, formulier: GesprekFormulier, deel_id: str) -> str:
        stored = verslag.zegels.get(deel_id, "")
        klopt = (verslag.afgerond_op is not None and bool(stored)
                 and zegel(formulier, verslag, deel_id, verslag.afgerond_op) == stored)
        if klopt:
            oordeel = ("<span style='color:#1e6b2e'>Het zegel klopt: de tekst is niet veranderd sinds het "
                       "afronden.</span>")
        else:
            oordeel = ("<span style='color:#b3261e'><b>Het zegel klopt niet:</b> de tekst is veranderd sinds het "
                       "afronden, of het zegel ontbreekt. Meld dit aan de applicatiebeheerder.</span>")
        return (
            "<table cellspacing='0' cellpadding='6' style='margin-top:10px;background:#f3f3f3'><tr><td>"
            f"<b>Zegel (SHA-256)</b><br><span style='font-family:monospace;white-space:pre'>"
            f"{escape(zegel_tekst(stored)) or '—'}</span><br>{oordeel}</td></tr></table>"
        )

    def _nieuwere_versie(self, verslag: Verslag) -> Verslag | None:
        if verslag.gebeurtenis_id is None:
            return None
        newer = [v for v in self.session.store.verslagen.bij_gebeurtenis(verslag.gebeurtenis_id)
                 if v.versie > verslag.versie and v.vorige_id is not None]
        return max(newer, key=lambda v: v.versie, default=None)

    # ---- other versions ------------------------------------------------------------------------------

    def _link(self, url: QUrl) -> None:
        text = url.toString()
        if bijlage_openen.open_link(self, self.session, text):
            return
        if text.startswith("verslag:") and text[8:].isdigit():
            self.open_versie(int(text[8:]))

    def open_vorige(self) -> VerslagLezen | None:
        if self.verslag.vorige_id is None:
            return None
        return self.open_versie(self.verslag.vorige_id)

    def open_versie(self, verslag_id: int) -> VerslagLezen | None:
        """Another version of this verslag, in its own window beside this one (to compare)."""
        try:
            other = VerslagLezen(self.session, verslag_id, self.parentWidget() or self)
        except VerslagFout as exc:
            self.tekst.append(f"<p style='color:#b3261e'>{escape(str(exc))}</p>")
            return None
        other.show_beside(self)
        return other

    def show_beside(self, other: QWidget | None = None) -> None:
        """Show as a window of its own, a little offset from `other`; it is deleted when closed."""
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if other is not None:
            self.move(other.pos().x() + 40, other.pos().y() + 40)
        self.show()
        self.raise_()
        self.activateWindow()


def toon_verslag(parent: QWidget | None, session: Session, verslag_id: int) -> VerslagLezen | None:
    """Open the read-only view of one verslag version (non-modal); a verslag that is gone is said in Dutch."""
    try:
        view = VerslagLezen(session, verslag_id, parent)
    except VerslagFout as exc:
        QMessageBox.information(parent, "Verslag", str(exc))
        return None
    view.show_beside()
    return view
