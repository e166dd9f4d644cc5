"""Checks a frozen Ontkoppel Desktop, the PyInstaller folder, as a user meets it: run from outside this
repository, without its Python, through both executables.

    .venv/bin/python installer/check_bundle.py dist/ontkoppel-desktop-0.1.0

What a bundle can miss and the source cannot: a hidden import, a resource, a Qt plugin or translation, a
native library. So it runs the headless commands (--version, --self-test, koppel on a small ronde, compared
cell by cell with the same command from the source), starts the window offscreen, looks for the files that
are loaded by path rather than imported, and for every module of the app in the frozen archive.
scripts/bundle runs it after building; CI runs scripts/bundle. Run it with the development environment's
Python (with the package extra): it writes the ronde with openpyxl, runs the source and reads the archive
with PyInstaller. Exits 1 and names every check that failed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook, load_workbook

from ontkoppel_desktop import APP_NAME, __version__

WINDOWS = sys.platform == "win32"
TIMEOUT_S = 120


class CheckFailed(Exception):
    pass


def executable(bundle: Path, name: str) -> Path:
    return bundle / (name + ".exe" if WINDOWS else name)


def internal(bundle: Path) -> Path:
    """PyInstaller 6 puts everything but the executables in _internal."""
    return bundle / "_internal" if (bundle / "_internal").is_dir() else bundle


def run(command: list[str | Path], work: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # Nothing from this repository's Python may leak in: the bundle must stand on its own.
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "QT_"))}
    clean.update(ONTKOPPEL_HOME=str(work / "home"), QT_QPA_PLATFORM="offscreen", **env)
    return subprocess.run(
        [str(c) for c in command], cwd=work, env=clean, capture_output=True, text=True, encoding="utf-8",
        errors="replace", timeout=TIMEOUT_S,
    )


def expect(result: subprocess.CompletedProcess[str], what: str) -> None:
    if result.returncode != 0:
        raise CheckFailed(f"{what}: exitcode {result.returncode}\n{result.stdout}{result.stderr}".rstrip())


# ---- the checks ------------------------------------------------------------------------------------------


def check_files(bundle: Path, work: Path) -> str:
    """What is loaded by its path, not imported: PyInstaller's analysis does not see it."""
    base = internal(bundle)
    resources = base / "ontkoppel_desktop" / "resources"
    wanted = {
        "beide programma's": [executable(bundle, "ontkoppel-desktop"), executable(bundle, "ontkoppel-desktop-console")],
        "procedurebestanden": sorted((resources / "procedures").glob("*.toml")),
        "gespreksbestanden": sorted((resources / "procedures").glob("*/gesprekken/*.toml")),
        "lettertypen": [resources / "fonts" / "DejaVuSans.ttf", resources / "fonts" / "DejaVuSans-Bold.ttf"],
        "pictogram": [resources / "icons" / "ontkoppel.svg"],
        "scipy's toewijzingsmodule (_lsap)": sorted((base / "scipy" / "optimize").glob("_lsap.*")),
        # python-docx starts every Word document from its own template (documents/docx.py).
        "het Word-sjabloon van python-docx": [base / "docx" / "templates" / "default.docx",
                                             base / "docx" / "templates" / "default-footer.xml",
                                             base / "docx" / "templates" / "default-header.xml"],
        # The preview loads PDFium with ctypes by its path (ui/voorbeeld.py).
        "PDFium voor het voorbeeld": sorted((base / "pypdfium2_raw").glob("*pdfium.*")),
    }
    missing = [what for what, files in wanted.items() if not files or not all(f.is_file() for f in files)]
    if missing:
        raise CheckFailed("ontbreekt in de bundel: " + ", ".join(missing))
    return (f"{len(wanted['procedurebestanden'])} procedurebestand(en), {len(wanted['gespreksbestanden'])} "
            "gespreksbestand(en), lettertypen, pictogram, _lsap, Word-sjabloon, PDFium")


def check_modules(bundle: Path, work: Path) -> str:
    """Every module of the app is frozen in: one imported by a name in a string would be missed."""
    from PyInstaller.archive.readers import CArchiveReader

    frozen = set(CArchiveReader(str(executable(bundle, "ontkoppel-desktop-console"))).open_embedded_archive(
        "PYZ.pyz"
    ).toc)
    package = Path(__file__).resolve().parent.parent / "src"
    modules = set()
    for path in (package / "ontkoppel_desktop").rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        modules.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    missing = sorted(modules - frozen - {"ontkoppel_desktop.__main__"})  # __main__ is the script itself
    if missing:
        raise CheckFailed("modules niet in de bundel: " + ", ".join(missing))
    return f"alle {len(modules)} modules van de app"


def check_version(bundle: Path, work: Path) -> str:
    result = run([executable(bundle, "ontkoppel-desktop-console"), "--version"], work)
    expect(result, "--version")
    if result.stdout.strip() != f"{APP_NAME} {__version__}":
        raise CheckFailed(f"--version zegt {result.stdout.strip()!r}, de broncode is {__version__}")
    return result.stdout.strip()


def check_self_test(bundle: Path, work: Path) -> str:
    result = run([executable(bundle, "ontkoppel-desktop-console"), "--self-test"], work)
    expect(result, "--self-test")
    if "Zelftest geslaagd" not in result.stdout:
        raise CheckFailed(f"--self-test meldt geen succes:\n{result.stdout}{result.stderr}")
    return result.stdout.strip()


def write_ronde(path: Path) -> None:
    """A small ronde in the documented workbook format (README, 'De werkmap van een ronde'): two first-year
    aios for two curriculum opleiders, two third-year aios for three ervaren opleiders, one a coassistent."""
    wb = Workbook()
    sheets = {
        "Aios": [("id", "naam", "opleidingsjaar"), ("A1", "Sanne de Vries", 1), ("A2", "Daan Bakker", 1),
                 ("A3", "Fatima El Amrani", 3), ("A4", "Lucas Jansen", 3)],
        "Opleiders": [("id", "naam", "praktijk", "status", "coassistent"),
                      ("O1", "Eva Visser", "Praktijk Oost", "curriculum", "nee"),
                      ("O2", "Bram Smit", "Praktijk West", "curriculum", "nee"),
                      ("O3", "Noor de Boer", "Praktijk Noord", "ervaren", "nee"),
                      ("O4", "Ahmed Yilmaz", "Praktijk Zuid", "ervaren", "nee"),
                      ("O5", "Lotte Mulder", "Praktijk Centrum", "ervaren", "ja")],
        "Voorkeuren": [("aios", "opleider", "score"), ("A1", "O1", 1), ("A1", "O2", 2), ("A2", "O1", 1),
                       ("A2", "O2", 2), ("A3", "O3", 1), ("A3", "O5", 2), ("A4", "O3", 1), ("A4", "O4", 2),
                       ("A4", "O5", 3)],
    }
    wb.remove(wb.active)
    for name, rows in sheets.items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(row)
    wb.save(path)


def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    wb = load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def check_koppel(bundle: Path, work: Path) -> str:
    """The headless koppel command: openpyxl, the solver from scipy, the uitslag writer, all frozen."""
    ronde = work / "ronde.xlsx"
    write_ronde(ronde)
    frozen = run([executable(bundle, "ontkoppel-desktop-console"), "koppel", ronde, "--uitslag", "bundel.xlsx"], work)
    expect(frozen, "koppel (bundel)")
    source = run([sys.executable, "-m", "ontkoppel_desktop", "koppel", ronde, "--uitslag", "bron.xlsx"], work)
    expect(source, "koppel (broncode)")
    if frozen.stdout.replace("bundel.xlsx", "") != source.stdout.replace("bron.xlsx", ""):
        raise CheckFailed(f"koppel: de bundel zegt\n{frozen.stdout}\nde broncode zegt\n{source.stdout}")
    ours, theirs = cells(work / "bundel.xlsx"), cells(work / "bron.xlsx")
    if ours != theirs:
        raise CheckFailed("koppel: de uitslag van de bundel verschilt van die van de broncode")
    gekoppeld = len(ours.get("Uitslag", [])) - 1
    if gekoppeld < 4:
        raise CheckFailed(f"koppel: {gekoppeld} van de 4 aios gekoppeld in de uitslag van de bundel")
    return f"4 aios gekoppeld, uitslag gelijk aan die van de broncode ({', '.join(ours)})"


def check_window(bundle: Path, work: Path) -> str:
    """The window program starts (offscreen, quitting once shown) and loads Qt's Dutch translations."""
    # On Windows the window program has no stdout: its exit code is all it says. The console program runs
    # the same code, and tells through Qt's log where the translations are looked for.
    shown = run([executable(bundle, "ontkoppel-desktop")], work, ONTKOPPEL_EXIT_AFTER_SHOWN="1")
    expect(shown, "het venster starten")
    logged = run([executable(bundle, "ontkoppel-desktop-console")], work, ONTKOPPEL_EXIT_AFTER_SHOWN="1",
                 QT_LOGGING_RULES="qt.core.qtranslator.debug=true")
    expect(logged, "het venster starten (console)")
    folders = set(re.findall(r"Searching translation for qtbase_.* in (.+)$", logged.stderr, re.MULTILINE))
    if not folders:
        raise CheckFailed("niet te zien waar Qt zijn vertalingen zoekt (QTranslator log):\n" + logged.stderr)
    found = [Path(f.strip()) / "qtbase_nl.qm" for f in folders]
    if not all(f.is_file() and f.resolve().is_relative_to(bundle.resolve()) for f in found):
        raise CheckFailed(f"Qt zoekt zijn Nederlandse vertaling waar die niet is: {', '.join(map(str, found))}")
    return "gestart en weer gesloten; Qt vindt qtbase_nl.qm in de bundel"


CHECKS: list[tuple[str, Callable[[Path, Path], str]]] = [
    ("bestanden", check_files),
    ("modules", check_modules),
    ("--version", check_version),
    ("--self-test", check_self_test),
    ("koppel", check_koppel),
    ("venster", check_window),
]


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("gebruik: python installer/check_bundle.py dist/ontkoppel-desktop-VERSIE", file=sys.stderr)
        return 2
    bundle = Path(argv[0]).resolve()
    failed = []
    with tempfile.TemporaryDirectory(prefix="ontkoppel-bundel-") as tmp:
        for name, check in CHECKS:
            work = Path(tmp) / name.strip("-")
            (work / "home").mkdir(parents=True)
            started = time.perf_counter()
            try:
                said = check(bundle, work)
            except (CheckFailed, subprocess.TimeoutExpired, OSError) as problem:
                failed.append(name)
                print(f"FOUT  {name}: {problem}")
            else:
                print(f"ok    {name} ({time.perf_counter() - started:.1f} s): {said}")
    if failed:
        print(f"De bundel {bundle} is niet in orde: {', '.join(failed)}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
