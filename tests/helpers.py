"""Small helpers shared by tests."""

from __future__ import annotations

from pathlib import Path

from ladderbuild.diagnostics import Diagnostic
from ladderbuild.project import load_project


def edit(project: Path, relative: str, old: str, new: str) -> None:
    """Replace `old` (which must occur exactly once) in a content file of `project`."""
    path = project / "content" / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def diagnostics(project: Path) -> list[Diagnostic]:
    return load_project(project).diagnostics


def only(found: list[Diagnostic], code: str) -> Diagnostic:
    matching = [d for d in found if d.code == code]
    assert len(matching) == 1, f"expected one {code}, got: " + "\n".join(d.format() for d in found)
    return matching[0]


def line_of(project: Path, relative: str, needle: str) -> int:
    """1-based line number of the first line containing `needle`."""
    for number, line in enumerate((project / "content" / relative).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {relative}")
