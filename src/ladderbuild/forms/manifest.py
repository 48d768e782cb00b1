"""The manifest of a personalised-packet run: which file is whose, for HR's mail merge.

`manifest.csv` sits beside the packets (never in the handbook's output/) and
lists one row per packet written. It holds the same personal data as the
packets, and is written through csvsafe, so a name in the roster can never
turn into a spreadsheet formula.
"""

from __future__ import annotations

from pathlib import Path

from ..csvsafe import write_csv
from ..resolve import Framework
from .personal import packets_for
from .roster import Employee

MANIFEST = "manifest.csv"
COLUMNS = ("employee_id", "name", "level", "manager", "packet", "file")


def manifest_rows(framework: Framework, employees: list[Employee], output: Path, written: list[Path],
                  packet: str | None = None) -> list[tuple[str, ...]]:
    """One row per packet file written, in roster order; `file` is relative to `output`."""
    made = {path.resolve() for path in written}
    rows = []
    for employee in employees:
        for packet_id in packets_for(framework, employee, packet):
            path = (output / packet_id / f"{employee.file_stem}.pdf").resolve()
            if path in made:
                rows.append((employee.employee_id, employee.name, employee.level.id, employee.manager, packet_id,
                             path.relative_to(output.resolve()).as_posix()))
    return rows


def write_manifest(framework: Framework, employees: list[Employee], output: Path, written: list[Path],
                   packet: str | None = None) -> Path:
    return write_csv(output / MANIFEST, COLUMNS, manifest_rows(framework, employees, output, written, packet))
