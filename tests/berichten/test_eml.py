"""The e-mail draft: an .eml that Outlook opens as an unsent message (X-Unsent: 1), UTF-8 throughout, with the
addresses Personen has, written whole or not at all."""

from __future__ import annotations

import email
import email.policy
import os
from pathlib import Path

import pytest

from ontkoppel_desktop.berichten_bestanden import schrijf_eml
from ontkoppel_desktop.core.berichten import Bericht, Ontvanger, eml_bytes, onbruikbare_adressen

BERICHT = Bericht(
    titel="Ontkoppelingsmail",
    onderwerp="Ontkoppeling Şükrü Yılmaz en Eva Smit-Öztürk",
    tekst="Beste Şükrü Yılmaz en Eva Smit-Öztürk,\n\nDe koppeling is hiermee beëindigd. " + "Lange regel. " * 20
          + "\n\nمع السلامة\n\nMet vriendelijke groet,\nSanne de Boer",
    aan=(Ontvanger("aios", "Şükrü Yılmaz", "sukru@example.nl"), Ontvanger("opleider", "Eva Smit-Öztürk", "")),
    cc=(Ontvanger("docenten", "Mila Bakker", "mila@example.nl"), Ontvanger("docenten", "Daan de Wit", "daan@"),
        Ontvanger("manager_opleiding"), Ontvanger("jaarassistent", "Şükrü Yılmaz", "SUKRU@example.nl")),
)


def _parse(data: bytes) -> email.message.EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def test_an_unsent_draft_that_reads_back_the_same() -> None:
    data = eml_bytes(BERICHT)
    message = _parse(data)
    assert message["X-Unsent"] == "1"
    assert message["Subject"] == BERICHT.onderwerp
    assert data.isascii()  # every header and the body encoded: no program guesses a charset
    assert b"\r\n" in data  # the line ends of e-mail
    # Only the people with an address in Personen; nobody twice (the aios is no cc of the aios).
    assert [(a.display_name, a.addr_spec) for a in message["To"].addresses] == [("Şükrü Yılmaz", "sukru@example.nl")]
    assert [a.addr_spec for a in message["Cc"].addresses] == ["mila@example.nl"]
    assert message["From"] is None  # Outlook sends from the user's own account
    body = message.get_body(("plain",))
    assert body is not None and body.get_content_charset() == "utf-8"
    text = body.get_content().replace("\r\n", "\n")  # read back as sent: with e-mail's line ends
    assert text == BERICHT.tekst + "\n"
    assert "beëindigd" in text and "مع السلامة" in text


def test_the_edited_text_goes_into_the_draft() -> None:
    message = _parse(eml_bytes(BERICHT, onderwerp="Aangepast onderwerp é", tekst="Eigen tekst\r\nmet é"))
    assert message["Subject"] == "Aangepast onderwerp é"
    assert message.get_content() == "Eigen tekst\r\nmet é\r\n"


def test_a_draft_without_any_address() -> None:
    bericht = Bericht("x", "Uitnodiging", "Tekst", aan=(Ontvanger("opleider", "Eva Smit"),))
    message = _parse(eml_bytes(bericht))
    assert message["To"] is None and message["Cc"] is None and message["X-Unsent"] == "1"


def test_an_address_that_is_no_address_is_named() -> None:
    assert [o.naam for o in onbruikbare_adressen(BERICHT)] == ["Daan de Wit"]


def test_the_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "2026-11-30 Ontkoppelingsmail Şükrü Yılmaz.eml"
    schrijf_eml(target, BERICHT)
    assert _parse(target.read_bytes())["Subject"] == BERICHT.onderwerp
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_no_half_written_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "concept.eml"
    target.write_bytes(b"het vorige concept")

    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError):
        schrijf_eml(target, BERICHT)
    assert target.read_bytes() == b"het vorige concept"
    assert [p.name for p in tmp_path.iterdir()] == ["concept.eml"]  # no temporary file left behind
