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
    ("anchors", "changed", "Scheduling, anchor for Expert, reworded"),
    ("kpis", "changed", "Intake completeness at A I: target ≥ 95% → ≥ 97%"),
    ("expectations", "raised", "Vital signs at Assistant II: competent → expert"),
    ("requirements", "changed", "Assistant II time in level: 12 months → 18 months"),
    ("expectations", "added", "Triage now expected at Lead Assistant: Competent"),
    ("evaluation", "changed", "Weight of Goals: 25% → 30%"),
    ("evaluation", "changed", "Weight of Values: 15% → 10%"),
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
