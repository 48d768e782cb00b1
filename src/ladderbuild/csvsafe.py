"""CSV files for spreadsheets, safe against formula injection.

A spreadsheet opening a CSV runs any cell that starts with `=`, `+`, `-` or
`@` as a formula, so a roster name such as `=HYPERLINK("http://…")` would
become a live link (or worse) on HR's screen. OWASP's rule, followed here:
every cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
(and, as OWASP ASVS 1.2.10 adds, a NUL; and the full-width forms some
spreadsheets also accept) gets a leading single quote, which spreadsheets
show as text and do not evaluate. Quoting and escaping are the csv module's
(RFC 4180), every cell in double quotes. Files are UTF-8 with a byte-order
mark, so Excel shows accented names correctly, and written atomically.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Iterable, Sequence

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: object) -> str:
    """`value` as CSV cell text that no spreadsheet will take for a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _safe_row(row: Sequence[object]) -> list[str]:
    """safe_cell on every cell, written out: a ratings table has millions of cells, and the call per cell
    was most of the time it took to write one."""
    cells = ["" if cell is None else str(cell) for cell in row]
    return ["'" + text if text.startswith(FORMULA_TRIGGERS) else text for text in cells]


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """Write `header` and `rows` to `path` (replacing it only once complete); returns `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    try:
        with open(part, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
            writer.writerow([safe_cell(h) for h in header])
            writer.writerows(map(_safe_row, rows))
    except BaseException:
        part.unlink(missing_ok=True)  # `rows` may be a stream that failed half-way: no half a file
        raise
    os.replace(part, path)
    return path
