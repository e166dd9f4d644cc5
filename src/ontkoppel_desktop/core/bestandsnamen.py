"""What Windows refuses in a file name, for every name the app makes (an archive export, a document the user
saves, the copy of an opened bijlage): one list, so a name safe in one place is safe in all."""

from __future__ import annotations

import re

# Windows refuses these as a file's name, whatever follows the first dot (CON.pdf, com1.tar.gz).
GERESERVEERD = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{p}{n}" for p in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")}
)
# Characters no Windows file name may hold (and control characters, which no system shows).
VERBODEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def gereserveerd(naam: str) -> bool:
    """True when Windows reserves the name (its part before the first dot, trailing spaces aside)."""
    return naam.split(".")[0].rstrip(" ").upper() in GERESERVEERD


__all__ = ["GERESERVEERD", "VERBODEN", "gereserveerd"]
