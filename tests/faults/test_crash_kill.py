"""Killed with SIGKILL at any moment, the store loses no acknowledged write and stays whole; killed during a
wachtwoord change, exactly one of the old and the new wachtwoord opens it, never neither (issue 12: the crash test).

A child process writes through the real services and acknowledges each commit on stdout (tests/faults/crash_child.py
says how); it is killed at random moments, 20 times per test. The seed of the delays is printed and can be set with
ONTKOPPEL_CRASH_SEED. tools/fault_kill.py runs the same with 100 kills and more, and prints its figures.
"""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

from ontkoppel_desktop import paths
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.faults.crash_child import (
    ANDER_WACHTWOORD,
    PREFIX,
    Child,
    Figures,
    key_temps,
    kill_wachtwoord_changes,
    kill_writes,
    observe,
    opens,
    write_cases,
)

KILLS = 20


def _seed() -> int:
    value = os.environ.get("ONTKOPPEL_CRASH_SEED")
    seed = int(value) if value else random.SystemRandom().randrange(1 << 32)
    print(f"ONTKOPPEL_CRASH_SEED={seed}")
    return seed


def _report(figures: Figures) -> str:
    return (f"ONTKOPPEL_CRASH_SEED={figures.seed}: {figures.kills} kills, {figures.acknowledged} acknowledged, "
            f"{figures.lost} lost, {figures.integrity_failures} integrity failures\n" + "\n".join(figures.problems))


def test_killed_while_writing_no_acknowledged_write_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "kill.okdb"
    Store.create(path, WACHTWOORD, FAST_KDF).store.close()
    figures = kill_writes(path, WACHTWOORD, KILLS, _seed())
    assert figures.problems == [], _report(figures)
    assert figures.kills == KILLS and figures.lost == 0 and figures.integrity_failures == 0
    assert figures.acknowledged > KILLS, "the child wrote between the kills"
    assert figures.in_flight > 0, "some kills came in the middle of a write"


def test_killed_while_changing_the_wachtwoord_exactly_one_opens(tmp_path: Path) -> None:
    path = tmp_path / "kill.okdb"
    store = Store.create(path, WACHTWOORD, FAST_KDF).store
    write_cases(store, PREFIX, 2)
    store.close()
    figures = kill_wachtwoord_changes(path, WACHTWOORD, KILLS, _seed())
    assert figures.problems == [], _report(figures)
    assert figures.kills == KILLS and figures.lost == 0 and figures.integrity_failures == 0
    assert figures.acknowledged > KILLS, "the child changed the wachtwoord between the kills"
    assert figures.in_flight > 0, "some kills came in the middle of a change"


def test_a_change_killed_just_before_its_rename_keeps_the_old_wachtwoord_and_the_next_open_sweeps_its_temp(
    tmp_path: Path,
) -> None:
    """The moment the random kills seldom hit: the new key file written to its temporary name, not yet renamed."""
    path = tmp_path / "kill.okdb"
    store = Store.create(path, WACHTWOORD, FAST_KDF).store
    write_cases(store, PREFIX, 1)
    before = observe(store)
    store.close()
    key_file = paths.keys_file_for(path).read_bytes()
    child = Child.start("wachtwoord-halt", path, f"{WACHTWOORD}\n{ANDER_WACHTWOORD}\n")
    deadline = time.monotonic() + 30
    while "replacing" not in child.lines and time.monotonic() < deadline and child.process.poll() is None:
        time.sleep(0.01)
    assert "replacing" in child.lines, child.kill()
    child.kill()

    temps = key_temps(path)
    assert len(temps) == 1 and json.loads(temps[0].read_bytes())["wachtwoord"], "the new key file, whole"
    assert paths.keys_file_for(path).read_bytes() == key_file
    assert opens(path, WACHTWOORD) is True and opens(path, ANDER_WACHTWOORD) is False
    assert key_temps(path) == temps, "a temporary key file this fresh may belong to a change running now"
    os.utime(temps[0], (time.time() - 3600,) * 2)
    store = Store.open(path, WACHTWOORD)
    assert key_temps(path) == []
    assert observe(store) == before
    store.close()
