"""Killed at any moment (battery, crash, kill -9), a concept survives exactly as typed, minus at most the last
half second: a child process types into the wizard and is killed at random moments."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.gui.typist import TEXT
from tests.verslagen.conftest import AUTEUR, maak_traject

ROOT = Path(__file__).resolve().parents[2]
# Utrecht practice: what a docent may lose when the laptop dies mid-sentence.
MAY_LOSE_S = 0.5


def test_a_killed_app_keeps_the_concept_minus_at_most_half_a_second(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "werk.okdb", WACHTWOORD, FAST_KDF).store
    traject_id = maak_traject(store)
    verslag_id = store.verslagen.nieuw(traject_id, "driehoeksgesprek", auteur=AUTEUR).created
    assert isinstance(verslag_id, int)
    store.close()
    rng = random.Random(20261201)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    saved_before = ""
    for _ in range(4):
        child = subprocess.Popen([sys.executable, "-m", "tests.gui.typist", str(store.path), str(verslag_id)],
                                 cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready", child.stderr.read() if child.stderr else ""
        kill_after = rng.uniform(0.3, 2.5)
        started = time.monotonic()
        typed: list[tuple[float, int]] = []
        while time.monotonic() - started < kill_after:
            line = child.stdout.readline()
            moment, count = line.split()
            typed.append((float(moment), int(count)))
        os.kill(child.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        child.wait()
        reopened = Store.open(store.path, WACHTWOORD)
        concept = reopened.verslagen.get(verslag_id)
        reopened.close()
        text = str(concept.antwoorden.get("aanleiding") or "")
        # Each run types the text again at the end of what the last run left.
        assert text.startswith(saved_before)
        new = text[len(saved_before):]
        assert TEXT.startswith(new), "stored exactly as typed"
        must_have = max((count for moment, count in typed if moment <= killed_at - MAY_LOSE_S), default=0)
        assert len(new) >= must_have, f"lost {must_have - len(new)} characters typed more than 0.5 s before the kill"
        assert concept.open, "the next start offers it"
        saved_before = text
    assert saved_before, "something was typed and kept"
