"""Errors the user can act on. Their messages are Dutch and shown as they are."""

from __future__ import annotations


class OntkoppelError(Exception):
    """Base for every error whose message is meant for the user."""


class ValidatieFout(OntkoppelError):
    """Input breaks one or more rules; `problemen` lists every one of them, not just the first."""

    def __init__(self, problemen: list[str]) -> None:
        self.problemen = list(problemen)
        super().__init__("\n".join(self.problemen))
