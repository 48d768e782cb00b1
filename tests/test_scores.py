"""`ladderbuild scores`: personalised packets → filled as a viewer fills them → scores → report.

Scores are compared with values worked out by hand from the scoring rules
(docs/review-cycle.md): N/A and blanks left out of an average, a section with
no ratings gives its weight to the others, the overall score rounded half up.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pikepdf
import pytest

from pypdf import PdfReader

from ladderbuild.forms import identity
from ladderbuild.scores.read import read_pdf
from scores_support import fill, packets, run

SIGNERS = ("employee", "evaluator", "reviewer", "hr")


@pytest.fixture(scope="module")
def cycle(tmp_path_factory) -> dict:
    """The minimal framework, its personalised packets for three employees, and those packets filled."""
    root = tmp_path_factory.mktemp("cycle")
    project, roster, blank = packets(root, "employee_id,name,level,manager,department,period,range_position\n"
                                     "A1,Ana Silva,assistant-1,Dr. Chen,Clinic North,2026,20\n"
                                     "B2,=HYPERLINK(\"x\"),assistant-1,Dr. Chen,Clinic South,2026,60\n"
                                     "C3,Chen Wei 陈伟,assistant-1,Dr. Osei,Clinic North,2026,\n")
    filled = root / "filled"
    filled.mkdir()
    signed = {f"annual.signature.{s}.{part}": ("Signed" if part == "sign" else "2026-12-01")
              for s in SIGNERS for part in ("sign", "date")}
    # A1: complete, with N/A, a blank goal row, 3.475 overall (rounds half up to 3.48).
    fill(blank / "A1.pdf", filled / "A1.pdf", {
        "annual.rating.vital-signs": "4", "annual.comment.vital-signs": "Caught a missed allergy on 3 May.",
        "annual.rating.scheduling": "na",
        "annual.goal.1.text": "Validate in phlebotomy", "annual.goal.1.rating": "3",
        "annual.goal.2.text": "Lead one huddle a week", "annual.goal.2.rating": "2",
        "annual.goal.2.comment": "Led four huddles in the year.",
        "annual.value.respect.rating": "3",
        "self.rating.vital-signs": "3", "self.rating.scheduling": "4", "self.comment.scheduling": "Built the rota.",
        "self.signature.employee.sign": "Ana Silva", "self.signature.employee.date": "2026-11-20",
        **signed})
    # B2: partial — a competency blank, no goals, a value rated 2 without its required comment, unsigned.
    fill(blank / "B2.pdf", filled / "B2.pdf", {
        "annual.rating.vital-signs": "3", "annual.value.respect.rating": "2"})
    # C3: everything at the top: 4s with comments.
    fill(blank / "C3.pdf", filled / "C3.pdf", {
        "annual.rating.vital-signs": "4", "annual.comment.vital-signs": "x", "annual.rating.scheduling": "4",
        "annual.comment.scheduling": "y", "annual.goal.1.text": "g", "annual.goal.1.rating": "4",
        "annual.goal.1.comment": "z", "annual.value.respect.rating": "4", "annual.value.respect.comment": "w",
        **signed})
    out = root / "scores"
    result = run("scores", str(filled), "-C", str(project), "-o", str(out), "--roster", str(roster), "-j", "2")
    return {"project": project, "blank": blank, "filled": filled, "out": out, "result": result, "root": root,
            "roster": roster}


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def annual(cycle, employee: str) -> dict:
    return next(r for r in rows(cycle["out"] / "scores.csv") if r["employee_id"] == employee and r["form"] == "annual")


def test_personalised_packets_say_what_they_are(cycle):
    pdf = pikepdf.open(cycle["blank"] / "A1.pdf")
    info = {str(k).lstrip("/"): str(v) for k, v in pdf.docinfo.items()}
    assert info[identity.FRAMEWORK] == "example-clinic-career-ladder"
    assert info[identity.VERSION] == "1.0"
    assert info[identity.PACKET] == "annual-review"
    assert info[identity.LEVEL] == "assistant-1"
    assert info[identity.EMPLOYEE] == "A1"
    assert info[identity.FIELDS].startswith("f1-")
    # Every employee's packet has the same fields, so the same fingerprint.
    other = pikepdf.open(cycle["blank"] / "C3.pdf")
    assert str(other.docinfo["/" + identity.FIELDS]) == info[identity.FIELDS]
    assert str(other.docinfo["/" + identity.EMPLOYEE]) == "C3"


def test_scores_equal_the_hand_computed_values(cycle):
    assert cycle["result"].exit_code == 0, cycle["result"].output
    a1 = annual(cycle, "A1")
    # competencies: 4 (scheduling N/A) · goals: (3 + 2) / 2 · values: 3 → 0.6·4 + 0.25·2.5 + 0.15·3 = 3.475
    assert (a1["section_competencies"], a1["section_goals"], a1["section_values"]) == ("4", "2.5", "3")
    assert a1["overall"] == "3.48" and a1["band"] == "Meets"
    assert (a1["provisional"], a1["reweighted"], a1["complete"]) == ("no", "no", "yes")
    b2 = annual(cycle, "B2")
    # competencies 3 (scheduling blank), goals none (their 25 goes to the others), values 2:
    # (60·3 + 15·2) / 75 = 2.8
    assert (b2["section_competencies"], b2["section_goals"], b2["section_values"]) == ("3", "", "2")
    assert b2["overall"] == "2.80" and b2["band"] == "Meets"
    assert (b2["provisional"], b2["reweighted"], b2["complete"]) == ("yes", "yes", "no")
    c3 = annual(cycle, "C3")
    assert c3["overall"] == "4.00" and c3["band"] == "Exceeds" and c3["complete"] == "yes"


def test_the_csv_is_safe_against_formula_injection(cycle):
    text = (cycle["out"] / "scores.csv").read_text(encoding="utf-8-sig")
    assert '"\'=HYPERLINK(""x"")"' in text
    assert not any(cell.startswith("=") for row in csv.reader(text.splitlines()) for cell in row)


def test_every_incomplete_item_is_located(cycle):
    problems = [r for r in rows(cycle["out"] / "problems.csv") if r["file"].endswith("B2.pdf")]
    found = {(r["code"], r["form"], r["item"]) for r in problems}
    assert ("missing-rating", "Annual evaluation", "Scheduling") in found
    assert ("missing-comment", "Annual evaluation", "Respect") in found
    assert ("missing-rating", "Annual evaluation", "Goals") in found
    assert ("missing-rating", "Self-assessment", "Vital signs") in found
    for signer in SIGNERS:
        assert ("missing-signature", "Annual evaluation", signer) in found
        assert ("missing-date", "Annual evaluation", signer) in found
    assert all(r["page"].isdigit() and int(r["page"]) >= 1 for r in problems)
    complete = [r for r in rows(cycle["out"] / "problems.csv") if r["file"].endswith(("A1.pdf", "C3.pdf"))
                and r["form"] == "Annual evaluation"]
    assert complete == []


def test_json_holds_every_score_and_problem(cycle):
    data = json.loads((cycle["out"] / "scores.json").read_text(encoding="utf-8"))
    assert data["framework"] == {"id": "example-clinic-career-ladder", "title": "Example Clinic Career Ladder",
                                 "version": "1.0"}
    overall = {e["employee_id"]: e["overall"] for e in data["evaluations"] if e["form"] == "annual"}
    assert overall == {"A1": "3.48", "B2": "2.80", "C3": "4.00"}
    assert len(data["evaluations"]) == 6  # two forms in each of three packets
    assert any(p["code"] == "missing-comment" for p in data["problems"])


def test_ratings_csv_lists_each_rating_with_na(cycle):
    ratings = [r for r in rows(cycle["out"] / "ratings.csv") if r["employee_id"] == "A1" and r["form"] == "annual"]
    by_item = {(r["source"], r["item"]): (r["rating"], r["not_applicable"]) for r in ratings}
    assert by_item[("competencies", "scheduling")] == ("", "yes")
    assert by_item[("competencies", "vital-signs")] == ("4", "no")
    assert by_item[("goals", "2")] == ("2", "no")
    assert ("goals", "3") not in by_item  # an unused goal row is not a rating


def test_the_summary_line_ends_the_run(cycle):
    last = cycle["result"].output.strip().splitlines()[-1]
    assert last.startswith("3 files read: 3 scored, 0 refused; 6 forms, 3 with an overall score")


def test_output_is_private_and_never_overwritten_without_force(cycle):
    out = cycle["out"]
    assert (out.stat().st_mode & 0o077) == 0
    assert all((p.stat().st_mode & 0o077) == 0 for p in out.rglob("*") if p.is_file())
    before = (out / "scores.csv").read_bytes()
    again = run("scores", str(cycle["filled"]), "-C", str(cycle["project"]), "-o", str(out))
    assert again.exit_code == 2 and "already holds files" in again.output
    assert (out / "scores.csv").read_bytes() == before
    forced = run("scores", str(cycle["filled"] / "A1.pdf"), "-C", str(cycle["project"]), "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert len(rows(out / "scores.csv")) == 2


@pytest.mark.parametrize("where", ["output", "output/private/scores", "content", ".", "filled"])
def test_refuses_an_output_folder_it_must_not_replace(cycle, where):
    project = cycle["project"]
    target = cycle["filled"] if where == "filled" else project / where
    result = run("scores", str(cycle["filled"]), "-C", str(project), "-o", str(target))
    assert result.exit_code == 2
    assert "error:" in result.output
    assert not (project / "output").exists()
    assert sorted(p.name for p in cycle["filled"].iterdir()) == ["A1.pdf", "B2.pdf", "C3.pdf"]


def test_one_process_and_a_pool_of_workers_write_the_same_results(cycle, tmp_path):
    """Two workers also write the result files side by side; one process must write every file byte for
    byte the same (the report streamed from its template, the tables from SQL)."""
    written = {}
    for jobs in ("1", "2"):
        out = written[jobs] = tmp_path / f"jobs-{jobs}"
        result = run("scores", str(cycle["filled"]), "-C", str(cycle["project"]), "-o", str(out), "--roster",
                     str(cycle["roster"]), "-j", jobs)
        assert result.exit_code == 0, result.output
    names = sorted(str(p.relative_to(written["1"])) for p in written["1"].rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(written["2"])) for p in written["2"].rglob("*") if p.is_file())
    assert {"report.html", "scores.csv", "ratings.csv", "problems.csv", "scores.json"} <= set(names)
    for name in names:
        assert (written["1"] / name).read_bytes() == (written["2"] / name).read_bytes(), name
    assert "Ana Silva" in (written["2"] / "report.html").read_text(encoding="utf-8")


def widget_pages(path: Path) -> dict[str, int]:
    """Each field's first page, worked out independently of ladderbuild: pypdf, page by page."""
    pages: dict[str, int] = {}
    for number, page in enumerate(PdfReader(path).pages, 1):
        for ref in page.get("/Annots", []) or []:
            node, parts = ref.get_object(), []
            while node is not None:
                if "/T" in node:
                    parts.append(str(node["/T"]))
                node = node.get("/Parent")
                node = node.get_object() if node is not None else None
            pages.setdefault(".".join(reversed(parts)), number)
    return pages


@pytest.mark.parametrize("widgets_name_their_page", [True, False])
def test_a_field_is_located_on_the_page_that_shows_it(cycle, tmp_path, widgets_name_their_page):
    """Problems name the page of their field: read from the widget's /P, or, for a PDF whose widgets don't
    name their page (allowed; some writers leave /P out), found in the pages' annotations."""
    path = cycle["filled"] / "B2.pdf"
    if not widgets_name_their_page:
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                for annot in page.obj.get("/Annots", []):
                    if "/P" in annot:
                        del annot["/P"]
            pdf.save(tmp_path / "no-p.pdf")
        path = tmp_path / "no-p.pdf"
    expected = widget_pages(path)
    assert len(set(expected.values())) > 1  # the packet's fields are on several pages
    filled = read_pdf(path, 10_000_000)
    try:
        assert {name: filled.page_of(name) for name in filled.values} == {
            name: expected[name] for name in filled.values}
    finally:
        filled.close()


def test_duplicate_evaluations_in_one_cycle_are_reported(cycle, tmp_path):
    shutil.copy(cycle["filled"] / "A1.pdf", tmp_path / "A1-again.pdf")
    shutil.copy(cycle["filled"] / "A1.pdf", tmp_path / "A1.pdf")
    result = run("scores", str(tmp_path), "-C", str(cycle["project"]), "-o", str(tmp_path / "out"), "-j", "1")
    assert result.exit_code == 0, result.output
    duplicates = [r for r in rows(tmp_path / "out" / "problems.csv") if r["code"] == "duplicate"]
    assert {r["form"] for r in duplicates} == {"Annual evaluation", "Self-assessment"}
    assert all("2026" in r["message"] for r in duplicates)


def test_merit_increases_follow_the_band_and_the_position_in_the_range(cycle, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(cycle["project"], project)
    framework = project / "content" / "framework.yaml"
    framework.write_text(framework.read_text(encoding="utf-8").replace("domains:\n", """\
merit:
  positions:
    - {id: low, label: Lower half, below: 50}
    - {id: high, label: Upper half}
  increases:
    top: [5, 4]
    middle: [3, 2]
    bottom: [0, 0]
domains:
""", 1).replace("  sections:\n", """\
  bands:
    - {id: top, label: Top, min: 3.6}
    - {id: middle, label: Middle, min: 2.5}
    - {id: bottom, label: Bottom, min: 1}
  sections:
""", 1), encoding="utf-8")
    out = tmp_path / "out"
    result = run("scores", str(cycle["filled"]), "-C", str(project), "-o", str(out), "--roster",
                 str(cycle["roster"]), "-j", "1")
    assert result.exit_code == 0, result.output
    increase = {r["employee_id"]: (r["band"], r["proposed_increase_percent"]) for r in rows(out / "scores.csv")
                if r["form"] == "annual"}
    # A1 3.48 → Middle, position 20 → lower half: 3 · B2 2.80 → Middle, 60 → upper half: 2 ·
    # C3 4.00 → Top, no position in the roster: no single figure
    assert increase == {"A1": ("Middle", "3"), "B2": ("Middle", "2"), "C3": ("Top", "")}
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "4–5 %" in html  # C3: the row's range, for want of a position


def test_an_older_version_with_the_same_fields_is_scored_with_a_warning(cycle, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(cycle["project"], project)
    framework = project / "content" / "framework.yaml"
    framework.write_text(framework.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"')
                         .replace("summary: A small framework", "summary: A reworded framework"), encoding="utf-8")
    result = run("scores", str(cycle["filled"] / "A1.pdf"), "-C", str(project), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "made from version 1.0" in result.output and "same as in version 1.1" in result.output
    assert annual({"out": tmp_path / "out"}, "A1")["overall"] == "3.48"


def test_an_older_version_whose_fields_changed_is_refused_with_the_reason(cycle, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(cycle["project"], project)
    level = project / "content" / "levels" / "assistant-1.md"
    level.write_text(level.read_text(encoding="utf-8").replace("  scheduling: novice\n", ""), encoding="utf-8")
    framework = project / "content" / "framework.yaml"
    framework.write_text(framework.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "2.0"'),
                         encoding="utf-8")
    result = run("scores", str(cycle["filled"] / "A1.pdf"), "-C", str(project), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "A1.pdf" in result.output and "made from version 1.0" in result.output
    assert "rating.scheduling` is on the PDF but no longer on the form" in result.output
    assert result.output.strip().splitlines()[-1].startswith("1 file read: 0 scored, 1 refused")
