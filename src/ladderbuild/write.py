"""Write: build into a staging folder beside output/, then swap it in atomically.

A failed, interrupted or killed build leaves the previous output/ exactly as
it was: nothing is written into output/ itself. On Linux the swap is one
`renameat2(RENAME_EXCHANGE)` call; elsewhere two renames in quick succession.

A build killed outright (SIGKILL, power cut) cannot remove its staging
folder, so each build first removes the staging folders of builds that are
no longer running. Which ones those are is told by a lock: a build holds an
exclusive `flock` on its own staging folder, which the kernel releases when
the process ends, however it ends; a folder whose lock can be taken is a
leftover. Builds running side by side never remove each other's folders.

Which folders may be replaced at all is outputdir's decision: `staged_output` takes the target
`outputdir.check` allowed, and writes the marker that lets the same command replace the folder
next time.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from . import outputdir

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


def staging_prefix(output: Path) -> str:
    return f".{output.name}.staging-"


@contextlib.contextmanager
def staged_output(target: outputdir.OutputTarget | Path, mode: int = 0o755) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces the target folder (with `mode`), on
    failure it is removed. A plain path is checked first as the handbook's folder of no known project
    (outputdir.check): raises OutputRefused before anything is touched."""
    if not isinstance(target, outputdir.OutputTarget):
        target = outputdir.check(target, kind=outputdir.HANDBOOK)
    output = target.path
    output.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(output)
    staging, lock = _locked_staging(output)
    try:
        try:
            yield staging
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        outputdir.mark(staging, target.kind)
        os.chmod(staging, mode)  # mkdtemp makes it private; the handbook is meant to be served
        if output.exists() and _exchange(staging, output):
            _discard(staging)  # now holds the previous build
            return
        old = Path(tempfile.mkdtemp(prefix=staging_prefix(output) + "old-", dir=output.parent))
        if output.exists():
            os.replace(output, old)  # onto the empty folder just made: a name no one else holds
        os.rename(staging, output)
        _discard(old)
    finally:
        os.close(lock)


def _discard(previous: Path) -> None:
    """Remove the previous build. The new one is in place: a Ctrl-C now only stops the tidying,
    and the next build removes what is left."""
    try:
        shutil.rmtree(previous, ignore_errors=True)
    except KeyboardInterrupt:
        pass


def _locked_staging(output: Path) -> tuple[Path, int]:
    """A new staging folder beside `output` and an open descriptor holding its lock."""
    while True:
        staging = Path(tempfile.mkdtemp(prefix=staging_prefix(output), dir=output.parent))
        try:
            fd = os.open(staging, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            continue  # another build took it for a leftover in the instant before we locked it
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.stat(staging).st_ino == os.fstat(fd).st_ino:
                return staging, fd
        except FileNotFoundError:
            pass
        os.close(fd)


def remove_leftovers(output: Path) -> list[Path]:
    """Remove staging folders beside `output` that no running build holds; returns those removed."""
    removed = []
    for folder in sorted(output.parent.glob(staging_prefix(output) + "*")):
        if folder.is_symlink() or not folder.is_dir():
            continue
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)  # a build is running with it
            continue
        try:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            os.close(fd)
    return removed


def write_text(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def write_chunks(root: Path, relative: str, chunks: Iterable[str]) -> Path:
    """Write text as it is made (a template's `generate()`), never holding the whole of it; UTF-8, with
    newlines as written on every system."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.writelines(chunks)
    return path


def write_bytes(root: Path, relative: str, data: bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
