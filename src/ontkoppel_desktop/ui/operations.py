"""One gateway for changes (cf. Anki's CollectionOp): run a store call, report errors in Dutch in one
place, and tell every screen what changed so it can refresh.

`change()` is the only way a screen writes: the service call returns `Changes`, which the session announces
with who asked for it (`Session.changed(changes, initiator)`). `run()`/`run_ok()` are for calls that write
nothing to the store (an export, reading a file): they only report errors.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.errors import OntkoppelError, ValidatieFout

if TYPE_CHECKING:
    from ontkoppel_desktop.ui.session import Session

T = TypeVar("T")
log = logging.getLogger(__name__)

ONVERWACHT = (
    "Er ging iets onverwachts mis; je wijziging is niet opgeslagen. "
    "Probeer het opnieuw, en meld het aan de applicatiebeheerder als het blijft gebeuren."
)


def user_message(exc: BaseException) -> str:
    if isinstance(exc, ValidatieFout):
        return "\n".join(f"• {p}" for p in exc.problemen) if len(exc.problemen) > 1 else exc.problemen[0]
    if isinstance(exc, OntkoppelError):
        return str(exc)
    log.error("unexpected error: %s", "".join(traceback.format_exception(exc)))
    return ONVERWACHT


def show_error(parent: QWidget | None, exc: BaseException, title: str = "Niet gelukt") -> None:
    QMessageBox.warning(parent, title, user_message(exc))


def change(
    parent: QWidget | None,
    session: Session,
    fn: Callable[[], Changes],
    *,
    initiator: object = None,
    on_error: Callable[[str], None] | None = None,
    title: str = "Niet gelukt",
) -> Changes | None:
    """Run one service call that writes; announce what it changed, or show why it was refused.

    Every service call is one transaction, so a refusal leaves nothing half-written. The Dutch reason goes to
    `on_error` (a form shows it inline) or into a message box. Returns the Changes, or None when refused.
    """
    try:
        changes = fn()
    except Exception as exc:
        if on_error is not None:
            on_error(user_message(exc))
        else:
            show_error(parent, exc, title)
        return None
    session.announce(changes, initiator)
    return changes


def run(parent: QWidget | None, fn: Callable[[], T], *, title: str = "Niet gelukt") -> T | None:
    """Run fn, which writes nothing to the store (an export, a file read); on failure show the Dutch reason
    and return None."""
    try:
        return fn()
    except Exception as exc:
        show_error(parent, exc, title)
        return None


def confirm_discard(parent: QWidget, title: str, text: str) -> bool:
    """Nothing typed is lost without asking: True only when the user chooses to throw it away."""
    answer = QMessageBox.question(
        parent, title, text,
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


def run_ok(parent: QWidget | None, fn: Callable[[], object], *, title: str = "Niet gelukt") -> bool:
    """Like run(), for calls that return nothing: True when it worked."""
    try:
        fn()
    except Exception as exc:
        show_error(parent, exc, title)
        return False
    return True


def attempt(fn: Callable[[], T]) -> tuple[T | None, str | None]:
    """Like run(), for forms that show the reason inline instead of in a message box."""
    try:
        return fn(), None
    except Exception as exc:
        return None, user_message(exc)

