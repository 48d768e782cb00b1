"""The benchmark's inputs and tools are sound: the synthetic framework checks clean at the size asked for,
the one-competency edit changes one file and still checks clean, the MkDocs export has a Markdown twin
for every handbook page of content (the comparison is page for page), `--baseline` measures the other
commit's own code, and peak memory counts shared pages once."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

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


def _exported(target: Path) -> list[str]:
    return sorted(p.relative_to(target / "docs").with_suffix(".html").as_posix()
                  for p in (target / "docs").rglob("*.md"))


# Search, 404, compare and self-placement MkDocs makes itself or has no twin for; the home page is index in both.
NO_TWIN = {"search.html", "404.html", "compare.html", "place.html"}


def test_mkdocs_export_has_a_page_for_each_handbook_page(tmp_path):
    project = synth.generate(tmp_path / "synthetic", tracks=2, levels=3, competencies=12)
    fw = load_project(project).framework
    report = build(load_project(project), tmp_path / "out", BuildOptions(pdf=False))
    target = mkdocs_export.export(fw, tmp_path / "mk")
    assert sorted(set(report.pages) - NO_TWIN) == _exported(target)
    level = (target / "docs" / "levels" / f"{synth.level_id(1, 2)}.md").read_text(encoding="utf-8")
    assert fw.level(synth.level_id(1, 2)).summary.split()[0] in level
    assert all(c.name in level for c in fw.competencies[:3] if c.id in fw.level(synth.level_id(1, 2)).competencies)


def test_mkdocs_export_covers_specialisms_roles_and_levels_with_a_specialism(tmp_path):
    """The frameworks the comparison runs on (the shipped one has specialisms; the engineering example has
    roles too): every handbook page has its twin, so MkDocs is not timed on fewer pages."""
    root = Path(__file__).resolve().parents[1]
    for project in (root, root / "examples" / "software-engineering"):
        loaded = load_project(project)
        fw = loaded.framework
        assert fw.specialisms
        report = build(loaded, tmp_path / f"out-{project.name}", BuildOptions(pdf=False))
        target = mkdocs_export.export(fw, tmp_path / f"mk-{project.name}")
        assert sorted(set(report.pages) - NO_TWIN) == _exported(target)
    assert fw.roles  # the example's roles were exported above
    role = fw.roles[0]
    text = (target / "docs" / "roles" / f"{role.id}.md").read_text(encoding="utf-8")
    assert role.title in text and role.summary in text


def test_baseline_is_a_worktree_of_the_commit_built_with_its_own_code_and_compared_row_by_row(tmp_path):
    """`bench/run --baseline REV`: the commit's worktree is made, its ladderbuild (not this checkout's) runs
    the baseline's builds, every row measured on both sides gets an after/before line, and the worktree is
    gone afterwards. Tiny rounds keep it cheap; no time is asserted, only that the ratios are the runs'."""
    import subprocess

    import bench

    head = subprocess.run(["git", "-C", str(bench.REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    folder = tmp_path / "baseline"
    side = bench.baseline_worktree("HEAD", folder, sys.executable)
    try:
        assert side.label == f"baseline {head}" and side.root == folder
        assert (folder / "src" / "ladderbuild" / "cli.py").is_file()
        imported = subprocess.run([sys.executable, "-c", "import ladderbuild; print(ladderbuild.__file__)"],
                                  env={**bench.os.environ, **side.env}, capture_output=True, text=True, check=True)
        assert Path(imported.stdout.strip()).is_relative_to(folder / "src")  # its code, not this checkout's

        b = bench.Bench(tmp_path / "work", sys.executable, side, rounds=1, noop_rounds=1)
        sources = b.sources("synthetic", (2, 2, 12))
        assert sources[1].is_relative_to(tmp_path / "work") and sources[0] != sources[1]
        b.builds("tiny", sources, pdf=False)
        assert [r[1] for r in b.compared] == ["cold build, HTML only", "no-op rebuild (HTML only)",
                                              "rebuild after editing 1 competency"]
        for row, runs in zip(b.compared, (b.rows[0], b.rows[1], b.rows[2])):
            before, after, ratio = float(row[2]), float(row[3]), float(row[4])
            assert after == float(runs[2])  # the after column is this checkout's row
            # the cells are rounded to 0.01: so much can the ratio of the shown times differ
            assert abs(ratio - after / before) <= 0.005 + 0.005 / before * (1 + ratio)
        built = tmp_path / "work" / "tiny-html-before" / "output"
        assert (built / "index.html").is_file()  # the baseline's build is its own, in its own folder
        assert "after/before wall" in bench.compared_table(b.compared)
    finally:
        bench.remove_worktree(folder)
    listed = subprocess.run(["git", "-C", str(bench.REPO), "worktree", "list", "--porcelain"], capture_output=True,
                            text=True, check=True).stdout
    assert str(folder) not in listed and not folder.exists()


def test_baseline_that_is_not_a_commit_is_refused_clearly(tmp_path):
    import bench

    with pytest.raises(SystemExit, match="--baseline no-such-rev: not a commit"):
        bench.baseline_worktree("no-such-rev", tmp_path / "b", sys.executable)
    assert not (tmp_path / "b").exists()


def test_peak_memory_counts_pages_shared_by_forked_workers_once(tmp_path):
    """A parent holding 96 MiB forks three children that keep it (copy-on-write, untouched): summing the
    resident sizes would report ~4 × 96 MiB; the tree's PSS is ~96 MiB plus four interpreters."""
    import bench

    script = (
        "import os, time\n"
        "block = bytearray(96 * 2**20)\n"
        "for i in range(0, len(block), 4096): block[i] = 1\n"
        "kids = []\n"
        "for _ in range(3):\n"
        "    kid = os.fork()\n"
        "    if kid == 0:\n"
        "        time.sleep(1.5)\n"
        "        os._exit(0)\n"
        "    kids.append(kid)\n"
        "for kid in kids: os.waitpid(kid, 0)\n"
    )
    run = bench.measure([sys.executable, "-c", script])
    assert 96 <= run.peak_mb < 2 * 96
