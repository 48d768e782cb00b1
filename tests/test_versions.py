"""Every released version under output/v/<version>/: built from its git tag with today's code, with a
banner and a switcher that link the versions, cached, chosen with --versions, and a tag that no longer
passes check reported and skipped."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from click.testing import CliRunner
from playwright.sync_api import expect
from test_site_output import broken_links

from ladderbuild import versions as versions_module
from ladderbuild.build import BuildOptions, build, unchanged_build
from ladderbuild.cli import main
from ladderbuild.project import load_project

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "init.defaultBranch=main"]


def git(repo: Path, *args: str) -> None:
    subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path, minimal_project) -> Path:
    """A framework in a subfolder of a repository: 0.9 (tagged, no longer passes check), 1.0 and 1.1
    (tagged), and 1.2 on disk, which drops the free page `promotion` that 1.0 and 1.1 had."""
    root = tmp_path / "repo"
    project = root / "frameworks" / "clinic"
    shutil.copytree(minimal_project, project)
    content = project / "content"
    subprocess.run([*GIT, "init", "-q", str(root)], check=True)
    # 0.9 refers to a competency that does not exist: it fails `check` with today's code
    broken = content / "levels/assistant-1.md"
    edit(broken, "competencies:\n", "competencies:\n  no-such-skill: novice\n")
    edit(content / "framework.yaml", 'version: "1.0"', 'version: "0.9"')
    git(root, "add", "-A")
    git(root, "commit", "-qm", "0.9")
    git(root, "tag", "v0.9")
    edit(broken, "competencies:\n  no-such-skill: novice\n", "competencies:\n")
    edit(content / "framework.yaml", 'version: "0.9"', 'version: "1.0"')
    git(root, "add", "-A")
    git(root, "commit", "-qm", "1.0")
    git(root, "tag", "v1.0")
    edit(content / "framework.yaml", 'version: "1.0"', 'version: "1.1"')
    changelog = content / "changelog.yaml"
    changelog.write_text('- version: "1.1"\n  date: 2026-06-01\n  summary: Version 1.1.\n'
                         + changelog.read_text(encoding="utf-8")
                         + '- version: "0.9"\n  date: 2025-06-01\n  summary: A draft.\n', encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "1.1")
    git(root, "tag", "1.1")
    edit(content / "framework.yaml", 'version: "1.1"', 'version: "1.2"')
    changelog.write_text('- version: "1.2"\n  date: 2026-09-01\n  summary: Version 1.2.\n'
                         + changelog.read_text(encoding="utf-8"), encoding="utf-8")
    (content / "pages/promotion.md").unlink()
    edit(broken, "See [how promotion works](../pages/promotion.md).", "Ask your manager how promotion works.")
    return project


def run(project: Path, output: Path, **options):
    return build(load_project(project), output, BuildOptions(pdf=False, **options))


def test_each_released_version_is_published_with_a_banner_and_a_switcher(repo, tmp_path):
    output = tmp_path / "site"
    report = run(repo, output)
    assert report.versions == ["1.1", "1.0"]  # newest first; 1.2 is the current one, at the root
    assert [v for v, _why in report.versions_skipped] == ["0.9"]
    assert "1 error(s)" in report.versions_skipped[0][1] and "no-such-skill" in report.versions_skipped[0][1]
    assert sorted(p.name for p in (output / "v").iterdir()) == ["1.0", "1.1"]
    assert (output / "index.html").is_file() and not (output / "pages/promotion.html").exists()

    old = (output / "v/1.0/levels/assistant-2.html").read_text(encoding="utf-8")
    assert "You are reading version 1.0; the current version is 1.2." in old
    assert 'href="../../../levels/assistant-2.html">Go to the current version' in old  # the same page
    gone = (output / "v/1.0/pages/promotion.html").read_text(encoding="utf-8")
    assert 'href="../../../index.html">Go to the current version' in gone  # no such page now: its home

    current = (output / "levels/assistant-2.html").read_text(encoding="utf-8")
    assert "You are reading version" not in current
    for version in ("1.1", "1.0"):
        assert f'href="../v/{version}/levels/assistant-2.html">Version {version}</a>' in current
    changes = (output / "changes.html").read_text(encoding="utf-8")
    assert 'href="v/1.0/index.html">Read the handbook as it was in version 1.0' in changes
    assert "v/0.9/" not in changes
    # each past version is a whole handbook: its data, worksheets and search too
    for version in ("1.0", "1.1"):
        assert (output / f"v/{version}/api/v1/framework.json").is_file()
        assert (output / f"v/{version}/worksheets/assistant-1.xlsx").is_file()
        assert (output / f"v/{version}/search-index.js").is_file()
    broken, checked = broken_links(output)
    assert not broken, "\n".join(broken)
    assert checked > 200


def test_the_banner_leads_back_to_the_current_version_in_a_browser(repo, tmp_path, browser):
    output = tmp_path / "site"
    run(repo, output)
    tab = browser.new_page()
    tab.goto((output / "v/1.1/levels/assistant-2.html").as_uri())
    banner = tab.locator(".version-banner")
    expect(banner).to_contain_text("You are reading version 1.1; the current version is 1.2.")
    results = Axe().run(tab)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    banner.locator("a").click()
    expect(tab).to_have_url((output / "levels/assistant-2.html").as_uri())
    tab.locator(".version-switcher summary").click()
    tab.locator(".version-switcher a", has_text="Version 1.0").click()
    expect(tab).to_have_url((output / "v/1.0/levels/assistant-2.html").as_uri())
    tab.close()


def test_versions_option_chooses_how_many(repo, tmp_path):
    assert run(repo, tmp_path / "one", versions="1").versions == ["1.1"]
    assert not (tmp_path / "one/v/1.0").exists()
    none = run(repo, tmp_path / "none", versions="none")
    assert none.versions == [] and not (tmp_path / "none/v").exists()
    assert "version-switcher" not in (tmp_path / "none/index.html").read_text(encoding="utf-8")


def test_a_version_is_built_once_and_then_taken_from_the_cache(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("LADDERBUILD_CACHE_DIR", str(tmp_path / "cache"))
    built = []
    real = versions_module.build_version
    monkeypatch.setattr(versions_module, "build_version",
                        lambda past, *args, **kw: built.append(past.framework.meta.version) or real(past, *args, **kw))
    output = tmp_path / "site"
    first = run(repo, output)
    assert sorted(built) == ["1.0", "1.1"]
    before = {p.relative_to(output): p.read_bytes() for p in (output / "v").rglob("*") if p.is_file()}

    # An edit to the current content rebuilds the current version only.
    edit(repo / "content/competencies/vital-signs.yaml", "description: ", "description: Takes care. ")
    built.clear()
    second = run(repo, output)
    assert built == [] and second.versions == first.versions
    assert {p.relative_to(output): p.read_bytes() for p in (output / "v").rglob("*") if p.is_file()} == before

    # Nothing changed at all: nothing is built, and the skipped version is still reported.
    assert run(repo, output).up_to_date
    unchanged = unchanged_build(repo, output, BuildOptions(pdf=False))
    assert unchanged is not None and [v for v, _ in unchanged[0].versions_skipped] == ["0.9"]

    # A page added to the current version changes what the old banners link to: they are built again.
    (repo / "content/pages/faq.md").write_text("---\ntitle: FAQ\n---\nQuestions.\n", encoding="utf-8")
    built.clear()
    run(repo, output)
    assert sorted(built) == ["1.0", "1.1"]
    # and a build without the cache gives the same files as the cached ones
    clean = tmp_path / "clean"
    build(load_project(repo), clean, BuildOptions(pdf=False, cache=False))
    assert {p.relative_to(clean): p.read_bytes() for p in clean.rglob("*") if p.is_file()} == \
        {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}


def test_the_command_reports_a_version_it_did_not_publish(repo, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(repo), "--no-pdf", "-o", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert "past versions under v/: 1.1, 1.0" in result.output
    assert "warning: version 0.9 was not published under v/: its content has 1 error(s)" in result.output
    again = runner.invoke(main, ["build", str(repo), "--no-pdf", "-o", str(tmp_path / "site")])
    assert "Nothing changed" in again.output and "warning: version 0.9 was not published" in again.output
    wrong = runner.invoke(main, ["build", str(repo), "--no-pdf", "--versions", "some"])
    assert wrong.exit_code == 2 and "is not all, none or a number" in wrong.output


def test_a_version_that_cannot_be_built_is_reported_and_no_other_version_links_it(repo, tmp_path, monkeypatch):
    """A version can pass check and still fail to build (no installed font has its characters): the
    versions built before it are built again without it, so no switcher links a folder that is not there."""
    from ladderbuild.diagnostics import ContentError, Diagnostic, Severity

    real = versions_module.build_version

    def build_version(past, *args, **kw):
        if past.framework.meta.version == "1.0":
            raise ContentError([Diagnostic("content/framework.yaml", 1, 1, Severity.ERROR, "missing-font",
                                           "no installed font has the characters 𝔄")])
        return real(past, *args, **kw)

    monkeypatch.setattr(versions_module, "build_version", build_version)
    # A cold cache: another test's repository can have the very same commits (same content, same second)
    # and would hand this build a cached 1.0 without calling build_version.
    monkeypatch.setenv("LADDERBUILD_CACHE_DIR", str(tmp_path / "cache"))
    output = tmp_path / "site"
    report = run(repo, output)
    assert report.versions == ["1.1"]
    assert ["1.0", "no installed font has the characters 𝔄"] in report.versions_skipped
    assert not (output / "v/1.0").exists()
    for page in (output / "v/1.1/index.html", output / "index.html"):
        assert "v/1.0/" not in page.read_text(encoding="utf-8")
    broken, _checked = broken_links(output)
    assert not broken, "\n".join(broken)
