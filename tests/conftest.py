"""Shared test set-up: every test gets its own ONTKOPPEL_HOME, Qt runs offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ontkoppel_desktop.store.keys import KdfParams  # noqa: E402
from ontkoppel_desktop.store.store import Store  # noqa: E402
from tests.schijf import Schijf, mount_schijf  # noqa: E402

pytest_plugins = ["pytester"]  # tests/test_packaging.py runs pytest on a test file of its own

# Set by .ci/run. On a machine set up by scripts/ (which installs pdftotext too) every test can run, and a
# test that does not run cannot fail: a skip or an xfail fails the run there, naming the tests.
FAIL_ON_SKIP_ENV = "ONTKOPPEL_FAIL_ON_SKIP"


class EveryTestMustRun:
    def __init__(self) -> None:
        self.not_run: list[tuple[str, str]] = []

    def _note(self, report: pytest.CollectReport | pytest.TestReport) -> None:
        if hasattr(report, "wasxfail"):  # xfail (outcome skipped) and xpass (outcome passed)
            self.not_run.append((report.nodeid, f"xfail: {report.wasxfail}" if report.wasxfail else "xfail"))
        elif report.skipped:
            longrepr = report.longrepr
            reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
            self.not_run.append((report.nodeid, reason.removeprefix("Skipped: ")))

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        self._note(report)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._note(report)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.not_run and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.not_run:
            return
        terminalreporter.section("tests that did not run", sep="=", red=True, bold=True)
        terminalreporter.write_line(
            f"{len(self.not_run)} test(s) skipped or xfail while {FAIL_ON_SKIP_ENV} is set (.ci/run): a test that "
            "does not run cannot fail. Install what it needs (scripts/debian-packages.txt, pyproject.toml) or "
            "fix it; the run fails.",
            red=True,
        )
        for nodeid, reason in self.not_run:
            terminalreporter.write_line(f"  {nodeid}: {reason}")


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get(FAIL_ON_SKIP_ENV):
        config.pluginmanager.register(EveryTestMustRun(), "every-test-must-run")


# Cheap Argon2id parameters: tests check the machinery, bench/ checks the tuning.
FAST_KDF = KdfParams(time_cost=1, memory_kib=8 * 1024)
WACHTWOORD = "Correct-paard-batterij-7"


@pytest.fixture(autouse=True)
def ontkoppel_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ONTKOPPEL_HOME", str(home))
    return home


@pytest.fixture
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> KdfParams:
    """Make the app's own calibration (used when a store is created through the UI) cheap."""
    monkeypatch.setattr(KdfParams, "calibrate", classmethod(lambda cls, *a, **k: FAST_KDF))
    return FAST_KDF


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.create(tmp_path / "test.okdb", WACHTWOORD, FAST_KDF).store
    yield s
    s.close()


@pytest.fixture
def schijf(tmp_path: Path) -> Iterator[Schijf]:
    """A 4 MiB tmpfs to fill or make read-only (tests/schijf.py)."""
    yield from mount_schijf(tmp_path)
