"""The core of the Koppelplanner stays plain Python: no Qt, no openpyxl, no SQL."""

from __future__ import annotations

import subprocess
import sys


def test_core_koppelplanner_loads_no_qt_no_openpyxl_no_sql():
    code = (
        "import sys, ontkoppel_desktop.core.koppelplanner as k, ontkoppel_desktop.demo.rondes; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'openpyxl', 'sqlite3', 'sqlcipher3')]; "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
