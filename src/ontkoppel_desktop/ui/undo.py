"""Undoable changes: a command holds ids and before/after values only, and acts through the session's store of
the moment, through the one gateway (ui/operations.change).

So an undo after locking and unlocking works on the new connection, and its change reaches every screen like
any other. The session empties the stacks on lock; a command whose undo is refused now (a rule that holds
today) says why and leaves the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui import operations
from ontkoppel_desktop.ui.session import Session

Act = Callable[[Store], Changes]


class StoreCommand(QUndoCommand):
    """A change already made through operations.change; undo() and redo() make the before or after state
    again. `initiator` is passed on, so the screen that made the change can keep its selection."""

    def __init__(self, session: Session, text: str, *, undo: Act, redo: Act, initiator: object = None) -> None:
        super().__init__(text)
        self._session = session
        self._undo, self._redo = undo, redo
        self._initiator = initiator
        self._done = True  # push() calls redo() once: the change itself was already made

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._act(self._redo)

    def undo(self) -> None:
        self._act(self._undo)

    def _act(self, fn: Act) -> None:
        session = self._session
        if operations.change(None, session, lambda: fn(session.store), initiator=self._initiator,
                             title="Niet ongedaan gemaakt") is None:
            # Refused now (e.g. a rule that holds since): drop this step rather than pretend it happened.
            self.setObsolete(True)


def push_change(
    session: Session,
    stack: object,
    text: str,
    *,
    do: Act,
    undo: Act,
    parent: object = None,
    initiator: object = None,
) -> Changes | None:
    """Make a change through the gateway and, when it worked, put it on `stack` (a QUndoStack) for Ctrl+Z."""
    changes = operations.change(parent, session, lambda: do(session.store), initiator=initiator)  # type: ignore[arg-type]
    if changes is not None:
        stack.push(StoreCommand(session, text, undo=undo, redo=do, initiator=initiator))  # type: ignore[attr-defined]
    return changes
