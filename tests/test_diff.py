"""`ladderbuild diff`: changes reported in the framework's terms, between folders and git revisions."""

from __future__ import annotations

import json
import shutil
import subprocess

from click.testing import CliRunner

from helpers import edit
from ladderbuild.cli import main


def changed_copy(project_copy):
    new = project_copy()
    edit(new, "levels/assistant-2.md", "  vital-signs: competent", "  vital-signs: expert")
    edit(new, "levels/assistant-1.md", 'target: "≥ 95%"', 'target: "≥ 97%"')
    edit(new, "levels/assistant-1.md", "title: Assistant I", "title: Clinic Assistant I")
    edit(new, "framework.yaml", "weight: 15", "weight: 10")
    edit(new, "framework.yaml", "weight: 25", "weight: 30")
    edit(new, "competencies/scheduling.yaml", "  expert: Designs templates", "  expert: Redesigns templates")
    edit(new, "levels/assistant-2.md", "  time_in_level:\n    min_months: 12", "  time_in_level:\n    min_months: 18")
    edit(new, "levels/lead.md", "  scheduling: expert\n", "  scheduling: expert\n  triage: competent\n")
    (new / "content/competencies/triage.yaml").write_text(
        "id: triage\nname: Triage\ndomain: clinical\ndescription: Sorts patients by urgency.\n"
        "anchors:\n  novice: a\n  competent: b\n  expert: c\n")
    return new


EXPECTED = [
    ("levels", "renamed", "Level renamed: Assistant I → Clinic Assistant I"),
    ("competencies", "added", "New competency: Triage"),
    ("expectations", "raised", "Vital signs at Assistant II: competent → expert"),
    ("expectations", "added", "Triage now expected at Lead Assistant: Competent"),
    ("requirements", "changed", "Assistant II: time in level: 12 months → 18 months"),
    # Matched by the indicator's id: one change, reported at the level that made it (not at
    # Assistant II, which inherits it).
    ("kpis", "changed", "A I, Intake completeness: target: ≥ 95% → ≥ 97%"),
    ("evaluation", "changed", "Weight of Goals: 25% → 30%"),
    ("evaluation", "changed", "Weight of Values: 15% → 10%"),
    ("anchors", "changed", "Scheduling, anchor for Expert, reworded"),
]


def test_diff_reports_exactly_the_expected_changes(minimal_project, project_copy):
    new = changed_copy(project_copy)
    result = CliRunner().invoke(main, ["diff", str(minimal_project), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    got = [(c["area"], c["action"], c["text"]) for c in json.loads(result.output)]
    assert got == EXPECTED


def test_diff_text_and_markdown(minimal_project, project_copy):
    new = changed_copy(project_copy)
    text = CliRunner().invoke(main, ["diff", str(minimal_project), str(new)]).output
    assert "Expectations:\n  ↑ Vital signs at Assistant II: competent → expert" in text
    markdown = CliRunner().invoke(main, ["diff", str(minimal_project), str(new), "--format", "markdown"]).output
    assert markdown.startswith("## What changed\n")
    assert "### Evaluation weights\n\n- Weight of Goals: 25% → 30%" in markdown


def test_no_changes(minimal_project):
    result = CliRunner().invoke(main, ["diff", str(minimal_project), str(minimal_project)])
    assert result.output == "No changes to the framework.\n"


def test_diff_between_git_revisions(project_copy, monkeypatch):
    repo = project_copy()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-qm", "v1"], check=True)
    subprocess.run([*git, "-C", str(repo), "tag", "v1"], check=True)
    edit(repo, "levels/assistant-2.md", "  vital-signs: competent", "  vital-signs: novice")
    subprocess.run([*git, "-C", str(repo), "commit", "-qam", "v2"], check=True)
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["diff", "v1", "HEAD"])
    assert result.exit_code == 0, result.output
    assert result.output == ("Expectations:\n  ↓ Vital signs at Assistant II: competent → novice\n"
                             "1 change from 1.0 (v1) to 1.0 (HEAD)\n")
    bad = CliRunner().invoke(main, ["diff", "no-such-tag", "HEAD"])
    assert bad.exit_code == 2 and "neither a folder nor a git revision" in bad.output
    shutil.rmtree(repo / ".git")


def test_quiet_prints_only_the_summary(minimal_project, tmp_path):
    changed = tmp_path / "changed"
    shutil.copytree(minimal_project, changed)
    path = changed / "content/levels/assistant-2.md"
    path.write_text(path.read_text(encoding="utf-8").replace("vital-signs: competent", "vital-signs: novice"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", "-q", str(minimal_project), str(changed)])
    assert result.exit_code == 0, result.output
    assert result.output == f"1 change from 1.0 ({minimal_project}) to 1.0 ({changed})\n"


def _diff_texts(old, new) -> list[tuple[str, str, str]]:
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    return [(c["area"], c["action"], c["text"]) for c in json.loads(result.output)]


def test_the_changes_staff_care_about_most_are_reported(repo_root, tmp_path):
    """The issue's case: `diff` said "No changes" after raising the rating gate and the grade of MA II."""
    new = tmp_path / "new"
    shutil.copytree(repo_root / "content", new / "content")
    edit(new, "levels/ma-2.md", "  min_last_rating: 3\n", "  min_last_rating: 4\n")
    edit(new, "levels/ma-2.md", 'grade: "A22"', 'grade: "A23"')
    edit(new, "levels/ma-2.md", "  - Works the team inbox and prepares refill requests within the Riverbend protocols",
         "  - Works the team inbox and prepares refill requests within the Riverbend refill protocols")
    edit(new, "levels/ma-2.md", "  - Shows new MAs and students how the clinic works during shadow shifts\n",
         "  - Shows new MAs and students how the clinic works during shadow shifts\n"
         "  - Leads the morning huddle when the Lead MA is away\n")
    edit(new, "levels/ma-2.md", "The fully independent MA.", "The independent MA.")
    edit(new, "forms/annual-evaluation.yaml", "title: Annual performance evaluation", "title: Annual review")
    got = _diff_texts(repo_root, new)
    texts = [t for _a, _b, t in got]
    assert ("gates", "changed", "MA II: minimum last rating: 3 → 4") in got
    assert ("levels", "changed", "MA II: grade: A22 → A23") in got
    assert any(area == "levels" and "responsibility reworded" in t for area, _, t in got), texts
    assert ("levels", "added", "MA II: responsibility added: Leads the morning huddle when the Lead MA is away") in got
    assert any(area == "levels" and "summary reworded" in t for area, _, t in got), texts
    assert ("forms", "renamed", "Form renamed: Annual performance evaluation → Annual review") in got
    # Each change once, at MA II: not again at the levels that inherit from it.
    assert sum("responsibility added" in t for t in texts) == 1


def test_points_gates_critical_steps_methods_and_pay_are_reported(repo_root, tmp_path):
    new = tmp_path / "new"
    shutil.copytree(repo_root / "content", new / "content")
    ma3 = (new / "content/levels/ma-3.md").read_text()
    assert "minimum_total: 12" in ma3 and "cap: 6" in ma3
    edit(new, "levels/ma-3.md", "minimum_total: 12", "minimum_total: 14")
    text = (new / "content/levels/ma-3.md").read_text()
    (new / "content/levels/ma-3.md").write_text(text.replace("cap: 6", "cap: 5", 1))
    edit(new, "levels/ma-3.md", "  discipline_lookback_months: 12", "  discipline_lookback_months: 24")
    comp = (new / "content/competencies/venipuncture.yaml").read_text()
    lines = comp.splitlines()
    first_step = lines[lines.index("critical_steps:") + 1]
    edit(new, "competencies/venipuncture.yaml", first_step + "\n", "")
    edit(new, "competencies/venipuncture.yaml", "validation_methods: [return-demonstration, observation, simulation]",
         "validation_methods: [return-demonstration, observation, simulation, test]")
    got = _diff_texts(repo_root, new)
    texts = "\n".join(t for _a, _b, t in got)
    assert "Senior MA: minimum points: 12 → 14" in texts
    assert "cap (most points counted): 6 → 5" in texts
    assert "no disciplinary action within: 12 months → 24 months" in texts
    assert "critical step removed" in texts
    assert "validation methods added: test" in texts
