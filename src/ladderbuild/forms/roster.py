"""Roster: the CSV of employees a personalised packet is made for, checked row by row.

Columns (header names are case-insensitive; spaces and hyphens count as `_`):

    employee_id, name, level, manager          required
    department, hire_date, period              optional
    target_level                               optional: the level a promotion packet applies for
    range_position                             optional: position in the pay range, in percent
                                               (0 = its minimum, 100 = its maximum; for the merit
                                               increases `ladderbuild scores` proposes)

`level` and `target_level` are a level id (`ma-2`) or its title. A promotion
packet (one that holds a promotion-readiness form) is laid out for the
target level: `target_level` when given — it must be reachable from `level`
by promotion paths — else the next level when `level` has exactly one path
onward; someone with nowhere to go gets no promotion packet. Any value
that no installed font can print is refused (it would print as blanks). Every problem is reported with
the row (the line of the file, the header being line 1) and the column, in
the words of the person who exported the file, with a hint. Rows are read
one at a time, so a roster of any length costs little memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .. import fonts
from ..resolve import Framework, Level
from ..terminal import printable
from . import fieldfonts
from .view import is_promotion_packet

REQUIRED = ("employee_id", "name", "level", "manager")
OPTIONAL = ("department", "hire_date", "period", "target_level", "range_position")
PRINTED = ("employee_id", "name", "manager", "department", "period")  # drawn into the packets' fields
COLUMNS = REQUIRED + OPTIONAL
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_QUOTE_HINT = 'close the quote, or remove it: a value in quotes ends at its closing quote, and a quote inside it is written twice (`""`)'
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Employee:
    row: int
    employee_id: str
    name: str
    level: Level
    manager: str
    department: str = ""
    hire_date: str = ""
    period: str = ""
    target: Level | None = None  # the level a promotion packet is for (None: nowhere to go)
    range_position: float | None = None

    @property
    def file_stem(self) -> str:
        return safe_file_stem(self.employee_id)


@dataclass(frozen=True)
class RosterProblem:
    row: int  # line in the file (the header is line 1)
    column: str | None
    message: str
    hint: str = ""

    def format(self, path: Path | str) -> str:
        """The problem as lines for a terminal: the roster's values are escaped (terminal.py)."""
        where = f"{path}:{self.row}" + (f": column `{self.column}`" if self.column else "")
        return printable(f"{where}: {self.message}") + (f"\n    hint: {printable(self.hint)}" if self.hint else "")


class RosterError(Exception):
    """A roster that cannot be read at all (no header, wrong columns, not a CSV file)."""

    def __init__(self, problems: list[RosterProblem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def safe_file_stem(employee_id: str) -> str:
    """An employee ID as a file name: letters, digits, `.`, `_` and `-`; anything else becomes `_`."""
    stem = _UNSAFE.sub("_", employee_id).strip("._") or "_"
    return stem


def _column_key(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else ""


def _lines(path: Path) -> Iterator[str]:
    """The file's lines decoded as UTF-8 (a byte-order mark is allowed); a bad byte names its line."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if b"\x00" in raw or (number == 1 and raw.startswith((b"\xff\xfe", b"\xfe\xff"))):
                raise RosterError([RosterProblem(
                    number, None, "the roster is not UTF-8 text: it looks like UTF-16 (Excel's \"Unicode Text\") "
                    "or a binary file", "save the roster as CSV UTF-8 (in Excel: File → Save As → CSV UTF-8)")])
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise RosterError([RosterProblem(
                    number, None, f"this line is not valid UTF-8 (byte {exc.start + 1})",
                    "save the roster as CSV UTF-8 (in Excel: File → Save As → CSV UTF-8)")]) from None


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


class Roster:
    """Reads and checks a roster against a framework (and, optionally, one packet)."""

    def __init__(self, path: Path, framework: Framework, packet: str | None = None):
        self.path = Path(path)
        self.fw = framework
        self.packet = packet
        self._by_key = {}
        for level in framework.all_levels:  # a level with a specialism is a level of its own here
            for key in (level.id, level.title, level.short_title):
                if key:
                    self._by_key.setdefault(key.strip().lower(), level)

    def read(self) -> Iterator[Employee | RosterProblem]:
        """Each data row as an Employee, or one RosterProblem per problem found in it.

        Raises RosterError when the file as a whole cannot be read (encoding, header).
        """
        lines = _lines(self.path)
        first = next(lines, None)
        if first is None or not first.strip():
            raise RosterError([RosterProblem(1, None, "the roster is empty: no header row",
                                             "the first line names the columns: " + ", ".join(REQUIRED))])

        def all_lines():
            yield first
            yield from lines

        reader = csv.reader(all_lines(), delimiter=_delimiter(first), strict=True)
        try:
            header = next(reader)
        except csv.Error as exc:
            raise RosterError([RosterProblem(1, None, f"the header row is not valid CSV: {exc}")]) from None
        columns = self._check_header(header)
        seen_ids: dict[str, int] = {}
        row = reader.line_num + 1  # a row is numbered by the line it starts on
        try:
            for cells in reader:
                if any(c.strip() for c in cells):
                    yield from self._row(row, cells, columns, seen_ids)
                row = reader.line_num + 1
        except csv.Error as exc:
            if reader.line_num > row or "end of data" in str(exc):  # a quote ran on past its row
                yield RosterProblem(row, None, "a quote (`\"`) opened on this row is never closed, so the rows "
                                    "after it were read as one value", _QUOTE_HINT)
            else:
                yield RosterProblem(row, None, f"this row is not valid CSV: {exc}", _QUOTE_HINT)

    def _check_header(self, header: list[str]) -> list[str]:
        problems = []
        keys = [_column_key(h) for h in header]
        for i, (raw, key) in enumerate(zip(header, keys)):
            if not key:
                problems.append(RosterProblem(1, f"#{i + 1}", "a column has no name",
                                              "name every column, or delete the empty one"))
            elif key not in COLUMNS:
                hint = _did_you_mean(key, COLUMNS) or "the columns are: " + ", ".join(COLUMNS)
                problems.append(RosterProblem(1, raw.strip(), "unknown column", hint))
            elif keys.index(key) != i:
                problems.append(RosterProblem(1, raw.strip(), "this column appears twice",
                                              "keep one of them"))
        for column in REQUIRED:
            if column not in keys:
                hint = ""
                near = [h for h, k in zip(header, keys) if k not in COLUMNS and _did_you_mean(k, [column])]
                if near:
                    hint = f"is `{near[0].strip()}` meant to be `{column}`?"
                problems.append(RosterProblem(1, column, "required column is missing",
                                              hint or "add a column named " + column))
        if problems:
            raise RosterError(problems)
        return keys

    def _row(self, row: int, cells: list[str], columns: list[str], seen_ids: dict[str, int]):
        problems: list[RosterProblem] = []
        if len(cells) != len(columns):
            yield RosterProblem(row, None, f"this row has {len(cells)} cells but the header has {len(columns)}",
                                "check for a missing or extra separator, or a value with a comma "
                                "that is not in quotes")
            return
        values = {}
        for column, cell in zip(columns, cells):
            value = cell.strip()
            if _CONTROL.search(value) or "\n" in value or "\r" in value:
                problems.append(RosterProblem(row, column, "the value contains a line break or control character",
                                              "keep each value on one line"))
                value = _CONTROL.sub(" ", value).replace("\n", " ").replace("\r", " ")
            values[column] = value
        for column in REQUIRED:
            if not values.get(column):
                problems.append(RosterProblem(row, column, f"{column.replace('_', ' ')} is empty",
                                              "every employee needs " + ", ".join(REQUIRED)))
        employee_id = values.get("employee_id", "")
        if employee_id:
            key = safe_file_stem(employee_id).lower()
            if key in seen_ids:
                problems.append(RosterProblem(
                    row, "employee_id", f"duplicate employee ID `{employee_id}` (also on row {seen_ids[key]})",
                    "each employee appears once; IDs that differ only in case or punctuation count as the same, "
                    "as they would get the same file name"))
            else:
                seen_ids[key] = row
        for column in PRINTED:
            missing = fieldfonts.missing(values.get(column, ""))
            if missing:
                problems.append(RosterProblem(
                    row, column, f"no installed font can print {fonts.describe(missing)}; the packet would show "
                    "blanks there", fonts.HINT))
        level = target = None
        if values.get("level"):
            level = self._by_key.get(values["level"].lower())
            if level is None:
                hint = _did_you_mean(values["level"], [lv.id for lv in self.fw.levels]
                                     + [lv.title for lv in self.fw.levels])
                problems.append(RosterProblem(row, "level", f"unknown level `{values['level']}`",
                                              hint or "use a level id: " + ", ".join(lv.id for lv in self.fw.levels)))
            else:
                target, problem = self._target(row, level, values.get("target_level", ""))
                problem = problem or self._packet_problem(row, level, target)
                if problem:
                    problems.append(problem)
        hire = values.get("hire_date", "")
        if hire:
            try:
                dt.date.fromisoformat(hire)
            except ValueError:
                problems.append(RosterProblem(row, "hire_date", f"`{hire}` is not a date in the form YYYY-MM-DD",
                                              "for example 2024-03-18"))
        position = None
        if values.get("range_position"):
            try:
                position = float(values["range_position"].rstrip("%").strip())
                if not math.isfinite(position):
                    raise ValueError(position)
            except ValueError:
                problems.append(RosterProblem(row, "range_position",
                                              f"`{values['range_position']}` is not a number",
                                              "write the position in the pay range in percent, e.g. 42.5"))
        if problems:
            yield from problems
            return
        yield Employee(row=row, employee_id=employee_id, name=values["name"], level=level,
                       manager=values["manager"], department=values.get("department", ""),
                       hire_date=hire, period=values.get("period", ""), target=target,
                       range_position=position)

    def _target(self, row: int, level: Level, given: str) -> tuple[Level | None, RosterProblem | None]:
        """The level a promotion packet is for: the `target_level` cell, else the only level onward."""
        reachable = promotion_targets(self.fw, level)
        if not given:
            onward = {p.to for p in level.paths}
            return (self.fw.level(onward.pop()) if len(onward) == 1 else None), None
        target = self._by_key.get(given.lower())
        if target is None:
            hint = _did_you_mean(given, [lv.id for lv in self.fw.levels] + [lv.title for lv in self.fw.levels])
            return None, RosterProblem(row, "target_level", f"unknown level `{given}`",
                                       hint or "use a level id: " + ", ".join(lv.id for lv in self.fw.levels))
        if target not in reachable:
            return None, RosterProblem(
                row, "target_level", f"`{target.id}` cannot be reached from `{level.id}` by a promotion path",
                ("levels reachable from " + level.id + ": " + ", ".join(lv.id for lv in reachable)) if reachable
                else f"no path leads on from `{level.id}`: leave target_level empty")
        return target, None

    def _packet_problem(self, row: int, level: Level, target: Level | None = None) -> RosterProblem | None:
        applicable = [p.id for p in self.fw.packets_for(level) if not is_promotion_packet(self.fw, p)]
        if target is not None:
            applicable += [p.id for p in self.fw.packets_for(target) if is_promotion_packet(self.fw, p)]
        elif self.packet is not None and is_promotion_packet(self.fw, self.fw.packet(self.packet)):
            return None  # nowhere to go: no promotion packet, said in the manifest
        if self.packet is None:
            if not applicable:
                return RosterProblem(row, "level", f"no packet applies to level `{level.id}`",
                                     "check the `levels:` of the packets in content/packets/")
        elif self.packet not in applicable:
            return RosterProblem(row, "level", f"the packet `{self.packet}` does not apply to level `{level.id}`",
                                 ("packets for this level: " + ", ".join(applicable)) if applicable
                                 else "no packet applies to this level")
        return None


def promotion_targets(fw: Framework, level: Level) -> list[Level]:
    """Every level reachable from `level` by one or more paths, nearest first."""
    seen: dict[str, Level] = {}
    frontier = [level]
    while frontier:
        nxt = []
        for current in frontier:
            for path in current.paths:
                if path.to not in seen and path.to != level.id:
                    seen[path.to] = fw.level(path.to)
                    nxt.append(seen[path.to])
        frontier = nxt
    return list(seen.values())
