"""What a cell of a ronde workbook may hold and how it is read: an id, a whole number, a percentage, ja/nee, a
status, a date. A cell that cannot be read raises CellError with a Dutch message that says what to write instead.

A value comes as the spreadsheet gives it: a number (Excel keeps 80 as 80.0, and "40%" as 0.4 with a percentage
format), text, a date, or a boolean; CSV gives text only.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

from ontkoppel_desktop.core.koppelplanner.ronde import OpleiderStatus
from ontkoppel_desktop.exchange.ronde_schema import norm


class CellError(ValueError):
    """A cell that cannot be read; the message is Dutch."""


# What a spreadsheet may read as the start of a formula (OWASP, CSV injection): such text is written with a
# leading "'".
FORMULE_BEGIN = ("=", "+", "-", "@", "\t", "\r")


def neutraal(tekst: str) -> str:
    """Text as every writer puts it in a cell: with a single quote in front when a spreadsheet could read it as a
    formula, as OWASP advises against CSV injection (an .xlsx string cell is no formula, but the user may save the
    sheet again as CSV). `as_text` takes the quote off again on import."""
    return "'" + tekst if tekst.startswith(FORMULE_BEGIN) else tekst


# Far beyond any opleidingsjaar, score, capaciteit or percentage, and small enough to print: a longer number is a
# typo or pasted data.
_GROOTSTE_GETAL = 10**6
# A value repeated in a message is cut to this many characters: a pasted paragraph is not echoed whole.
_TOON_TEKENS = 40


def kort(value: Any) -> str:
    """A cell's value as a message repeats it: its text, cut short when long."""
    text = as_text(value)
    return text if len(text) <= _TOON_TEKENS else text[:_TOON_TEKENS - 1] + "…"


_TRUE = {"ja", "j", "yes", "y", "waar", "true", "1", "x"}
_FALSE = {"nee", "n", "no", "onwaar", "false", "0", ""}


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULE_BEGIN:
        return text[1:]  # written so by `neutraal`
    return text


def as_id(value: Any) -> str:
    text = as_text(value)
    if not text:
        raise CellError("is leeg; vul het id in.")
    return text


def as_int(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise CellError(f"'{value}' is geen {what}.")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        match = re.fullmatch(r"\s*(\d+)\s*(e|ste|de)?(\s*jaars)?\s*", str(value))
        if match is None:
            raise CellError(f"'{kort(value)}' is geen {what}; vul een geheel getal in.")
        # int() refuses more than 4 300 digits with a ValueError of its own: a long number is too big unread.
        digits = match.group(1).lstrip("0") or "0"
        number = int(digits) if len(digits) <= 12 else _GROOTSTE_GETAL + 1
    if abs(number) > _GROOTSTE_GETAL:
        raise CellError(f"'{kort(value)}' is veel te groot voor een {what}; vul een geheel getal in.")
    return number


def as_percent(value: Any, shown_as_percent: bool) -> int:
    """A percentage: 50, "50%", "50,0"; a number the spreadsheet shows as a percentage (40% is stored as 0.4)."""
    if isinstance(value, bool):
        raise CellError(f"'{value}' is geen percentage.")
    if isinstance(value, int | float):
        number = float(value) * (100 if shown_as_percent else 1)
    else:
        text = str(value).strip().rstrip("%").strip().replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise CellError(f"'{kort(value)}' is geen percentage; vul bijvoorbeeld 50 of 50% in.") from None
    # float() reads "nan", "inf" and "1e400" too, which round() cannot turn into a whole number.
    if not math.isfinite(number) or abs(number) > _GROOTSTE_GETAL:
        raise CellError(f"'{kort(value)}' is geen percentage; vul bijvoorbeeld 50 of 50% in.")
    return round(number)


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = norm(as_text(value))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"'{kort(value)}' is geen ja of nee.")


def as_status(value: Any) -> OpleiderStatus:
    text = norm(as_text(value))
    if text in ("curriculum", "opleiderscurriculum", "in curriculum"):
        return OpleiderStatus.CURRICULUM
    if text in ("ervaren", "ervaren opleider"):
        return OpleiderStatus.ERVAREN
    if not text:
        raise CellError("is leeg; vul curriculum of ervaren in.")
    raise CellError(f"'{kort(value)}' is geen status; vul curriculum of ervaren in.")


def as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = as_text(value)
    for pattern in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(f"'{kort(text)}' is geen datum; schrijf bijvoorbeeld 1-3-2027.")
