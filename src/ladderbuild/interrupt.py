"""Stopping: Ctrl-C and SIGTERM end a command the same clean way.

Ctrl-C raises KeyboardInterrupt in the command, which unwinds through the staging folder and the
worker pools: the staging folder is removed, the workers are stopped, output/ stays as it was.
SIGTERM — what `timeout`, `kill`, systemd and CI runners send — would by default end the process
on the spot, leaving its staging folder behind and the standard library's resource tracker
warning about leaked semaphores. `sigterm_unwinds()` makes it raise `Terminated` (a
KeyboardInterrupt) instead, so it takes the very same way out, with its own exit code.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from typing import Iterator

INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C (128 + SIGINT)
TERMINATED = 143  # … and by SIGTERM (128 + SIGTERM)


class Terminated(KeyboardInterrupt):
    """The process was asked to stop with SIGTERM."""


def _raise_terminated(_signum, _frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not break off the tidying
    raise Terminated()


@contextlib.contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """Inside, SIGTERM raises Terminated in the main thread; the previous handler is put back after.
    (Signal handlers belong to the main thread: elsewhere this does nothing.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def exit_code(stop: KeyboardInterrupt) -> int:
    return TERMINATED if isinstance(stop, Terminated) else INTERRUPTED


def describe(stop: KeyboardInterrupt) -> str:
    return "Stopped (SIGTERM)" if isinstance(stop, Terminated) else "Interrupted"
