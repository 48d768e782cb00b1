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


# --------------------------------------------------------------------------- history is untrusted input

@pytest.mark.parametrize("link, target", [
    ("levels/evil.md", "/etc/passwd"),  # absolute: tarfile's AbsoluteLinkError before
    ("levels/evil.md", "../../../../secret.md"),  # climbs out: LinkOutsideDestinationError before
    ("levels/alias.md", "assistant-1.md"),  # stays inside: still a link, still never followed
    ("pages", "../../secret-folder"),  # a whole folder
], ids=["absolute", "outside", "inside", "folder"])
def test_a_link_in_a_tagged_version_skips_that_version_with_a_warning(repo, tmp_path, link, target):
    """A version holding a symbolic link is never extracted: "What changed" leaves it out with a located
    warning naming it, `diff` says so in one line, and the link's target is never read."""
    from click.testing import CliRunner

    from ladderbuild.cli import main

    root, project = repo
    secret = root / "frameworks" / "secret.md"
    secret.write_text("---\nid: secret\ntitle: TOP SECRET\n---\nTOP SECRET\n", encoding="utf-8")
    path = project / "content" / link
    kept = tmp_path / "kept"
    if path.is_dir():
        path.rename(kept)
    path.symlink_to(target)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "a link")
    git(root, "tag", "-f", "v1.0")
    path.unlink()
    if kept.is_dir():
        kept.rename(path)
    before = sorted(p.name for p in Path(tmp_path).iterdir())

    result = CliRunner().invoke(main, ["build", str(project), "--no-pdf", "-o", str(tmp_path / "site")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert ("content/changelog.yaml:4:1: warning [unsafe-version] version 1.0 (commit " in result.output
            and "cannot be read safely" in result.output and link.split("/")[0] in result.output)
    assert "1 warning(s)" in result.output
    assert result.output.count("version 1.0") == 1  # said once, with the true reason (not "git could not give it")
    site = tmp_path / "site"
    assert b"TOP SECRET" not in b"".join(p.read_bytes() for p in site.rglob("*") if p.is_file())
    assert "Every change in the content since" not in (site / "changes.html").read_text(encoding="utf-8")
    # The no-op rebuild repeats the warning.
    again = CliRunner().invoke(main, ["build", str(project), "--no-pdf", "-o", str(site)], catch_exceptions=False)
    assert "Nothing changed" in again.output and "[unsafe-version]" in again.output

    diffed = CliRunner().invoke(main, ["diff", "v1.0", str(project)], catch_exceptions=False)
    assert diffed.exit_code == 2
    assert diffed.output.count("\n") == 1 and "Traceback" not in diffed.output
    assert diffed.output.startswith("error: `v1.0` cannot be read safely: content/")
    assert "does not follow links in git history" in diffed.output
    assert sorted(p.name for p in Path(tmp_path).iterdir()) == before + ["site"]
