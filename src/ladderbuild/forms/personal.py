"""Personalised packets: one PDF per employee of a roster, their details filled in on every form.

The packet for each level the roster needs is laid out once (in the process
pool, like the handbook's PDFs); each employee's copy is that PDF with its
shared fields — name, ID, level, department, hire date, review period,
manager and evaluator — filled by an incremental update (acroform.py), which
takes about a millisecond. The roster is read row by row and no PDF is held
in memory longer than it takes to write it.

Nothing is written unless the whole roster is valid, except with
`skip_invalid`, when the valid rows are written and the others reported.
Personalised packets never go into the handbook's output/ folder.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..resolve import Framework
from . import form_tasks
from .acroform import FilledTemplate
from .pdf import render_all
from .roster import Employee, Roster, RosterProblem


@dataclass
class PersonalReport:
    written: list[Path] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)
    skipped_rows: int = 0


def check_roster(framework: Framework, roster_path: Path, packet: str | None = None
                 ) -> tuple[list[Employee], list[RosterProblem]]:
    """Read the whole roster; the employees of valid rows and every problem found."""
    employees, problems = [], []
    for item in Roster(roster_path, framework, packet).read():
        (problems if isinstance(item, RosterProblem) else employees).append(item)
    return employees, problems


def field_values(employee: Employee, period: str | None = None) -> dict[str, str]:
    """What a personalised packet fills in, by PDF field name (see view.PERSONAL_FIELDS)."""
    return {
        "employee.name": employee.name,
        "employee.id": employee.employee_id,
        "employee.level": employee.level.title,
        "employee.department": employee.department,
        "employee.hire-date": employee.hire_date,
        "review.period": period if period else employee.period,
        "manager.name": employee.manager,
        "evaluator.name": employee.manager,
    }


def packets_for(framework: Framework, employee: Employee, packet: str | None) -> list[str]:
    if packet is not None:
        return [packet]
    return [p.id for p in framework.packets_for(employee.level)]


def write_personal_packets(framework: Framework, employees: list[Employee], output: Path, *,
                           packet: str | None = None, period: str | None = None,
                           templates: Path | None = None, paper: str | None = None, jobs: int | None = None,
                           progress: Callable[[Employee], None] | None = None) -> list[Path]:
    """Write `output/<packet-id>/<employee-id>.pdf` for each employee; returns the files written."""
    needed = {(p, e.level.id) for e in employees for p in packets_for(framework, e, packet)}
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="ladderbuild-packets-") as tmp:
        tasks = form_tasks(framework, Path(tmp), templates=templates, paper=paper, packets_only=needed)
        render_all(tasks, jobs=jobs)
        cache: dict[tuple[str, str], FilledTemplate] = {}
        for employee in employees:
            for packet_id in packets_for(framework, employee, packet):
                key = (packet_id, employee.level.id)
                if key not in cache:
                    from .. import urls

                    cache[key] = FilledTemplate((Path(tmp) / urls.packet_pdf(*key)).read_bytes())
                template = cache[key]
                title = f"{framework.packet(packet_id).title} — {employee.name}"
                data = template.fill(field_values(employee, period), title=title)
                target = output / packet_id / f"{employee.file_stem}.pdf"
                target.parent.mkdir(parents=True, exist_ok=True)
                part = target.with_name(target.name + ".part")
                part.write_bytes(data)
                os.replace(part, target)
                written.append(target)
            if progress:
                progress(employee)
    return written
