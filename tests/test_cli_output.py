"""Every command takes -q and -v, ends with a short summary, and shows progress only on a terminal."""

from __future__ import annotations

import io
import shutil

import pytest
from click.testing import CliRunner

from ladderbuild.cli import NORMAL, QUIET, Progress, main


@pytest.fixture
def project(tmp_path, minimal_project, monkeypatch):
    # A cold cache of its own: the session's shared cache may already hold these PDFs
    # (other test files build the same fixture), and then they are reused, not rendered.
    monkeypatch.setenv("LADDERBUILD_CACHE_DIR", str(tmp_path / "cache"))
    target = tmp_path / "project"
    shutil.copytree(minimal_project, target)
    return target


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_every_command_accepts_quiet_and_verbose():
    for name, command in main.commands.items():
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert {"-q", "-v"} <= options, f"`ladderbuild {name}` lacks -q or -v"


def test_quiet_and_verbose_together_is_a_usage_error(project):
    result = invoke("check", str(project), "-q", "-v")
    assert result.exit_code == 2 and "contradict" in result.output


def test_check(project):
    normal = invoke("check", str(project))
    assert normal.exit_code == 0
    assert normal.output.strip().endswith("0 error(s), 0 warning(s)")
    assert invoke("check", str(project), "-q").output == ""
    verbose = invoke("check", str(project), "-v")
    files = sum(1 for p in (project / "content").rglob("*") if p.is_file())
    assert f"Checked {files} files under" in verbose.output
    assert verbose.output.strip().endswith("0 error(s), 0 warning(s)")


def test_build(project):
    verbose = invoke("build", str(project), "--no-html", "-v", "-j", "2")
    assert verbose.exit_code == 0, verbose.output
    rendered = [line for line in verbose.output.splitlines() if line.startswith("  rendered ")]
    # 9 forms and packets, 3 job descriptions, 3 interview guides
    assert len(rendered) == 15 and "  rendered forms/annual--assistant-1.pdf" in rendered
    assert "  rendered jobs/assistant-1.pdf" in rendered and "  rendered interviews/lead.pdf" in rendered
    assert "Writing" not in verbose.output and "PDFs  [" not in verbose.output  # no bar off a terminal
    assert invoke("build", str(project), "--no-html", "-q").output == ""


def test_init_new_and_schema(tmp_path):
    quiet = invoke("init", str(tmp_path / "p"), "-q")
    assert quiet.exit_code == 0 and quiet.output == ""
    verbose = invoke("new", "competency", "triage", "-C", str(tmp_path / "p"), "-v")
    assert "id: triage" in verbose.output and verbose.output.strip().endswith("then run `ladderbuild check`.")
    listed = invoke("schema", "-o", str(tmp_path / "schema"), "-v")
    assert listed.output.count("  wrote ") == len(list((tmp_path / "schema").iterdir()))


def test_packets_list_each_file_with_verbose(project, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,name,level,manager\nE1,Ana Silva,assistant-2,Dr. Chen\n", encoding="utf-8")
    result = invoke("packets", str(project), "--roster", str(roster), "-o", str(tmp_path / "out"), "-v", "-j", "1")
    assert result.exit_code == 0, result.output
    assert f"  wrote {tmp_path / 'out' / 'annual-review' / 'E1.pdf'}" in result.output
    assert f"Wrote 1 packet(s) for 1 employee(s) into {tmp_path / 'out'}" in result.output
    assert result.output.strip().endswith("manifest.csv lists who gets which file (for a mail merge)")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_a_bar_on_a_terminal_only():
    terminal = _Terminal()
    with Progress(NORMAL, stream=terminal) as progress:
        for done in range(1, 4):
            progress.update("PDFs", done, 3)
    assert "PDFs" in terminal.getvalue() and "3/3" in terminal.getvalue()

    for stream, verbosity in ((io.StringIO(), NORMAL), (_Terminal(), QUIET)):
        with Progress(verbosity, stream=stream) as progress:
            progress.update("PDFs", 1, 3)
        assert stream.getvalue() == ""
