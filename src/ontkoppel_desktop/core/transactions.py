"""The one thing a service needs from its backend besides repositories: a unit of work.

A service call opens one transaction around everything it writes, so a refused change leaves nothing behind;
nested calls join the outer transaction. The store implements it on SQLCipher; an institute server can
implement it on PostgreSQL.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol


class Transactions(Protocol):
    def transaction(self) -> AbstractContextManager[object]:
        """Everything written inside is written, or nothing is."""
        ...


__all__ = ["Transactions"]
