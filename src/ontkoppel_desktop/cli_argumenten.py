"""The headless commands' argument parsing in Dutch: argparse with its usual messages translated, and a usage
error that a command turns into its own Dutch message and exit code (never argparse's exit or traceback).
Without Qt and without the solver, so every command can use it."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import NoReturn

# argparse's own messages are English; the common ones in Dutch.
_ARGPARSE_NL = (
    ("the following arguments are required:", "verplicht:"),
    ("unrecognized arguments:", "onbekende argumenten:"),
    ("expected one argument", "verwacht een waarde"),
    ("argument ", "bij "),
)


class GebruiksFout(Exception):
    """The command line is not right; the message (Dutch) says what."""


class _DutchFormatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "gebruik: ")


class NederlandseParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Dutch and raises GebruiksFout instead of exiting."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(formatter_class=_DutchFormatter, add_help=False, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"

    def error(self, message: str) -> NoReturn:
        for english, dutch in _ARGPARSE_NL:
            message = message.replace(english, dutch)
        raise GebruiksFout(message)


__all__ = ["GebruiksFout", "NederlandseParser"]
