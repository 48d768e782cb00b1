"""Personalised packets: one PDF per employee of a roster, their details filled in on every form.

The packet for each level the roster needs is made once (in the process
pool, like the handbook's PDFs: assembled from its forms' PDFs and a cover,
assemble.py); each employee's copy is that PDF with its
shared fields — name, ID, level, department, hire date, review period,
manager and evaluator — filled by an incremental update (acroform.py), which
takes a few milliseconds.

The roster is streamed, so memory stays flat however long it is: a first
pass (`scan_roster`) checks every row and keeps only the problems, the count
of valid rows, the (packet, level) layouts needed and the IDs seen (for
duplicate detection); a second pass (`iter_employees`) reads the valid rows
again, one at a time, while their packets are written. No PDF is held in
memory longer than it takes to write it.

Nothing is written unless the whole roster is valid, except with
`skip_invalid`, when the valid rows are written and the others reported.
Personalised packets never go into the handbook's output/ folder.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .. import urls
from ..cache import BuildCache
from ..resolve import Framework
from . import form_tasks, identity
from .acroform import FilledTemplate
from .pdf import render_all
from .roster import Employee, Roster, RosterError, RosterProblem, is_promotion_packet


@dataclass
class PersonalReport:
    written: list[Path] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)
    skipped_rows: int = 0


@dataclass
class RosterScan:
    """What the first pass over a roster keeps: nothing per valid row but a count."""

    valid: int = 0  # rows that will get packets
    problems: list[RosterProblem] = field(default_factory=list)
    layouts: set[tuple[str, str]] = field(default_factory=set)  # (packet id, level id) to lay out
    digest: str = ""  # sha256 of the file as checked: the second pass must read the same bytes


def check_roster(framework: Framework, roster_path: Path, packet: str | None = None
                 ) -> tuple[list[Employee], list[RosterProblem]]:
    """Read the whole roster into memory; the employees of valid rows and every problem found.

    For small rosters and tests; `scan_roster` + `iter_employees` stream instead.
    """
    employees, problems = [], []
    for item in Roster(roster_path, framework, packet).read():
        (problems if isinstance(item, RosterProblem) else employees).append(item)
    return employees, problems


def scan_roster(framework: Framework, roster_path: Path, packet: str | None = None) -> RosterScan:
    """First pass: check every row, keeping the problems and what the packets need, not the rows.

    Raises RosterError when the file as a whole cannot be read.
    """
    scan = RosterScan(digest=roster_digest(roster_path))
    for item in Roster(roster_path, framework, packet).read():
        if isinstance(item, RosterProblem):
            scan.problems.append(item)
        else:
            scan.valid += 1
            scan.layouts.update(key for key in packets_for(framework, item, packet) if key[1])
    return scan


def iter_employees(framework: Framework, roster_path: Path, packet: str | None = None,
                   digest: str | None = None) -> Iterator[Employee]:
    """Second pass: the employees of the valid rows, read again one at a time (problems are skipped;
    the first pass reported them). With the first pass's `digest`, a roster edited since — before
    this pass or while it ran — raises RosterError rather than yield rows nobody checked."""
    if digest is not None:
        _same_roster(roster_path, digest)
    for item in Roster(roster_path, framework, packet).read():
        if isinstance(item, Employee):
            yield item
    if digest is not None:
        _same_roster(roster_path, digest)


def roster_digest(roster_path: Path) -> str:
    try:
        with open(roster_path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return ""  # Roster.read() reports an unreadable file in the framework's words


def _same_roster(roster_path: Path, digest: str) -> None:
    if roster_digest(roster_path) != digest:
        raise RosterError([RosterProblem(
            1, None, "the roster changed while the packets were being written",
            "leave the roster alone until the command has finished, then run it again")])


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
        "promotion.target-level": employee.target.title if employee.target else "",
    }


def packet_title(framework: Framework, packet_id: str, employee: Employee) -> str:
    return f"{framework.packet(packet_id).title} — {employee.name}"


def reference_packet(framework: Framework, packet_id: str, employee: Employee, *, period: str | None = None,
                     templates: Path | None = None, paper: str | None = None) -> bytes:
    """The slow path: this employee's packet laid out whole from HTML with their values already in the fields.

    Seconds per packet instead of milliseconds, so it is never used to write packets; it is what the
    fast path (one packet per level, assembled from its forms' PDFs, filled per employee) must be equal to,
    and the tests compare the two.
    """
    from .html import packet_html
    from .pdf import render_pdf

    ((_, level_id),) = packets_for(framework, employee, packet_id)  # a promotion packet: the target level
    if not level_id:
        raise ValueError(f"{employee.employee_id} gets no `{packet_id}` packet")
    html = packet_html(framework, framework.packet(packet_id), framework.level(level_id),
                       paper=paper or framework.meta.paper, templates=templates,
                       values=field_values(employee, period), title=packet_title(framework, packet_id, employee),
                       employee=employee.employee_id)
    return render_pdf(html)


@dataclass(frozen=True)
class NoPacket:
    """A packet the employee does not get, and why (a line of the manifest)."""

    packet: str
    reason: str


def packets_for(framework: Framework, employee: Employee, packet: str | None) -> list[tuple[str, str]]:
    """(packet id, id of the level it is laid out for) for each packet the employee gets: the current
    level, or for a promotion packet the target level ("" when there is none: no packet)."""
    chosen = [framework.packet(packet)] if packet is not None else (
        [p for p in framework.packets_for(employee.level) if not is_promotion_packet(framework, p)]
        + [p for p in (framework.packets_for(employee.target) if employee.target else [])
           if is_promotion_packet(framework, p)]
        + [p for p in framework.packets if is_promotion_packet(framework, p) and employee.target is None])
    out = []
    for p in chosen:
        if is_promotion_packet(framework, p):
            # laid out for the target level, and only where the packet applies to it (roster.py checks this)
            fits = employee.target is not None and p in framework.packets_for(employee.target)
            out.append((p.id, employee.target.id if fits else ""))
        else:
            out.append((p.id, employee.level.id))
    return out


def personal_packets(framework: Framework, employees: Iterable[Employee], output: Path, *,
                     packet: str | None = None, period: str | None = None,
                     layouts: set[tuple[str, str]] | None = None,
                     templates: Path | None = None, paper: str | None = None, jobs: int | None = None,
                     progress: Callable[[Employee], None] | None = None,
                     cache: BuildCache | None = None) -> Iterator[Path]:
    """Write each employee's packets, yielding each file as it is written.

    `layouts` are the (packet id, level id) pairs to lay out first (from `scan_roster`), so that
    `employees` can be a stream read once; without it, `employees` is read into a list to find them.
    With `cache` (the project's build cache), a layout `ladderbuild build` or an earlier run already
    made is copied instead of laid out again: the blank packet is the same document either way.
    """
    if layouts is None:
        employees = list(employees)
        layouts = {key for e in employees for key in packets_for(framework, e, packet) if key[1]}
    with tempfile.TemporaryDirectory(prefix="ladderbuild-packets-") as tmp:
        tasks = form_tasks(framework, Path(tmp), templates=templates, paper=paper, packets_only=layouts)
        render_all(tasks, jobs=jobs, cache=cache)
        cache: dict[tuple[str, str], FilledTemplate] = {}
        for employee in employees:
            for key in packets_for(framework, employee, packet):
                packet_id = key[0]
                if not key[1]:
                    yield NoPacket(packet_id, f"no promotion packet: no path leads on from {employee.level.id} "
                                              "(or several do: give target_level)")
                    continue
                if key not in layouts:  # the file was edited between the two passes
                    raise RosterError([RosterProblem(
                        employee.row, None, "this row changed while the packets were being written",
                        "leave the roster alone until the command has finished, then run it again")])
                if key not in cache:
                    cache[key] = FilledTemplate((Path(tmp) / urls.packet_pdf(*key)).read_bytes())
                data = cache[key].fill(field_values(employee, period), title=packet_title(framework, packet_id, employee),
                                       info={identity.EMPLOYEE: employee.employee_id})
                yield _write_atomic(output / packet_id / f"{employee.file_stem}.pdf", data)
            if progress:
                progress(employee)


def _write_atomic(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.write_bytes(data)
    os.replace(part, target)
    return target
