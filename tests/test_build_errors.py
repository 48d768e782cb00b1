"""A failed build explains itself without a traceback and leaves the previous output/ as it was."""

from __future__ import annotations

from click.testing import CliRunner

from helpers import edit
from ladderbuild.cli import main


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_content_error_keeps_previous_output(project_copy, tmp_path):
    project = project_copy()
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(project), "-o", str(out), "--no-pdf"]).exit_code == 0
    before = snapshot(out)
    edit(project, "framework.yaml", "weight: 15", "weight: 20")
    result = runner.invoke(main, ["build", str(project), "-o", str(out), "--no-pdf"])
    assert result.exit_code == 1
    assert "[weights-total]" in result.output and "was left as it was" in result.output
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []  # no staging left behind


def test_broken_override_template_is_reported_not_a_traceback(project_copy, tmp_path):
    project = project_copy()
    (project / "templates/site").mkdir(parents=True)
    (project / "templates/site/base.html").write_text("{% block content %}\n{{ oops( }}\n")
    result = CliRunner().invoke(main, ["build", str(project), "-o", str(tmp_path / "out"), "--no-pdf"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "base.html:2: error [template]" in result.output
    assert not (tmp_path / "out").exists()
