"""Help › Over (issue 14): the app's version and the licences of the bundled components, from their metadata where the
package is installed and from a fixed list where the bundle left the metadata out."""

from __future__ import annotations

from email.message import Message
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from ontkoppel_desktop import __version__
from ontkoppel_desktop.ui import over
from ontkoppel_desktop.ui.over import ONDERDELEN, OverDialog, metadata_licentie
from tests.gui.conftest import open_main_window


def _rijen(dialog: OverDialog) -> dict[str, tuple[str, str, str]]:
    lijst = dialog.lijst
    return {lijst.topLevelItem(i).text(0): tuple(lijst.topLevelItem(i).text(k) for k in (1, 2, 3))  # type: ignore[misc]
            for i in range(lijst.topLevelItemCount())}


def test_help_over_lists_the_components_with_version_and_licence(qtbot: Any, store_path: Path) -> None:
    window = open_main_window(qtbot, store_path)
    window.over_action.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, OverDialog) and w.isVisible())
    qtbot.waitExposed(dialog)
    rijen = _rijen(dialog)
    assert list(rijen) == [o.naam for o in ONDERDELEN]
    for onderdeel in ONDERDELEN:
        versie, licentie, waarvoor = rijen[onderdeel.naam]
        assert licentie and licentie != "onbekend", onderdeel.naam
        assert waarvoor, onderdeel.naam
        if onderdeel.distributie:
            assert versie == metadata.version(onderdeel.distributie), onderdeel.naam
    assert "LGPL" in rijen["PySide6"][1] and "LGPL" in rijen["Qt"][1] and "LGPL" in rijen["python-bidi"][1]
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:")
    assert rijen["SQLCipher"][0] == conn.execute("PRAGMA cipher_version").fetchone()[0]
    conn.close()
    assert rijen["SQLCipher"][1] == "BSD-3-Clause"
    assert "BSD" in rijen["SciPy (alleen _lsap)"][1] and "BSD" in rijen["PDFium"][1]
    # A list that scrolls, in a window that fits the laptop screen.
    assert dialog.lijst.verticalScrollBar().maximum() > 0
    assert dialog.height() <= 768
    dialog.close()
    window.close()


def test_the_header_names_the_version(qtbot: Any, qapp: Any) -> None:
    dialog = OverDialog()
    qtbot.addWidget(dialog)
    from PySide6.QtWidgets import QLabel

    assert any(f"Ontkoppel Desktop {__version__}" in label.text() for label in dialog.findChildren(QLabel))


def test_without_metadata_as_in_the_bundle_the_fixed_list_says_it(qtbot: Any, qapp: Any,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def geen(_naam: str) -> Any:
        raise metadata.PackageNotFoundError(_naam)

    monkeypatch.setattr(over.metadata, "metadata", geen)
    dialog = OverDialog()
    qtbot.addWidget(dialog)
    rijen = _rijen(dialog)
    assert all(licentie != "onbekend" for _versie, licentie, _waarvoor in rijen.values())
    assert rijen["reportlab"][0] == metadata.version("reportlab"), "from reportlab.__version__"
    assert rijen["NumPy"][0] == metadata.version("numpy")
    assert rijen["python-bidi"][1] == "LGPL-3.0-or-later"
    assert rijen["sqlcipher3"][0] == "—", "a version that cannot be found is a dash, not a guess"


def test_licence_from_metadata_fields() -> None:
    def meta(**velden: Any) -> Any:
        bericht = Message()
        for sleutel, waarde in velden.items():
            for w in waarde if isinstance(waarde, list) else [waarde]:
                bericht[sleutel.replace("_", "-")] = w
        return bericht

    assert metadata_licentie(meta(License_Expression="MIT", License="whatever")) == "MIT"
    assert metadata_licentie(meta(License="BSD-3-Clause")) == "BSD-3-Clause"
    assert metadata_licentie(meta(License="Copyright (c) 2001 Enthought\nAll rights reserved.",
                                  Classifier=["License :: OSI Approved :: BSD License"])) == "BSD"
    assert metadata_licentie(meta(Classifier=[
        "License :: OSI Approved :: GNU Library or Lesser General Public License (LGPL)"])) == "LGPL"
    assert metadata_licentie(meta(License="Dual License", Classifier=[
        "License :: OSI Approved :: BSD License", "License :: OSI Approved :: Apache Software License"])) == \
        "BSD OR Apache"
    assert metadata_licentie(meta()) == ""
