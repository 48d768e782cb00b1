"""What every worker process of a build does first: leave Ctrl-C to the build, and die with it.

Ctrl-C in a terminal signals the whole process group. The build process answers it (stops its
workers, leaves output/ as it was, says so); a worker that also raised KeyboardInterrupt would only
print a traceback. And a pool's workers hold each other's pipes open, so when the build is killed
outright (SIGKILL, the OOM killer) nothing would ever tell an idle worker to go: each watches the
build process and leaves when it is gone.
"""

from __future__ import annotations

import os
import select
import signal
import threading
import time


def follow_build(build_pid: int) -> None:
    """A pool initializer: ignore Ctrl-C, end quietly on SIGTERM (a forked worker would otherwise inherit
    the build's way of unwinding, interrupt.py, and print a traceback), and exit when `build_pid` ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _exit_with(build_pid)


def _exit_with(pid: int) -> None:
    def watch() -> None:
        try:
            fd = os.pidfd_open(pid)  # Linux: readable once the process has ended
            select.select([fd], [], [])
        except (AttributeError, OSError):  # elsewhere (or it has already gone): look every half second
            while _alive(pid):
                time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-build", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
