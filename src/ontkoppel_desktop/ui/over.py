"""Help › Over: the version of the app and the licences of the components it carries (issue 14).

Versions and licences are read from the installed packages' metadata (importlib.metadata: the licence expression,
else a short License field, else the licence classifier). The frozen bundle keeps the metadata of only a few
packages, so the version falls back to the module's own `__version__`, and the licence to the list here. Components
that are no Python package (Qt, SQLCipher, PDFium, OpenSSL, the DejaVu fonts) are asked for their own version.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop import APP_NAME, __version__


@dataclass(frozen=True)
class Onderdeel:
    naam: str
    waarvoor: str  # what the app uses it for, in Dutch
    distributie: str = ""  # the name importlib.metadata knows
    module: str = ""  # to read __version__ where the metadata is not there (the bundle)
    licentie: str = ""  # when the metadata says nothing (or is not there)
    versie: Callable[[], str] | None = None  # a component that is no Python package says its own


def _qt() -> str:
    return qVersion()


def _sqlcipher() -> str:
    import sqlcipher3

    verbinding = sqlcipher3.connect(":memory:")
    try:
        return str(verbinding.execute("PRAGMA cipher_version").fetchone()[0])
    finally:
        verbinding.close()


def _sqlite() -> str:
    import sqlcipher3

    return str(sqlcipher3.sqlite_version)


def _pdfium() -> str:
    from pypdfium2.version import PDFIUM_INFO

    return str(PDFIUM_INFO.build)


def _openssl() -> str:
    from cryptography.hazmat.backends.openssl.backend import backend

    return str(backend.openssl_version_text()).removeprefix("OpenSSL ").split(" ")[0]


ONDERDELEN: tuple[Onderdeel, ...] = (
    Onderdeel("Python", "de programmeertaal", licentie="PSF-2.0", versie=lambda: sys.version.split()[0]),
    Onderdeel("Qt", "vensters, knoppen en afdrukken", licentie="LGPL-3.0-only", versie=_qt),
    Onderdeel("PySide6", "Qt vanuit Python", "PySide6_Essentials", "PySide6", "LGPL-3.0-only"),
    Onderdeel("shiboken6", "Qt vanuit Python", "shiboken6", "shiboken6", "LGPL-3.0-only"),
    Onderdeel("SQLCipher", "de versleutelde opslag", licentie="BSD-3-Clause", versie=_sqlcipher),
    Onderdeel("SQLite", "de database in de opslag", licentie="publiek domein", versie=_sqlite),
    Onderdeel("sqlcipher3", "SQLCipher vanuit Python", "sqlcipher3", licentie="Zlib"),
    Onderdeel("cryptography", "sleutels en versleuteling", "cryptography", "cryptography",
              "Apache-2.0 OR BSD-3-Clause"),
    Onderdeel("OpenSSL", "versleuteling (in cryptography)", licentie="Apache-2.0", versie=_openssl),
    Onderdeel("argon2-cffi", "de sleutel uit het wachtwoord afleiden", "argon2-cffi", licentie="MIT"),
    Onderdeel("argon2-cffi-bindings", "Argon2 vanuit Python", "argon2-cffi-bindings", licentie="MIT"),
    Onderdeel("cffi", "C-bibliotheken vanuit Python", "cffi", "_cffi_backend", "MIT-0"),
    Onderdeel("zxcvbn", "de sterkte van een wachtwoord", "zxcvbn", licentie="MIT"),
    Onderdeel("PyNaCl", "verslagen verzegelen voor het instituut", "PyNaCl", "nacl", "Apache-2.0"),
    Onderdeel("libsodium", "verzegelen en ondertekenen (in PyNaCl)", licentie="ISC",
              versie=lambda: "meegeleverd met PyNaCl"),
    Onderdeel("python-docx", "Word-documenten", "python-docx", "docx", "MIT"),
    Onderdeel("lxml", "XML in Word-documenten", "lxml", "lxml", "BSD-3-Clause"),
    Onderdeel("reportlab", "PDF-documenten", "reportlab", "reportlab", "BSD-3-Clause"),
    Onderdeel("Pillow", "afbeeldingen, zoals het logo", "pillow", "PIL", "MIT-CMU"),
    Onderdeel("arabic-reshaper", "Arabisch schrift in PDF's", "arabic-reshaper", "arabic_reshaper", "MIT"),
    Onderdeel("python-bidi", "rechts-naar-links schrift in PDF's", "python-bidi", "bidi", "LGPL-3.0-or-later"),
    Onderdeel("DejaVu Sans", "het lettertype van de PDF's", licentie="Bitstream Vera-licentie (vrij)",
              versie=lambda: "2.37"),
    Onderdeel("openpyxl", "Excel-bestanden lezen en schrijven", "openpyxl", "openpyxl", "MIT"),
    Onderdeel("et_xmlfile", "XML voor openpyxl", "et_xmlfile", "et_xmlfile", "MIT"),
    Onderdeel("python-calamine", "Excel- en OpenDocument-bestanden lezen", "python-calamine", licentie="MIT"),
    Onderdeel("XlsxWriter", "Excel-bestanden schrijven", "XlsxWriter", "xlsxwriter", "BSD-2-Clause"),
    Onderdeel("NumPy", "rekenen voor de koppelplanner", "numpy", "numpy", "BSD-3-Clause"),
    Onderdeel("SciPy (alleen _lsap)", "de beste koppeling voor de hele groep", "scipy", "", "BSD-3-Clause"),
    Onderdeel("icalendar", "agendabestanden (.ics)", "icalendar", "icalendar", "BSD-2-Clause"),
    Onderdeel("python-dateutil", "datums in agendabestanden", "python-dateutil", "dateutil", "Apache-2.0 OR BSD"),
    Onderdeel("tzdata", "tijdzones", "tzdata", "tzdata", "Apache-2.0"),
    Onderdeel("holidays", "feestdagen bij termijnen", "holidays", "holidays", "MIT"),
    Onderdeel("platformdirs", "de mappen van het systeem", "platformdirs", "platformdirs", "MIT"),
    Onderdeel("pypdfium2", "het voorbeeld van documenten", "pypdfium2", "", "BSD-3-Clause OR Apache-2.0"),
    Onderdeel("PDFium", "PDF's tekenen (in pypdfium2)", licentie="BSD-3-Clause", versie=_pdfium),
)

# Licence classifiers as a short name.
_KLASSEN = {
    "MIT License": "MIT",
    "BSD License": "BSD",
    "Apache Software License": "Apache",
    "GNU Library or Lesser General Public License (LGPL)": "LGPL",
    "Python Software Foundation License": "PSF",
}


def metadata_licentie(meta: metadata.PackageMetadata) -> str:
    """The licence the package's metadata gives: the SPDX expression, a short License field, or the classifiers."""
    expressie = meta.get("License-Expression")
    if expressie:
        return str(expressie).strip()
    veld = str(meta.get("License") or "").strip()
    if veld and "\n" not in veld and len(veld) <= 60 and not veld.lower().startswith(("copyright", "dual")):
        return veld
    klassen = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return " OR ".join(_KLASSEN.get(k, k) for k in klassen)


@dataclass(frozen=True)
class Regel:
    naam: str
    versie: str
    licentie: str
    waarvoor: str


def regel(onderdeel: Onderdeel) -> Regel:
    versie = licentie = ""
    if onderdeel.distributie:
        try:
            meta = metadata.metadata(onderdeel.distributie)
            versie = str(meta["Version"])
            licentie = metadata_licentie(meta)
        except metadata.PackageNotFoundError:
            pass
    try:
        if not versie and onderdeel.versie is not None:
            versie = onderdeel.versie()
        if not versie and onderdeel.module:
            module = importlib.import_module(onderdeel.module)
            versie = str(getattr(module, "__version__", "") or getattr(module, "VERSION", ""))
    except Exception:  # noqa: BLE001 - a component that cannot say its version is listed without it
        versie = ""
    return Regel(onderdeel.naam, versie or "—", licentie or onderdeel.licentie or "onbekend", onderdeel.waarvoor)


class OverDialog(QDialog):
    """The version of the app and, in a list that scrolls, every component with its version and licence."""

    # Nothing from the store is in it: it stays open while the store is locked (ui/main_window.py).
    openbaar = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Over {APP_NAME}")
        kop = QLabel(f"<h2>{APP_NAME} {__version__}</h2><p>Ontkoppelingstrajecten, termijnen, koppelingen en "
                     "gespreksverslagen voor de huisartsopleiding, in één versleuteld bestand (SQLCipher).</p>"
                     "<p>De app bevat deze onderdelen van anderen, elk onder een eigen licentie:</p>")
        kop.setWordWrap(True)
        kop.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lijst = QTreeWidget()
        self.lijst.setObjectName("onderdelen")
        self.lijst.setAccessibleName("Onderdelen met hun versie en licentie")
        self.lijst.setColumnCount(4)
        self.lijst.setHeaderLabels(["Onderdeel", "Versie", "Licentie", "Waarvoor"])
        self.lijst.setRootIsDecorated(False)
        self.lijst.setAlternatingRowColors(True)
        self.lijst.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.regels = [regel(o) for o in ONDERDELEN]
        for r in self.regels:
            item = QTreeWidgetItem([r.naam, r.versie, r.licentie, r.waarvoor])
            for kolom, tekst in enumerate((r.naam, r.versie, r.licentie, r.waarvoor)):
                item.setToolTip(kolom, tekst)
            self.lijst.addTopLevelItem(item)
        kopregel = self.lijst.header()
        for kolom in range(3):
            kopregel.setSectionResizeMode(kolom, QHeaderView.ResizeMode.ResizeToContents)
        kopregel.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        kopregel.setStretchLastSection(True)
        self.lijst.setCurrentItem(self.lijst.topLevelItem(0))
        lijst_label = QLabel("&Onderdelen:")
        lijst_label.setBuddy(self.lijst)
        voet = QLabel("De licentieteksten staan bij elk onderdeel op de website van het project. Qt en PySide6 "
                      "vallen onder de LGPL: je mag ze vervangen door een andere versie; 'Over Qt' zegt meer.")
        voet.setWordWrap(True)
        knoppen = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        sluiten = knoppen.button(QDialogButtonBox.StandardButton.Close)
        sluiten.setText("&Sluiten")
        self.over_qt = QPushButton("Over &Qt…")
        self.over_qt.setAutoDefault(False)
        self.over_qt.clicked.connect(lambda: QMessageBox.aboutQt(self, "Over Qt"))
        knoppen.addButton(self.over_qt, QDialogButtonBox.ButtonRole.HelpRole)
        knoppen.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(kop)
        layout.addWidget(lijst_label)
        layout.addWidget(self.lijst, 1)
        layout.addWidget(voet)
        layout.addWidget(knoppen)
        beschikbaar = self.screen().availableGeometry()
        self.resize(min(1000, beschikbaar.width() - 40), min(620, beschikbaar.height() - 60))


__all__ = ["ONDERDELEN", "OverDialog", "metadata_licentie", "regel"]
