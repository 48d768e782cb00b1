"""`ladderbuild packets --roster`: one filled-in packet per employee, and nothing for a bad roster."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from ladderbuild.cli import main
from ladderbuild.forms.acroform import field_values
from test_forms_support import FIXTURES, project_dir

LEVELS = [("assistant-1", "Assistant I"), ("assistant-2", "Assistant II"), ("lead", "Lead Assistant")]


@pytest.fixture
def project(tmp_path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(project_dir("forms-all"), target)
    return target


def run(*args: str):
    return CliRunner().invoke(main, ["packets", *args], catch_exceptions=False)


def _roster(path: Path, rows: int) -> Path:
    lines = ["employee_id,name,level,manager,department,hire_date"]
    for n in range(1, rows + 1):
        level = LEVELS[n % 3][0]
        lines.append(f"E{n:04d},Employee {n},{level},Manager {n % 7},Clinic {n % 5},2020-01-{n % 28 + 1:02d}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_hundred_employees_get_two_hundred_correct_packets(project, tmp_path):
    roster = _roster(tmp_path / "roster.csv", 200)
    out = tmp_path / "packets"
    result = run(str(project), "--roster", str(roster), "--packet", "annual-review", "-o", str(out),
                 "--period", "FY2026")
    assert result.exit_code == 0, result.output
    files = sorted((out / "annual-review").iterdir())
    assert [f.name for f in files] == [f"E{n:04d}.pdf" for n in range(1, 201)]
    assert "Wrote 200 packet(s) for 200 employee(s)" in result.output
    pages = {}
    for n, path in enumerate(files, 1):
        pdf = PdfReader(path)
        values = field_values(pdf)
        level_id, level_title = LEVELS[n % 3]
        assert values["employee.name"] == f"Employee {n}"
        assert values["employee.id"] == f"E{n:04d}"
        assert values["employee.level"] == level_title
        assert values["manager.name"] == values["evaluator.name"] == f"Manager {n % 7}"
        assert values["employee.department"] == f"Clinic {n % 5}"
        assert values["review.period"] == "FY2026"
        assert values["annual.rating.vital-signs"] == ""  # the rest is left for the meeting
        assert pdf.metadata.title == f"Annual review packet — Employee {n}"
        pages.setdefault(level_id, len(pdf.pages))
        assert len(pdf.pages) == pages[level_id]
    assert not (project / "output").exists()  # personal data never goes into the handbook


def test_default_folder_is_packets_out_and_every_applicable_packet_is_made(project):
    roster = project / "roster.csv"
    roster.write_text("employee_id,name,level,manager,period\nA1,Ana Silva,assistant-1,Dr. Chen,2025 cycle\n"
                      "A2,Bo Lee,lead,Dr. Chen,2025 cycle\n", encoding="utf-8")
    result = run(str(project), "--roster", str(roster))
    assert result.exit_code == 0, result.output
    made = sorted(p.relative_to(project / "packets-out").as_posix() for p in (project / "packets-out").rglob("*.pdf"))
    # A1 applies for assistant-2 (the only level onward): the promotion packet is laid out for it;
    # A2, at the top, gets no promotion packet, and the manifest says so
    assert made == ["annual-review/A1.pdf", "annual-review/A2.pdf", "promotion-review/A1.pdf"]
    manifest = (project / "packets-out/manifest.csv").read_text(encoding="utf-8")
    assert '"A2","Bo Lee","lead","Dr. Chen","promotion-review","","","no promotion packet' in manifest
    values = field_values(PdfReader(project / "packets-out/promotion-review/A1.pdf"))
    assert values["employee.name"] == "Ana Silva" and values["review.period"] == "2025 cycle"
    assert values["manager.name"] == "Dr. Chen"
    assert "Writing packets" not in result.output  # no progress bar when not on a terminal


def test_a_bad_roster_writes_nothing_and_names_the_rows(project, tmp_path):
    out = tmp_path / "packets"
    result = run(str(project), "--roster", str(FIXTURES / "rosters/bad.csv"), "-o", str(out))
    assert result.exit_code == 1
    assert "bad.csv:3: column `name`: name is empty" in result.output
    assert "bad.csv:4: column `level`: unknown level `assitant-2`" in result.output
    assert "did you mean `assistant-2`?" in result.output
    assert "bad.csv:5: column `employee_id`: duplicate employee ID `E1` (also on row 2)" in result.output
    assert "Nothing written" in result.output
    assert not out.exists()


def test_skip_invalid_writes_the_good_rows(project, tmp_path):
    out = tmp_path / "packets"
    result = run(str(project), "--roster", str(FIXTURES / "rosters/bad.csv"), "-o", str(out), "--skip-invalid",
                 "--packet", "annual-review")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "annual-review").iterdir()) == ["E1.pdf"]
    assert "Skipped 3 row(s)" in result.output


def test_wrong_columns_write_nothing(project, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("id,name,level\nE1,Ana,assistant-1\n", encoding="utf-8")
    result = run(str(project), "--roster", str(roster), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "r.csv:1: column `id`: unknown column" in result.output
    assert "column `employee_id`: required column is missing" in result.output
    assert not (tmp_path / "out").exists()


def test_refuses_to_write_into_the_handbook_output(project):
    result = run(str(project), "--roster", str(FIXTURES / "rosters/minimal.csv"), "-o", str(project / "output/x"))
    assert result.exit_code == 2
    assert "personal data" in result.output
    assert not (project / "output").exists()


def test_unknown_packet_suggests_one(project):
    result = run(str(project), "--roster", str(FIXTURES / "rosters/minimal.csv"), "--packet", "anual-review")
    assert result.exit_code == 2
    assert "did you mean `annual-review`?" in result.output


def test_a_streamed_roster_is_read_twice_and_never_held(project, tmp_path):
    from ladderbuild.forms.personal import iter_employees, personal_packets, scan_roster
    from ladderbuild.forms.roster import RosterError
    from test_forms_support import framework

    fw = framework("forms-all")
    roster = _roster(tmp_path / "roster.csv", 6)
    scan = scan_roster(fw, roster, "annual-review")
    assert (scan.valid, scan.problems) == (6, [])
    assert scan.layouts == {("annual-review", level) for level, _ in LEVELS}
    stream = iter_employees(fw, roster, "annual-review")  # a one-shot iterator: no list is made of it
    out = tmp_path / "out"
    written = list(personal_packets(fw, stream, out, packet="annual-review", layouts=scan.layouts))
    assert [p.name for p in written] == [f"E{n:04d}.pdf" for n in range(1, 7)]
    assert field_values(PdfReader(written[4]))["employee.name"] == "Employee 5"
    # A row that changed between the passes (its level's packet was never laid out) stops the run.
    with pytest.raises(RosterError, match="changed while the packets were being written"):
        list(personal_packets(fw, iter_employees(fw, roster, "annual-review"), tmp_path / "again",
                              packet="annual-review", layouts={("annual-review", "lead")}))
    # So does any edit to the file between the passes or during the second, whatever it touches.
    assert [e.name for e in iter_employees(fw, roster, "annual-review", scan.digest)][:1] == ["Employee 1"]
    roster.write_text(roster.read_text(encoding="utf-8").replace("Employee 3", "Employee Three"), encoding="utf-8")
    with pytest.raises(RosterError, match="the roster changed while the packets were being written"):
        next(iter_employees(fw, roster, "annual-review", scan.digest))
    during = iter_employees(fw, roster, "annual-review", scan_roster(fw, roster, "annual-review").digest)
    assert next(during).name == "Employee 1"
    with open(roster, "a", encoding="utf-8") as handle:  # a row appended while the packets are written
        handle.write("E9999,Late Row,assistant-1,Dr. Chen\n")
    with pytest.raises(RosterError, match="the roster changed"):
        list(during)


def test_packet_layouts_come_from_the_build_cache_on_the_next_run(project, tmp_path, monkeypatch):
    """A blank packet laid out once (by `packets` or `build`: the same document) is copied from the build
    cache next time, and the employees' packets are byte for byte what a cold run makes."""
    from ladderbuild.forms import pdf

    monkeypatch.setenv("LADDERBUILD_CACHE_DIR", str(tmp_path / "cache"))
    roster = _roster(tmp_path / "roster.csv", 3)
    laid_out = []
    real_layout = pdf.layout_pdf
    monkeypatch.setattr(pdf, "layout_pdf", lambda html: laid_out.append(html) or real_layout(html))

    cold = run(str(project), "--roster", str(roster), "--packet", "annual-review", "-o", str(tmp_path / "cold"), "-j", "1")
    assert cold.exit_code == 0, cold.output
    # one blank packet per level of the roster, assembled from its two forms and its cover, each laid out once
    assert len(laid_out) == 3 * 3 and len(set(laid_out)) == 9
    laid_out.clear()
    warm = run(str(project), "--roster", str(roster), "--packet", "annual-review", "-o", str(tmp_path / "warm"), "-j", "1")
    assert warm.exit_code == 0, warm.output
    assert laid_out == []
    for path in sorted((tmp_path / "cold/annual-review").iterdir()):
        assert (tmp_path / "warm/annual-review" / path.name).read_bytes() == path.read_bytes()
