"""`ladderbuild init` makes a project that checks clean; `ladderbuild new` adds valid skeletons."""

from __future__ import annotations

from click.testing import CliRunner

from ladderbuild.cli import main
from ladderbuild.project import load_project


def test_init_then_check_is_clean(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(tmp_path / "fw"), "--title", "Dental Assistant Ladder"])
    assert result.exit_code == 0, result.output
    project = load_project(tmp_path / "fw")
    assert project.diagnostics == []
    fw = project.framework
    assert fw.meta.title == "Dental Assistant Ladder"
    assert len(fw.tracks) == 2 and len(fw.levels) >= 3 and len(fw.competencies) >= 2
    assert len(fw.forms) == 1 and len(fw.packets) == 1
    assert (tmp_path / "fw" / "README.md").read_text().startswith("# Dental Assistant Ladder")
    assert runner.invoke(main, ["check", str(tmp_path / "fw"), "--strict"]).exit_code == 0


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 1 and "not empty" in result.output
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_new_skeletons_are_valid_and_guide_the_author(tmp_path):
    runner = CliRunner()
    runner.invoke(main, ["init", str(tmp_path / "fw")])
    for kind, ident in (("level", "technician-3"), ("competency", "inventory-control"), ("page", "faq")):
        result = runner.invoke(main, ["new", kind, ident, "-C", str(tmp_path / "fw")])
        assert result.exit_code == 0, result.output
    project = load_project(tmp_path / "fw")
    assert project.errors == []
    assert sorted(d.code for d in project.warnings) == ["unreachable-level", "unused-competency"]
    level = project.framework.level("technician-3")
    assert (level.track, level.rank, level.title) == ("technician", 3, "Technician 3")
    assert set(project.framework.competency("inventory-control").anchors) == {"learning", "skilled", "leading"}
    again = runner.invoke(main, ["new", "page", "faq", "-C", str(tmp_path / "fw")])
    assert again.exit_code == 1 and "already exists" in again.output
    bad = runner.invoke(main, ["new", "level", "Bad Id", "-C", str(tmp_path / "fw")])
    assert bad.exit_code == 1 and "not a valid id" in bad.output
