"""User settings, declared once with their defaults (cf. Picard's config.py).

Stored as JSON in paths.settings_file(). Nothing secret lives here: never the wachtwoord or a key.
Qt-free, so the headless commands can read it too; the UI keeps window geometry here as base64 text.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from ontkoppel_desktop import paths
from ontkoppel_desktop.atomic import write_atomic
from ontkoppel_desktop.core.bewaartermijn import Bewaartermijnen

_STANDAARD = Bewaartermijnen()


@dataclass
class Settings:
    last_store: str = ""
    recent_stores: list[str] = field(default_factory=list)
    # Utrecht practice: a laptop left alone must lock; 5 minutes is the default the issue asks for.
    idle_lock_minutes: float = 5.0
    # Also lock when the main window is minimised (KeePassXC's option). A screen lock or sleep always locks.
    vergrendelen_bij_minimaliseren: bool = False
    # The name recorded in the history of every change ("wie").
    gebruikersnaam: str = ""
    window_geometry: dict[str, str] = field(default_factory=dict)
    # The support the procedure names in section 3, shown beside every gesprek: the LOVAH's leidraad for aios,
    # the SBOH's coaching, and the institute's own vertrouwenspersoon (which only the institute can fill in).
    link_lovah_leidraad: str = "https://www.lovah.nl"
    link_sboh_coaching: str = "https://www.sboh.nl"
    link_vertrouwenspersoon: str = ""
    # The institute's own standaardberichten (core.berichten): a file there replaces the bundled one of the same
    # name. A folder of its own, because an installed program folder is not writable. "" = only the bundled ones.
    berichten_map: str = ""
    # The institute profile of every document (documents/profiel.py): a name instead of the procedure file's
    # opleiding, an address line for the footer, and a logo (the path of a PNG or JPEG) for the first page.
    instituut_naam: str = ""
    instituut_adres: str = ""
    instituut_logo: str = ""
    # Automatic encrypted back-ups (store/backups.py): daily and on closing, into this folder ("" = the app's own
    # data folder on this computer, which is neither roamed nor synced).
    backups_automatisch: bool = True
    backup_map: str = ""
    # Bewaartermijnen (AVG), in whole years; the defaults and why are in core/bewaartermijn.py (Bewaartermijnen).
    # Trajecten with their verslagen and bijlagen: years after closing.
    bewaartermijn_trajecten: int = _STANDAARD.trajecten
    # Koppelrondes with their choices and scores: years after the ronde's start.
    bewaartermijn_rondes: int = _STANDAARD.rondes
    # Archived aios and opleiders that nothing kept names any more: years after archiving (or their last koppeling).
    bewaartermijn_personen: int = _STANDAARD.personen

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or paths.settings_file()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {f.name for f in fields(cls)}
        settings = cls()
        for key, value in raw.items() if isinstance(raw, dict) else ():
            if key in known and isinstance(value, type(getattr(settings, key))):
                setattr(settings, key, value)
        return settings

    def save(self, path: Path | None = None) -> None:
        path = path or paths.settings_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(asdict(self), indent=2, ensure_ascii=False).encode("utf-8"))

    def bewaartermijnen(self) -> Bewaartermijnen:
        return Bewaartermijnen(self.bewaartermijn_trajecten, self.bewaartermijn_rondes,
                               self.bewaartermijn_personen).geldig()

    def remember_store(self, store: Path) -> None:
        text = str(store)
        self.last_store = text
        self.recent_stores = [text] + [s for s in self.recent_stores if s != text][:7]
