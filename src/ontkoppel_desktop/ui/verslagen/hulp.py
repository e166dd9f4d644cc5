"""The guidance beside a gesprek wizard: the handvat of the gesprek type (topics and questions, from its data file)
and the support the procedure names in section 3, with the links set in the settings."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser

from ontkoppel_desktop.core.verslagen import GesprekFormulier
from ontkoppel_desktop.settings import Settings

# Utrecht section 3: who can support an aios or opleider during an ontkoppeling.
STEUN = (
    ("link_lovah_leidraad", "LOVAH-leidraad bij (dreigende) ontkoppeling",
     "De belangenbehartiger van aios; de leidraad geeft informatie voor de aios."),
    ("link_sboh_coaching", "Coaching via de SBOH",
     "De werkgever van de aios biedt kosteloze coaching; de aios kiest zelf het traject."),
    ("link_vertrouwenspersoon", "Vertrouwenspersoon",
     "Voor aios, opleiders en medewerkers: advies of bemiddeling."),
)


def hulp_html(formulier: GesprekFormulier, settings: Settings) -> str:
    parts = [f"<h3 style='margin-top:0'>{escape(formulier.titel)}</h3>",
             f"<p style='color:#555'>Paragraaf {escape(formulier.sectie)} van de procedure</p>"]
    handvat = formulier.handvat
    if handvat is not None:
        parts.append(f"<h4>{escape(handvat.titel)}</h4>")
        if handvat.voorbeeld:
            parts.append("<p style='background:#fff4ce;padding:4px'><b>Voorbeeld.</b> Deze tekst staat als "
                         f"voorbeeld in het gespreksbestand ({escape(formulier.file)}); het instituut vervangt hem "
                         "door het eigen handvat.</p>")
        if handvat.inleiding:
            parts.append(f"<p>{escape(handvat.inleiding)}</p>")
        for onderwerp in handvat.onderwerpen:
            parts.append(f"<p style='margin-bottom:2px'><b>{escape(onderwerp.titel)}</b></p><ul style='margin-top:0'>")
            parts.extend(f"<li>{escape(vraag)}</li>" for vraag in onderwerp.vragen)
            parts.append("</ul>")
    parts.append("<h4>Ondersteuning (paragraaf 3)</h4><ul style='margin-top:0'>")
    for key, label, uitleg in STEUN:
        link = str(getattr(settings, key, "")).strip()
        if link:
            parts.append(f"<li><a href='{escape(link, quote=True)}'>{escape(label)}</a><br>"
                         f"<span style='color:#555'>{escape(uitleg)}</span></li>")
        else:
            parts.append(f"<li>{escape(label)} <span style='color:#555'>(link nog niet ingesteld: "
                         f"Bestand › Instellingen)</span><br><span style='color:#555'>{escape(uitleg)}</span></li>")
    parts.append("</ul>")
    return "".join(parts)


class HulpPaneel(QTextBrowser):
    def __init__(self, formulier: GesprekFormulier, settings: Settings) -> None:
        super().__init__()
        self.setOpenExternalLinks(True)
        self.setAccessibleName("Hulp bij het gesprek")
        self.setMinimumWidth(260)
        self.setMaximumWidth(360)
        self.setHtml(hulp_html(formulier, settings))
