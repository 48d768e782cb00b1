"""Same content (and roster) → byte-identical PDFs, also across processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from test_forms_support import FIXTURES, project_dir


def _cli(*args: str, env: dict | None = None) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment.update(env or {})
    result = subprocess.run([sys.executable, "-m", "ladderbuild.cli", *args], capture_output=True, text=True,
                            env=environment)
    assert result.returncode == 0, result.stderr


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.pdf"))}


def test_two_builds_in_separate_processes_are_byte_identical(tmp_path):
    project = project_dir("minimal")
    _cli("build", str(project), "--no-html", "-q", "-o", str(tmp_path / "one"), "-j", "2")
    _cli("build", str(project), "--no-html", "-q", "-o", str(tmp_path / "two"), "-j", "1")
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert len(one) == 15 and one.keys() == two.keys()  # 9 forms and packets, 3 job descriptions, 3 interview guides
    assert [name for name in one if one[name] != two[name]] == []


def test_personalised_packets_are_byte_identical_across_runs(tmp_path):
    project = project_dir("minimal")
    roster = FIXTURES / "rosters/minimal.csv"
    for name in ("one", "two"):
        _cli("packets", str(project), "--roster", str(roster), "-o", str(tmp_path / name), "-q")
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert len(one) == 3 and one == two


def test_source_date_epoch_sets_the_pdf_dates(tmp_path):
    _cli("build", str(project_dir("minimal")), "--no-html", "-q", "-o", str(tmp_path / "out"),
         env={"SOURCE_DATE_EPOCH": "1767312000"})  # 2026-01-02 00:00 UTC; the framework says 2026-01-01
    meta = PdfReader(tmp_path / "out/forms/self--lead.pdf").metadata
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20260102000000Z"
