"""Search in verslagen, the Qt- and SQL-free part: one fold for index and query, the FTS5 query built from what is
typed (any input is safe), and the fragment cut from the original text around the first hit."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontkoppel_desktop.core.verslagen.zoeken import Fragment, fold, fragment, fts_vraag, teksten, zoekwoorden


def _marked(f: Fragment) -> list[str]:
    return [f.tekst[a:b] for a, b in f.treffers]


# ---- fold -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "written"), [
    ("yilmaz", "Yılmaz"),
    ("yilmaz", "YILMAZ"),
    ("ijzerman", "IJzerman"),
    ("ijzerman", "Ĳzerman"),  # the ligature letter (U+0132), as some keyboards and scans give it
    ("ijzerman", "ĳzerman"),
    ("caglar", "Çağlar"),
    ("Çağlar", "caglar"),
    ("muller", "Müller"),
    ("strasse", "Straße"),
    ("hélène", "Helene"),
    ("istanbul", "İstanbul"),
    ("soren", "Søren"),
    ("lukasz", "Łukasz"),
])
def test_one_fold_makes_what_is_typed_meet_what_is_written(typed: str, written: str) -> None:
    assert fold(typed) == fold(written)


def test_combining_accents_typed_apart_fold_like_the_precomposed_letter() -> None:
    assert fold("Cafe\u0301") == fold("Café") == "cafe"


@given(st.text())
def test_fold_is_per_character_and_stable(text: str) -> None:
    # Per character, so a piece of the folded text is the folded piece (the fragment relies on it); folding twice
    # changes nothing.
    assert fold(text) == "".join(fold(c) for c in text)
    assert fold(fold(text)) == fold(text)


# ---- the query --------------------------------------------------------------------------------------------------


def test_each_word_is_the_start_of_a_word_and_all_are_needed() -> None:
    assert zoekwoorden("Samenwerk  Yılmaz") == ("samenwerk", "yilmaz")
    assert fts_vraag(zoekwoorden("Samenwerk Yılmaz")) == '"samenwerk"* "yilmaz"*'


@pytest.mark.parametrize("typed", ['"', "*", "-", "OR", "NEAR(", 'a" OR "b', "NOT x", "col:waarde", "^begin",
                                   "(((", "a AND", "x*y", "'", "\\", "\x00", "+ - * /", ")"])
def test_fts_syntax_typed_is_searched_for_as_words(typed: str) -> None:
    vraag = fts_vraag(zoekwoorden(typed))
    if vraag is not None:
        # Only quoted words of letters and digits, each a prefix: nothing FTS5 reads as an operator.
        assert re.fullmatch(r'"[^\W_]+"\*( "[^\W_]+"\*)*', vraag), vraag


def test_nothing_to_look_for() -> None:
    assert zoekwoorden("  -*\"()  ") == ()
    assert fts_vraag(()) is None
    assert fragment([("Aanleiding", "tekst")], ()) is None


# ---- the fragment -----------------------------------------------------------------------------------------------


def test_the_fragment_is_the_original_text_with_the_hit_marked() -> None:
    text = "Het gesprek met Elif Yılmaz ging over de samenwerking in de praktijk."
    found = fragment([("Aanleiding", text)], zoekwoorden("yilmaz samenwerk"))
    assert found is not None
    assert found.veld == "Aanleiding"
    assert found.tekst == text  # short: all of it, as typed (with the dotless ı)
    assert _marked(found) == ["Yılmaz", "samenwerking"]


def test_positions_survive_a_fold_that_changes_the_length() -> None:
    # ĳ folds to two letters and ß to two: the hit after them is still marked where it is in the original.
    text = "Ĳverig, ĳzersterk en groß: de Straße van Çağlar. Daarna de samenwerking."
    found = fragment([("Perspectief", text)], zoekwoorden("samenwerk caglar strasse ijzer"))
    assert found is not None
    assert _marked(found) == ["ĳzersterk", "Straße", "Çağlar", "samenwerking"]


def test_a_word_is_found_at_its_start_only() -> None:
    # "werk" starts no word of "Samenwerking", as FTS5 would not find it either.
    assert fragment([("Afspraken", "Samenwerking")], zoekwoorden("werk")) is None
    found = fragment([("Afspraken", "Samenwerking en werkafspraken")], zoekwoorden("werk"))
    assert found is not None and _marked(found) == ["werkafspraken"]


def test_the_first_field_that_holds_a_word_gives_the_fragment() -> None:
    velden = [("Aanleiding", "Niets hier."), ("Afspraken", "Wekelijks leergesprek\nover supervisie.")]
    found = fragment(velden, zoekwoorden("supervisie"))
    assert found is not None
    assert found.veld == "Afspraken"
    assert found.tekst == "Wekelijks leergesprek over supervisie."  # line breaks as spaces
    assert _marked(found) == ["supervisie"]
    assert fragment(velden, zoekwoorden("ontkoppeling")) is None


def test_a_thirty_page_text_gives_a_short_fragment_around_a_late_hit() -> None:
    zin = "De aios en de opleider bespreken wekelijks de voortgang en de leerdoelen. "
    text = zin * 1400 + "Hier staat het ĳkpunt van Yılmaz. " + zin * 20  # about 100 000 characters
    assert len(text) > 100_000
    found = fragment([("Perspectief van de opleider", text)], zoekwoorden("ijkpunt yilmaz"))
    assert found is not None
    assert len(found.tekst) < 260
    assert found.tekst.startswith("… ") and found.tekst.endswith(" …")
    assert _marked(found) == ["ĳkpunt", "Yılmaz"]


@pytest.mark.parametrize("text", [
    "تم الاتفاق على لقاء أسبوعي مع المشرف حول الإشراف",
    "Goed gesprek 👍🏽 met de opleider 👨‍⚕️, afspraken 📅 gemaakt",
    "漢字とひらがな、ハングル 한국어",
    "\u0301\u0301 combining at the start",
    "",
])
@pytest.mark.parametrize("typed", ["الإشراف", "👍", "opleider", "한국어", "a"])
def test_any_script_and_emoji_do_not_crash(text: str, typed: str) -> None:
    found = fragment([("Aanleiding", text)], zoekwoorden(typed))
    if found is not None:
        for a, b in found.treffers:
            assert 0 <= a < b <= len(found.tekst)


def test_arabic_is_found_without_its_vowel_marks() -> None:
    text = "لقاء مع المُشرِف"  # with harakat
    found = fragment([("Aanleiding", text)], zoekwoorden("المشرف"))
    assert found is not None and _marked(found) == ["المُشرِف"]


@given(st.text(min_size=1), st.text(min_size=1))
def test_marked_spans_are_words_of_the_original_that_start_with_a_word_typed(text: str, typed: str) -> None:
    woorden = zoekwoorden(typed)
    found = fragment([("Veld", text)], woorden)
    if found is None:
        return
    for a, b in found.treffers:
        # A marked word of the original holds a word typed at the start of a word of its fold ("¼" folds to
        # "1⁄4", which holds the word "4").
        marked = fold(found.tekst[a:b])
        assert any(re.search(rf"(?<![^\W_]){re.escape(w)}", marked) for w in woorden), (found, woorden)


# ---- what is indexed --------------------------------------------------------------------------------------------


def test_without_its_questions_every_text_answer_but_dates_is_indexed() -> None:
    antwoorden = {"datum": "2026-11-02", "aanleiding": "Signaal", "uitkomst": "geen_ontkoppeling", "ja": True}
    assert teksten(None, antwoorden) == [("aanleiding", "Signaal"), ("uitkomst", "geen_ontkoppeling")]
