"""The error a request raises when it cannot be read as a whole, shared by the API's modules (api.py answers it
with HTTP 400). Its own module, so that the modules that raise it can import one another (gebeurtenissen.py asks
personen.py who sees which opleider and koppeling; personen.py raises it too)."""

from __future__ import annotations


class Onleesbaar(ValueError):
    """The request as a whole cannot be read (HTTP 400). The message is Dutch."""
