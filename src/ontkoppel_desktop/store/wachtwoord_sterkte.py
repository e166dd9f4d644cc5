"""How hard a wachtwoord is to guess: zxcvbn's estimate, with Dutch words added and its feedback in Dutch.

Rules (length, character classes) let "Welkom2024" through and refuse a long, easy-to-remember sentence;
zxcvbn (Dropbox's estimator) scores what an attacker would try first: common passwords, words, names, dates,
keyboard rows, repeats. Its word lists are English; the Dutch words people pick (and the words of this app's
own world) are added as extra dictionary entries. A score of at least 3 ("Goed") is required, and the minimum
length stays as a floor.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

MIN_WACHTWOORD_LENGTE = 10
MIN_SCORE = 3
# zxcvbn's cost grows with the length, and it refuses more than this; beyond it, more characters only make a
# wachtwoord stronger.
_GESCHAT_TOT = 72

_LABELS = ("Zeer zwak", "Zwak", "Matig", "Goed", "Sterk")

# Words Dutch users build wachtwoorden from, and this app's own; lower case, most common first.
NEDERLANDSE_WOORDEN = (
    "wachtwoord", "welkom", "welkom01", "geheim", "hallo", "hoi", "doei", "liefde", "schat", "schatje", "lieverd",
    "wachtwoord1", "voetbal", "ajax", "feyenoord", "psv", "oranje", "nederland", "holland", "amsterdam",
    "rotterdam", "utrecht", "denhaag", "eindhoven", "groningen", "zomer", "winter", "lente", "herfst", "voorjaar",
    "najaar", "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
    "november", "december", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
    "koning", "koningin", "prinses", "kaas", "fiets", "konijn", "poes", "hond", "paard", "vakantie", "familie",
    "kinderen", "mama", "papa", "opa", "oma", "wereld", "zon", "maan", "ster", "bloem", "tulp", "molen", "dijk",
    "gezondheid", "dokter", "huisarts", "huisartsen", "huisartsopleiding", "opleiding", "opleider", "opleiders",
    "aios", "docent", "docenten", "praktijk", "assistent", "jaarassistent", "manager", "ontkoppel",
    "ontkoppeling", "koppeling", "traject", "verslag", "instituut", "patient", "patienten", "spreekuur",
    "ziekenhuis", "wachtkamer", "recept", "geneeskunde", "medisch", "welkom123", "geheim123", "qwerty",
    "azerty", "asdfgh", "test", "testen", "admin", "beheer", "gebruiker", "inloggen", "toegang", "sleutel",
)

_NEDERLANDS = {
    "Use a few words, avoid common phrases.": "Gebruik een paar woorden, maar geen bekende uitdrukking.",
    "No need for symbols, digits, or uppercase letters.": "Leestekens, cijfers of hoofdletters zijn niet nodig.",
    "Add another word or two. Uncommon words are better.": "Voeg nog een of twee woorden toe; ongewone woorden "
    "zijn beter.",
    "Straight rows of keys are easy to guess.": "Rijen toetsen naast elkaar zijn makkelijk te raden.",
    "Short keyboard patterns are easy to guess.": "Korte patronen op het toetsenbord zijn makkelijk te raden.",
    "Use a longer keyboard pattern with more turns.": "Gebruik een langer toetsenbordpatroon met meer bochten.",
    'Repeats like "aaa" are easy to guess.': "Herhalingen als 'aaa' zijn makkelijk te raden.",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': "Herhalingen als 'abcabcabc' zijn "
    "nauwelijks moeilijker te raden dan 'abc'.",
    "Avoid repeated words and characters.": "Vermijd herhaalde woorden en tekens.",
    'Sequences like "abc" or "6543" are easy to guess.': "Reeksen als 'abc' of '6543' zijn makkelijk te raden.",
    "Avoid sequences.": "Vermijd reeksen.",
    "Recent years are easy to guess.": "Recente jaartallen zijn makkelijk te raden.",
    "Avoid recent years.": "Vermijd recente jaartallen.",
    "Avoid years that are associated with you.": "Vermijd jaartallen die met jou te maken hebben.",
    "Dates are often easy to guess.": "Datums zijn vaak makkelijk te raden.",
    "Avoid dates and years that are associated with you.": "Vermijd datums en jaartallen die met jou te maken "
    "hebben.",
    "This is a top-10 common password.": "Dit is een van de tien meest gebruikte wachtwoorden.",
    "This is a top-100 common password.": "Dit is een van de honderd meest gebruikte wachtwoorden.",
    "This is a very common password.": "Dit is een veelgebruikt wachtwoord.",
    "This is similar to a commonly used password.": "Dit lijkt op een veelgebruikt wachtwoord.",
    "A word by itself is easy to guess.": "Een los woord is makkelijk te raden.",
    "Names and surnames by themselves are easy to guess.": "Losse voor- en achternamen zijn makkelijk te raden.",
    "Common names and surnames are easy to guess.": "Veelvoorkomende namen zijn makkelijk te raden.",
    "Capitalization doesn't help very much.": "Een hoofdletter maakt het nauwelijks sterker.",
    "All-uppercase is almost as easy to guess as all-lowercase.": "Alleen hoofdletters is bijna even makkelijk te "
    "raden als alleen kleine letters.",
    "Reversed words aren't much harder to guess.": "Woorden achterstevoren zijn nauwelijks moeilijker te raden.",
    "Predictable substitutions like '@' instead of 'a' don't help very much.": "Voorspelbare vervangingen, zoals "
    "'@' voor 'a', helpen nauwelijks.",
}


@dataclass(frozen=True)
class Sterkte:
    score: int  # 0 (zeer zwak) to 4 (sterk)
    label: str
    voldoende: bool
    # Dutch advice: what makes it weak, and what would help (empty for a strong wachtwoord).
    tips: tuple[str, ...] = ()


def _nederlands(tekst: str) -> str | None:
    # A message zxcvbn adds in a newer version is left out rather than shown in English.
    return _NEDERLANDS.get(tekst)


@lru_cache(maxsize=1)
def _zxcvbn() -> object:
    from zxcvbn import zxcvbn  # imported when first asked: its word lists cost some 50 ms to load

    return zxcvbn


def wachtwoord_sterkte(wachtwoord: str, *, ook_te_raden: tuple[str, ...] = ()) -> Sterkte:
    """The strength shown while typing and required when a wachtwoord is set. `ook_te_raden`: words that
    belong to this user or store (a name, the file name), which make a wachtwoord weaker when used."""
    if len(wachtwoord) < MIN_WACHTWOORD_LENGTE:
        return Sterkte(0, f"Te kort: minimaal {MIN_WACHTWOORD_LENGTE} tekens", False)
    estimate = _zxcvbn()(  # type: ignore[operator]
        wachtwoord[:_GESCHAT_TOT], user_inputs=[*ook_te_raden, *NEDERLANDSE_WOORDEN]
    )
    score = int(estimate["score"])
    feedback = estimate.get("feedback") or {}
    regels = [feedback.get("warning") or "", *(feedback.get("suggestions") or [])]
    tips = tuple(dict.fromkeys(t for t in (_nederlands(r) for r in regels if r) if t))
    voldoende = score >= MIN_SCORE
    if not voldoende and not tips:
        tips = ("Maak het langer: een zin van vier of vijf ongewone woorden is sterk en goed te onthouden.",)
    return Sterkte(score, _LABELS[score], voldoende, tips if not voldoende else ())


__all__ = ["MIN_SCORE", "MIN_WACHTWOORD_LENGTE", "NEDERLANDSE_WOORDEN", "Sterkte", "wachtwoord_sterkte"]
