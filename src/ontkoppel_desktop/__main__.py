"""Entry point: the app, or a headless command. Qt is imported only when a window is needed."""

from __future__ import annotations

import argparse
import sys

from ontkoppel_desktop import APP_NAME, __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ontkoppel-desktop",
        description=f"{APP_NAME}: ontkoppelingstrajecten en koppelingen in de huisartsopleiding.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--self-test", action="store_true", help="controleer de installatie zonder scherm")
    parser.add_argument("--demo", action="store_true", help="open de demo-opslag met fictieve gegevens")
    parser.add_argument(
        "--demo-als-nieuw",
        action="store_true",
        help="open de demo-opslag als er nog geen eigen opslag is gekozen (voor nieuwkomers)",
    )
    parser.add_argument("opslag", nargs="?", help="het opslagbestand (.okdb) om te openen")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "koppel":
        from ontkoppel_desktop import cli_koppel

        return cli_koppel.run(args[1:])
    if args and args[0] == "archief":
        from ontkoppel_desktop import cli_archief

        return cli_archief.run(args[1:])
    options = _parser().parse_args(args)
    if options.self_test:
        from ontkoppel_desktop import selftest

        return selftest.run()
    from ontkoppel_desktop.ui.app import run_app

    return run_app(options.opslag, demo=options.demo, demo_if_new=options.demo_als_nieuw)


if __name__ == "__main__":
    sys.exit(main())
