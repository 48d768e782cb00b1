"""The benchmark's inputs are sound: the synthetic framework checks clean at the size asked for, the
one-competency edit changes one file and still checks clean, and the MkDocs export has a Markdown twin
for every handbook page of content (the comparison is page for page)."""

from __future__ import annotations

import sys
from pathlib import Path

from ladderbuild.build import BuildOptions, build
from ladderbuild.project import load_project

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import mkdocs_export  # noqa: E402
import synth  # noqa: E402


def test_synthetic_framework_has_the_size_asked_for_and_checks_clean(tmp_path):
    project = synth.generate(tmp_path / "synthetic", tracks=3, levels=4, competencies=25)
    loaded = load_project(project)
    assert [d.format() for d in loaded.diagnostics] == []
    fw = loaded.framework
    assert (len(fw.tracks), len(fw.levels), len(fw.competencies)) == (3, 12, 25)
    assert {len(fw.levels_in_track(t.id)) for t in fw.tracks} == {4}
    top = fw.level(synth.level_id(2, 4))
    assert fw.stage_rank(top.competencies[fw.competencies[0].id]) > 0  # stages rise with rank
    assert sum(len(c.description) for c in fw.competencies) > 100 * len(fw.competencies)  # real text, not stubs

    before = {p: p.read_text(encoding="utf-8") for p in (project / "content").rglob("*.*")}
    edited = synth.edit_one_competency(project)
    assert edited == synth.competency_to_edit(project)
    after = {p: p.read_text(encoding="utf-8") for p in (project / "content").rglob("*.*")}
    assert [p for p in before if before[p] != after[p]] == [edited]
    reloaded = load_project(project)
    assert not reloaded.diagnostics
    assert [c.id for c in reloaded.framework.competencies if "Revised after the last review." in c.description] \
        == [edited.stem]


def test_mkdocs_export_has_a_page_for_each_handbook_page(tmp_path):
    project = synth.generate(tmp_path / "synthetic", tracks=2, levels=3, competencies=12)
    fw = load_project(project).framework
    report = build(load_project(project), tmp_path / "out", BuildOptions(pdf=False))
    target = mkdocs_export.export(fw, tmp_path / "mk")
    exported = sorted(p.relative_to(target / "docs").with_suffix(".html").as_posix()
                      for p in (target / "docs").rglob("*.md"))
    # Search, 404, compare and self-placement MkDocs makes itself or has no twin for; the home page is
    # index in both.
    assert sorted(set(report.pages) - {"search.html", "404.html", "compare.html", "place.html"}) == exported
    level = (target / "docs" / "levels" / f"{synth.level_id(1, 2)}.md").read_text(encoding="utf-8")
    assert fw.level(synth.level_id(1, 2)).summary.split()[0] in level
    assert all(c.name in level for c in fw.competencies[:3] if c.id in fw.level(synth.level_id(1, 2)).competencies)
