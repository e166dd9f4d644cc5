"""What an install holds: the resources as a package; a wheel with every module and resource, and an editable
install that maps the resources, both built without a warning; and the guard of .ci/run that fails a run in which
a test did not run. The frozen app is checked by installer/check_bundle.py (scripts/bundle, in .ci/run)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib.resources import files
from pathlib import Path

import pytest

from tests.conftest import FAIL_ON_SKIP_ENV

ROOT = Path(__file__).resolve().parent.parent


def test_resources_are_a_package_with_procedures_fonts_and_icon() -> None:
    resources = files("ontkoppel_desktop.resources")
    assert [p.name for p in resources.joinpath("procedures").iterdir() if p.name.endswith(".toml")]
    for name in ("fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf", "icons/ontkoppel.svg"):
        assert resources.joinpath(name).read_bytes(), name


# What pip does with a build backend (pyproject_hooks): call it with the warnings recorded, under the filters
# of the environment; pip then prints each as a warning when the project is a local folder.
_BUILD = """
import json, sys, warnings
from setuptools import build_meta
with warnings.catch_warnings(record=True) as caught:
    name = getattr(build_meta, sys.argv[1])(sys.argv[2])
print(json.dumps([name, [f"{w.category.__name__}: {w.message}" for w in caught]]))
"""


def _build(kind: str, source: Path, out: Path) -> tuple[Path, list[str]]:
    # The filter scripts/_setup.sh sets for `pip install -e`, for a note setuptools gives on every such install.
    filters = re.search(r'PYTHONWARNINGS="[^"]*?(ignore:[^"]+)"', (ROOT / "scripts/_setup.sh").read_text())
    assert filters is not None
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"} | {"PYTHONWARNINGS": filters.group(1)}
    built = subprocess.run(
        [sys.executable, "-c", _BUILD, kind, out], cwd=source, env=env, capture_output=True, text=True, check=False
    )
    assert built.returncode == 0, built.stdout + built.stderr
    name, warnings = json.loads(built.stdout.splitlines()[-1])
    return out / name, warnings


def test_wheel_and_editable_install_hold_every_module_and_resource_and_build_without_warnings(
    tmp_path: Path,
) -> None:
    # A copy: building writes build/ and *.egg-info beside the sources.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("src", "resources"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))

    # Deprecations and "Package would be ignored" were 150 lines on a first run; IT reads them as errors.
    wheel, warnings = _build("build_wheel", source, tmp_path / "wheel")
    assert warnings == []
    editable, warnings = _build("build_editable", source, tmp_path / "editable")
    assert warnings == []

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = {
        "ontkoppel_desktop/" + p.relative_to(ROOT / "src/ontkoppel_desktop").as_posix()
        for p in (ROOT / "src/ontkoppel_desktop").rglob("*.py")
    } | {
        "ontkoppel_desktop/resources/" + p.relative_to(ROOT / "resources").as_posix()
        for p in (ROOT / "resources").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert expected - names == set()
    # The editable install finds the resources where they are, under another name than their folder.
    with zipfile.ZipFile(editable) as archive:
        finder = next(n for n in archive.namelist() if n.startswith("__editable__") and n.endswith("finder.py"))
        assert "'ontkoppel_desktop.resources': '" + str(source / "resources") in archive.read(finder).decode()


def test_a_test_that_does_not_run_fails_the_run_under_ci(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest("from tests.conftest import pytest_configure  # noqa: F401")
    pytester.makepyfile(
        test_some="""
        import pytest

        def test_runs():
            pass

        def test_needs_a_tool():
            pytest.skip("the tool is not installed")

        @pytest.mark.xfail(reason="a known bug")
        def test_known_bug():
            assert False
        """
    )
    monkeypatch.delenv(FAIL_ON_SKIP_ENV, raising=False)
    assert pytester.runpytest().ret == pytest.ExitCode.OK

    monkeypatch.setenv(FAIL_ON_SKIP_ENV, "1")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        "*tests that did not run*",
        "2 test(s) skipped or xfail while ONTKOPPEL_FAIL_ON_SKIP is set*",
        "*test_some.py::test_needs_a_tool: the tool is not installed",
        "*test_some.py::test_known_bug: xfail: a known bug",
    ])

    pytester.makepyfile(
        test_some="import pytest\npytest.skip('not here', allow_module_level=True)\n",
        test_other="def test_runs():\n    pass\n",
    )
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*test_some.py: not here"])
