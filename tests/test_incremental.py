"""Incremental builds: nothing to do renders nothing; an edit lays out again only the PDFs that show it;
and whatever the edits, the cached build is byte for byte the clean build."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from ladderbuild.build import BuildOptions, build
from ladderbuild.cache import tree_state
from ladderbuild.cli import main
from ladderbuild.project import load_project

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal"


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_build(project: Path, output: Path, cache: bool = True):
    return build(load_project(project), output, BuildOptions(jobs=2, cache=cache))


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_changed_renders_nothing_and_an_edit_renders_only_what_shows_it(tmp_path, monkeypatch):
    monkeypatch.setenv("LADDERBUILD_CACHE_DIR", str(tmp_path / "cache"))  # start cold, whatever ran before
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    output = project / "output"

    first = run_build(project, output)
    assert first.pdfs and not first.pdfs_reused and not first.up_to_date
    before, state = digest(output), tree_state(output)

    again = run_build(project, output)
    assert again.up_to_date and again.pdfs_rendered == [] and again.pages == first.pages
    assert tree_state(output) == state  # not a file touched

    # Only Lead expects Scheduling at `expert`: that anchor reaches Lead's forms and packets, no others.
    anchors = (project / "content/competencies/scheduling.yaml").read_text(encoding="utf-8")
    assert "expert:" in anchors
    edit(project, "content/competencies/scheduling.yaml", "expert: ", "expert: Books double sessions. ")
    edited = run_build(project, output)
    after = digest(output)
    changed = sorted(p for p in after if p.endswith(".pdf") and after[p] != before.get(p))
    assert edited.pdfs_rendered == changed
    assert changed and all("lead" in p for p in changed), changed
    assert len(edited.pdfs_reused) == len(first.pdfs) - len(changed)
    for path in changed:
        if "/annual" in path:
            assert "Books double sessions." in pdf_text(output / path)

    clean = tmp_path / "clean"
    run_build(project, clean, cache=False)
    assert digest(clean) == after


def test_touching_output_or_changing_options_is_noticed(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    output = project / "output"
    build(load_project(project), output, BuildOptions(pdf=False))
    (output / "index.html").write_text("edited by hand", encoding="utf-8")
    repaired = build(load_project(project), output, BuildOptions(pdf=False))
    assert not repaired.up_to_date
    assert (output / "index.html").read_text(encoding="utf-8") != "edited by hand"
    with_pdfs = build(load_project(project), output, BuildOptions(jobs=2))
    assert not with_pdfs.up_to_date and with_pdfs.pdfs


def test_installed_fonts_are_an_input_of_builds_with_pdfs_only(tmp_path, monkeypatch):
    """A font installed or removed can change every PDF, never the handbook: a build with PDFs is not
    up to date after it, a build of the HTML alone does not ask fontconfig at all."""
    from ladderbuild import cache
    from ladderbuild.build import _inputs_fingerprint
    from ladderbuild.layout import find_content_dir

    root, content = find_content_dir(FIXTURE)
    fonts = iter(["fonts as installed", "a font added"])
    monkeypatch.setattr(cache, "_fonts_signature", lambda: next(fonts))
    cache.environment_salt.cache_clear()
    with_pdfs = _inputs_fingerprint(root, content, BuildOptions())
    cache.environment_salt.cache_clear()
    assert _inputs_fingerprint(root, content, BuildOptions()) != with_pdfs

    def no_fontconfig():
        raise AssertionError("an HTML-only build asked for the installed fonts")

    monkeypatch.setattr(cache, "_fonts_signature", no_fontconfig)
    cache.environment_salt.cache_clear()
    html_only = _inputs_fingerprint(root, content, BuildOptions(pdf=False))
    assert html_only == _inputs_fingerprint(root, content, BuildOptions(pdf=False))
    cache.environment_salt.cache_clear()


def test_the_cli_says_what_it_did(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    runner = CliRunner()
    first = runner.invoke(main, ["build", str(project), "--no-pdf"])
    assert first.exit_code == 0, first.output
    assert "Built Example Clinic Career Ladder 1.0" in first.output
    second = runner.invoke(main, ["build", str(project), "--no-pdf"])
    assert second.exit_code == 0
    assert "Nothing changed since the last build" in second.output
    quiet = runner.invoke(main, ["build", str(project), "--no-pdf", "-q"])
    assert quiet.exit_code == 0 and quiet.output == ""
    forced = runner.invoke(main, ["build", str(project), "--no-pdf", "--no-cache"])
    assert "Built " in forced.output


def test_a_build_with_nothing_to_do_answers_before_loading_and_repeats_the_warnings(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / "content/competencies/triage.yaml").write_text(  # no level expects it: a warning
        "id: triage\nname: Triage\ndomain: clinical\ndescription: Sorts patients by urgency.\n"
        "anchors:\n  novice: a\n  competent: b\n  expert: c\n", encoding="utf-8")
    first = CliRunner().invoke(main, ["build", str(project), "--no-pdf"])
    assert first.exit_code == 0 and "warning [unused-competency]" in first.output, first.output

    # A fresh interpreter, as on the command line: the answer comes from hashes and the build record,
    # without importing the loader, validator or renderer; the warnings are said again all the same.
    script = ("import sys; from ladderbuild.cli import main\n"
              "try:\n    main(['build', sys.argv[1], '--no-pdf'])\nexcept SystemExit as e:\n    code = e.code\n"
              "heavy = sorted(m for m in sys.modules if m in {'ladderbuild.project', 'ladderbuild.validate',"
              " 'ladderbuild.site', 'jinja2', 'yaml', 'pydantic'})\n"
              "print('exit', code, 'imported', heavy)\n")
    done = subprocess.run([sys.executable, "-c", script, str(project)], capture_output=True, text=True,
                          check=True)
    assert "Nothing changed since the last build" in done.stdout
    assert done.stdout.strip().endswith("exit 0 imported []"), done.stdout
    said_first = [line for line in first.output.splitlines() if "triage.yaml" in line or "hint:" in line]
    assert done.stderr.splitlines() == said_first  # the same warning, same place, same hint

    edit(project, "content/competencies/triage.yaml", "Sorts", "Ranks")  # any change: a real build again
    rebuilt = CliRunner().invoke(main, ["build", str(project), "--no-pdf"])
    assert "Built Example Clinic Career Ladder" in rebuilt.output, rebuilt.output


# --------------------------------------------------------------------------- the property

# Edits an author makes, each touching a different kind of input: anchors, expectations, form wording,
# the framework's name, a glossary term, a page, a project template override.
EDITS = {
    "anchor": ("content/competencies/vital-signs.yaml", "competent: ", "competent: Rechecks by hand. "),
    "expectation": ("content/levels/assistant-2.md", "vital-signs: competent", "vital-signs: expert"),
    "title": ("content/framework.yaml", "title: Example Clinic Career Ladder", "title: Example Clinic Ladder"),
    "glossary": ("content/glossary.yaml", None, "\n- term: Triage {n}\n  definition: Sorting patients by need.\n"),
    "page": ("content/pages/promotion.md", None, "\nOne more paragraph ({n}) for the page.\n"),
    "template": ("templates/forms/forms.css", None, None),
}


def apply(project: Path, name: str) -> None:
    relative, old, new = EDITS[name]
    path = project / relative
    if name == "template":  # a project override of the default theme's stylesheet
        if not path.exists():
            default = Path(__file__).resolve().parents[1] / "templates/forms/forms.css"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(default.read_text(encoding="utf-8"), encoding="utf-8")
        path.write_text(path.read_text(encoding="utf-8") + "\n.item-name { color: #202020; }\n", encoding="utf-8")
    elif old is None:
        text = path.read_text(encoding="utf-8")
        path.write_text(text + new.format(n=len(text)), encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
        if old in text:
            path.write_text(text.replace(old, new, 1), encoding="utf-8")


@settings(max_examples=3, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
@given(rounds=st.lists(st.lists(st.sampled_from(sorted(EDITS)), min_size=0, max_size=3), min_size=1, max_size=3))
def test_incremental_build_is_byte_identical_to_a_clean_build(tmp_path_factory, rounds):
    root = tmp_path_factory.mktemp("prop")
    project = root / "project"
    shutil.copytree(FIXTURE, project)
    output = project / "output"
    run_build(project, output)
    for edits in rounds:  # several rounds, so later builds start from a cache that earlier edits shaped
        for name in edits:
            apply(project, name)
        incremental = run_build(project, output)
        assert incremental.up_to_date or edits
    clean = root / "clean"
    run_build(project, clean, cache=False)
    assert digest(output) == digest(clean), f"after {rounds}"


def test_pages_rendered_on_two_cores_are_the_pages_rendered_on_one(tmp_path):
    """A fresh interpreter (pytest-xdist's workers run threads, where pages are never forked out) builds
    the shipped handbook's 63 pages with -j 2 and with -j 1: the same files, byte for byte."""
    repo = Path(__file__).resolve().parents[1]
    outputs = {}
    for jobs in ("2", "1"):
        done = subprocess.run(
            [sys.executable, "-m", "ladderbuild", "build", str(repo), "--no-pdf", "--no-cache", "-v", "-j", jobs,
             "-o", str(tmp_path / jobs)], capture_output=True, text=True, check=True,
            env={**os.environ, "LADDERBUILD_CACHE_DIR": str(tmp_path / "cache")})
        outputs[jobs] = digest(tmp_path / jobs)
        assert f"HTML pages rendered by {jobs} process{'es' if jobs == '2' else ''}" in done.stdout, done.stdout
    assert outputs["2"] == outputs["1"] and len([p for p in outputs["1"] if p.endswith(".html")]) > 40
