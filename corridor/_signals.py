"""Signals: SIGTERM handled like Ctrl-C, and both held back where an interrupt must not land.

The command line turns SIGTERM (sent by ``timeout``, ``kill``, systemd, batch schedulers)
into an exit that runs every clean-up, as Ctrl-C does: workers are stopped and temporary
output removed. Two places must not be interrupted half way, and hold both signals back
until they are done (a signal that arrives meanwhile is delivered right after):

* starting a worker process: an exception raised during ``fork`` lands in an at-fork hook,
  where Python ignores it ("Exception ignored in ..."), and the run would go on;
* swapping an output folder into place.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

__all__ = ["SIGTERM_STATUS", "held", "release_in_child", "sigterm_exits"]

#: Exit status after SIGTERM (128 + the signal's number, as shells report it).
SIGTERM_STATUS = 128 + int(signal.SIGTERM)
_HELD = frozenset({signal.SIGINT, signal.SIGTERM})


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back for the block (this thread; children forked in it inherit the mask)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def release_in_child() -> None:
    """In a worker started inside :func:`held`: ignore Ctrl-C (the parent stops its workers),
    take SIGTERM with its default action (end at once), then let signals through."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(SIGTERM_STATUS)


@contextlib.contextmanager
def sigterm_exits() -> Iterator[None]:
    """SIGTERM handled like Ctrl-C for the block: an exit (status 143) that runs every clean-up."""
    if not _main_thread():
        yield
        return
    before = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)
