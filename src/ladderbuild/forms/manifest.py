"""The manifest of a personalised-packet run: which file is whose, for HR's mail merge.

`manifest.csv` sits beside the packets (never in the handbook's output/) and
lists one row per packet written. It holds the same personal data as the
packets, and is written through csvsafe, so a name in the roster can never
turn into a spreadsheet formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..csvsafe import write_csv
from .roster import Employee

MANIFEST = "manifest.csv"
COLUMNS = ("employee_id", "name", "level", "manager", "packet", "file", "target_level", "note")
LEGACY_COLUMNS = COLUMNS[:6]  # what runs before the marker (outputdir.py) wrote


def manifest_rows(employees: Iterable[Employee], write: Callable[[Iterable[Employee]], Iterable[Path]],
                  output: Path) -> Iterator[tuple[str, ...]]:
    """Run `write` (which writes each employee's packets, yielding every file as it is written) over
    `employees`, yielding a manifest row per file — so a roster of any length is streamed through."""
    current: list[Employee] = []

    def remembered(stream: Iterable[Employee]) -> Iterator[Employee]:
        for employee in stream:
            current[:] = [employee]  # `write` yields this employee's files before it asks for the next
            yield employee

    root = output.resolve()
    for path in write(remembered(employees)):
        employee = current[0]
        target = employee.target.id if employee.target else ""
        if isinstance(path, Path):
            yield (employee.employee_id, employee.name, employee.level.id, employee.manager, path.parent.name,
                   path.resolve().relative_to(root).as_posix(), target, "")
        else:  # a packet this employee does not get (personal.NoPacket)
            yield (employee.employee_id, employee.name, employee.level.id, employee.manager, path.packet, "",
                   target, path.reason)


def write_manifest(employees: Iterable[Employee], write: Callable[[Iterable[Employee]], Iterable[Path]],
                   output: Path) -> Path:
    """Write the packets through `write` and `manifest.csv` beside them; the manifest appears only
    when every packet was written."""
    return write_csv(output / MANIFEST, COLUMNS, manifest_rows(employees, write, output))


def holds_a_manifest(folder: Path) -> bool:
    """Whether `folder` holds a manifest.csv this module wrote: how a packets folder written before
    packets left a marker (outputdir.py) is known, so the next run may replace it."""
    try:
        with open(Path(folder) / MANIFEST, encoding="utf-8-sig", newline="") as handle:
            first = handle.readline(200)
    except (OSError, UnicodeDecodeError):
        return False
    return first.rstrip("\r\n") in {",".join(f'"{column}"' for column in columns)
                                     for columns in (LEGACY_COLUMNS, COLUMNS)}
