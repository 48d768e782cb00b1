"""Write: build into a staging folder beside output/, then swap it in atomically.

A failed, interrupted or killed build leaves the previous output/ exactly as
it was: nothing is written into output/ itself. On Linux the swap is one
`renameat2(RENAME_EXCHANGE)` call; elsewhere two renames in quick succession.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the platform cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


@contextlib.contextmanager
def staged_output(output: Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces `output`, on failure it is removed."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-", dir=output.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    os.chmod(staging, 0o755)  # mkdtemp makes it private; the handbook is meant to be served
    if output.exists() and _exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous build
        return
    old = output.with_name(f".{output.name}.old-{os.getpid()}")
    if output.exists():
        os.rename(output, old)
    os.rename(staging, output)
    shutil.rmtree(old, ignore_errors=True)


def write_text(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def write_bytes(root: Path, relative: str, data: bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
