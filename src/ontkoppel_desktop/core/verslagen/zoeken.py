"""Finding verslagen by what they say: one fold for the text that is indexed and the words that are typed, the
query for SQLite FTS5 built from those words, and a fragment of the original text around the first hit.

The store keeps the index (store/verslagen.py, table `verslag_zoek`) and runs the query; nothing here knows SQL.
The index holds folded text, so a change to `fold` changes what a query finds in an existing index: change it
only together with a migration that indexes every verslag again (store/schema.py, `_v6` does it once).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ontkoppel_desktop.core.procedure.events import JsonValue
from ontkoppel_desktop.core.verslagen.formulier import GesprekFormulier
from ontkoppel_desktop.core.verslagen.verslag import Verslag, as_date, gevraagde_velden

# Letters that Unicode does not decompose into a base letter and a mark, written as Dutch readers type them
# (the Turkish dotless i: "Yılmaz" is typed "yilmaz"). ĳ decomposes to "ij" by itself (NFKD); it is here so
# that the intent is written down.
_LETTERS: Mapping[str, str] = {
    "ı": "i", "ĳ": "ij", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "æ": "ae", "œ": "oe", "þ": "th",
}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# A word as SQLite's unicode61 tokenizer sees one: a run of letters and digits (an underscore separates).
_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    text = unicodedata.normalize("NFKD", char)
    text = unicodedata.normalize("NFKD", text.casefold()).lower()
    return "".join(_LETTERS.get(c, c) for c in text if not unicodedata.combining(c))


def _fold_run(match: re.Match[str]) -> str:
    return "".join(map(_fold_char, match.group()))


def fold(text: str) -> str:
    """Text as the index holds it and a query looks for it: compatibility-decomposed (NFKD), case-folded,
    without accents and other combining marks, and with the letters above spelled out ("Çağlar" -> "caglar",
    "IJzerman" -> "ijzerman", "Straße" -> "strasse").

    Each character folds on its own, so the folded text of a piece is the piece of the folded text; `_origins`
    relies on it to find a hit back in the original. ASCII, most of a Dutch text, takes the fast way."""
    if text.isascii():
        return text.lower()
    return _NON_ASCII.sub(_fold_run, text).lower()


def _origins(text: str) -> list[int] | None:
    """For each character of fold(text), the index in `text` of the character it came from; None when they are
    the same (ASCII text folds one to one)."""
    if text.isascii():
        return None
    origins: list[int] = []
    position = 0
    for match in _NON_ASCII.finditer(text):
        start, end = match.span()
        origins.extend(range(position, start))
        for i in range(start, end):
            origins.extend([i] * len(_fold_char(text[i])))
        position = end
    origins.extend(range(position, len(text)))
    return origins


def zoekwoorden(tekst: str) -> tuple[str, ...]:
    """The folded words of what was typed, each once, in the order typed. Anything but letters and digits
    separates words, so FTS5's own syntax (quotes, *, -, parentheses, ^, :) never reaches the query."""
    return tuple(dict.fromkeys(_WORD.findall(fold(tekst))))


def fts_vraag(woorden: Sequence[str]) -> str | None:
    """The FTS5 MATCH expression for these folded words: each the start of a word ("samenwerk" finds
    "samenwerking"), all of them in the verslag. Every word is a quoted string, so OR, AND, NOT and NEAR are
    looked for as words. None when there is nothing to look for."""
    if not woorden:
        return None
    # A word holds only letters and digits (zoekwoorden), so it never holds a double quote.
    return " ".join(f'"{w}"*' for w in woorden)


# ---- what is indexed ---------------------------------------------------------------------------------------


def teksten(formulier: GesprekFormulier | None, antwoorden: Mapping[str, JsonValue]) -> list[tuple[str, str]]:
    """The text of a verslag that search finds, as (question, answer as typed), in wizard order: every answer
    to a text question that the gesprek asks. Without its questions (a file missing from this installation),
    every answer that is text and not a date, under its field id."""
    if formulier is None:
        return [(key, value) for key, value in antwoorden.items()
                if isinstance(value, str) and value.strip() and as_date(value) is None]
    return [
        (veld.label, value)
        for veld in gevraagde_velden(formulier, antwoorden)
        if veld.soort.is_tekst and isinstance(value := antwoorden.get(veld.id), str) and value.strip()
    ]


@dataclass(frozen=True, slots=True)
class Zoekrij:
    """What the index holds for one verslag: the folded gesprek title and the folded text."""

    titel: str
    tekst: str


def zoekrij(titel: str, formulier: GesprekFormulier | None, antwoorden: Mapping[str, JsonValue]) -> Zoekrij:
    return Zoekrij(fold(titel), "\n".join(fold(tekst) for _, tekst in teksten(formulier, antwoorden)))


# ---- a fragment around the hit ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fragment:
    """A piece of the original text around the first hit: `tekst` as typed (line breaks as spaces, "…" where it
    was cut), `treffers` the spans in it of the words that match, to mark; `veld` the question it answers."""

    veld: str
    tekst: str
    treffers: tuple[tuple[int, int], ...]


def _hit_pattern(woorden: Sequence[str]) -> re.Pattern[str]:
    # A word that starts with one of the words typed (not one that merely contains it), to its end.
    alternatives = "|".join(re.escape(w) for w in sorted(woorden, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*")


def _original_span(text: str, origins: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """The span of `text` that folded to fold(text)[start:end], with the marks that followed its last letter."""
    if origins is None:
        return start, end
    first, last = origins[start], origins[end - 1] + 1
    while last < len(text) and unicodedata.combining(text[last]):
        last += 1
    return first, last


def fragment(velden: Sequence[tuple[str, str]], woorden: Sequence[str], breedte: int = 160) -> Fragment | None:
    """The piece of the first field that holds a word starting with one of `woorden` (folded, as
    zoekwoorden gives them), about `breedte` characters around that word, with every such word in the piece
    marked. None if no field holds one."""
    if not woorden:
        return None
    pattern = _hit_pattern(woorden)
    for veld, text in velden:
        folded = fold(text)
        first = pattern.search(folded)
        if first is None:
            continue
        origins = _origins(text)
        hit_start, hit_end = _original_span(text, origins, *first.span())
        begin = _cut_before(text, max(0, hit_start - breedte // 3))
        end = _cut_after(text, max(hit_end, begin + breedte))
        hits = []
        for match in pattern.finditer(folded, first.start()):
            span = _original_span(text, origins, *match.span())
            if span[1] > end:
                break
            hits.append(span)
        return _piece(veld, text, begin, end, hits)
    return None


def _cut_before(text: str, position: int) -> int:
    """A place to start a fragment at or before `position`: after a space, unless that is far back."""
    if position == 0:
        return 0
    space = text.rfind(" ", max(0, position - 20), position)
    return space + 1 if space >= 0 else position


def _cut_after(text: str, position: int) -> int:
    if position >= len(text):
        return len(text)
    space = text.find(" ", position, position + 20)
    return space if space >= 0 else position


def _piece(veld: str, text: str, begin: int, end: int, hits: list[tuple[int, int]]) -> Fragment:
    """text[begin:end] with runs of white space (line breaks) as one space, and the hits' spans in it."""
    parts: list[str] = ["… "] if begin > 0 else []
    length = len(parts[0]) if parts else 0
    spans: list[tuple[int, int]] = []
    position = begin
    for start, stop in hits:
        between = _SPACE.sub(" ", text[position:start])
        parts.append(between)
        length += len(between)
        word = text[start:stop]
        parts.append(word)
        spans.append((length, length + len(word)))
        length += len(word)
        position = stop
    parts.append(_SPACE.sub(" ", text[position:end]))
    if end < len(text):
        parts.append(" …")
    piece = "".join(parts)
    stripped = piece.lstrip()
    shift = len(piece) - len(stripped)
    return Fragment(veld, stripped.rstrip(), tuple((a - shift, b - shift) for a, b in spans))


# ---- a hit --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Treffer:
    """A verslag that search found, with what a list shows of it. `fragment` is None when only the gesprek's
    title matched."""

    verslag_id: int
    traject_id: int
    gesprek: str  # the formulier's id
    titel: str  # the gesprek as the procedure names it
    versie: int
    status: str  # the state in words (Verslag.fase)
    fragment: Fragment | None


def treffer(verslag: Verslag, formulier: GesprekFormulier | None, woorden: Sequence[str]) -> Treffer:
    titel = formulier.titel if formulier is not None else verslag.gesprek
    gevonden = fragment(teksten(formulier, verslag.antwoorden), woorden)
    return Treffer(verslag.id, verslag.traject_id, verslag.gesprek, titel, verslag.versie, verslag.fase(),
                   gevonden)


__all__ = [
    "Fragment",
    "Treffer",
    "Zoekrij",
    "fold",
    "fragment",
    "fts_vraag",
    "teksten",
    "treffer",
    "zoekrij",
    "zoekwoorden",
]
