"""The handbook's "What changed" page lists, under each declared version, what the diff engine finds
between that version's content (from git) and the version before it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ladderbuild.build import BuildOptions, build, unchanged_build
from ladderbuild.history import version_history
from ladderbuild.project import load_project

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "init.defaultBranch=main"]


def git(repo: Path, *args: str) -> None:
    subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path, minimal_project) -> tuple[Path, Path]:
    """A repository whose framework sits in a subfolder: 1.0 tagged `v1.0`, then 1.1 on disk."""
    root = tmp_path / "repo"
    project = root / "frameworks" / "clinic"
    shutil.copytree(minimal_project, project)
    subprocess.run([*GIT, "init", "-q", str(root)], check=True)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "1.0")
    git(root, "tag", "v1.0")
    content = project / "content"
    edit(content / "framework.yaml", 'version: "1.0"', 'version: "1.1"')
    edit(content / "levels/assistant-2.md", "  vital-signs: competent", "  vital-signs: novice")
    (content / "changelog.yaml").write_text(
        '- version: "1.1"\n  date: 2026-06-01\n  summary: Eases vital signs at Assistant II.\n'
        + (content / "changelog.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return root, project


def test_each_version_is_compared_with_the_one_before(repo):
    _root, project = repo
    fw = load_project(project).framework
    history = version_history(project, fw)
    assert list(history) == ["1.1"]  # 1.0 is the first version: nothing before it
    found = history["1.1"]
    assert found.since == "1.0"
    assert [(c.area, c.action, c.text) for c in found.changes] == [
        ("expectations", "lowered", "Vital signs at Assistant II: competent → novice")]


def test_a_declared_ref_wins_and_a_missing_one_is_skipped(repo):
    root, project = repo
    git(root, "tag", "-d", "v1.0")
    fw = load_project(project).framework
    assert version_history(project, fw) == {}  # no tag, no ref: nothing to compare with, and no failure
    git(root, "branch", "first-release", "HEAD")
    changelog = project / "content/changelog.yaml"
    edit(changelog, '- version: "1.0"\n', '- version: "1.0"\n  ref: first-release\n')
    fw = load_project(project).framework
    assert [c.text for c in version_history(project, fw)["1.1"].changes] == [
        "Vital signs at Assistant II: competent → novice"]


def test_the_page_shows_the_generated_changes(repo, tmp_path, browser):
    root, project = repo
    output = tmp_path / "site"
    build(load_project(project), output, BuildOptions(pdf=False))
    assert unchanged_build(project, output, BuildOptions(pdf=False)) is not None
    tab = browser.new_page()
    tab.goto((output / "changes.html").as_uri())
    section = tab.locator("#version-1-1")
    expect(section.locator("h3")).to_have_text("Every change in the content since version 1.0")
    item = section.locator("li.change")
    expect(item).to_have_count(1)
    expect(item).to_have_text("Lowered Vital signs at Assistant II: competent → novice")
    expect(section.locator("h4")).to_have_text("Expectations")
    expect(tab.locator("#version-1-0 .generated-changes")).to_have_count(0)
    tab.close()

    # Moving the tag changes the page, so it is not mistaken for a build with nothing to do.
    git(root, "add", "-A")
    git(root, "commit", "-qm", "1.1")
    git(root, "tag", "-f", "v1.0", "HEAD")
    assert unchanged_build(project, output, BuildOptions(pdf=False)) is None  # the check before loading
    rebuilt = build(load_project(project), output, BuildOptions(pdf=False))
    assert not rebuilt.up_to_date
    html = (output / "changes.html").read_text(encoding="utf-8")
    assert "No change to the content of the framework." in html


def test_versions_resolve_to_commits_in_one_lookup(repo, tmp_path):
    from ladderbuild.history import resolve_refs

    root, project = repo
    git(root, "add", "-A")
    git(root, "commit", "-qm", "1.1")
    git(root, "tag", "-a", "1.1", "-m", "an annotated tag")  # peeled to its commit
    git(root, "tag", "v0.9", "HEAD~1")
    git(root, "tag", "0.9", "HEAD")  # v0.9 wins over 0.9
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    first = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD~1"], capture_output=True, text=True).stdout.strip()
    found = resolve_refs(project, {"1.0": None, "1.1": None, "0.9": None, "0.8": None, "2.0": "v1.0",
                                   "3.0": "no-such-branch", "4.0": "--output=/tmp/x", "5.0": "a\nb"})
    assert found == {"1.0": first, "1.1": head, "0.9": first, "0.8": None, "2.0": first,
                     "3.0": None, "4.0": None, "5.0": None}  # a declared ref that is missing falls back to nothing
    assert resolve_refs(tmp_path, {"1.0": None}) == {"1.0": None}  # not a repository: no commit, no failure
