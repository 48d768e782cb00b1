"""History: the framework's declared versions, compared by the diff engine for the "What changed" page.

The changelog (content/changelog.yaml) declares the versions. The content of
each version is found in git: the entry's `ref` when it gives one, else a tag
named `v<version>` or `<version>`; the version being built is the content on
disk. Each version is compared with the one before it by diff.py, so the page
lists — besides what the authors wrote — every change the content really
made, in the framework's terms. A version whose content cannot be found (no
git, no tag) simply has no generated list; nothing here can fail a build.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, Severity, relpath
from .layout import find_content_dir

if TYPE_CHECKING:  # the diff engine loads the whole pipeline; a build with nothing to do never needs it
    from .diff import Change
    from .project import Project
    from .resolve import Framework


@dataclass(frozen=True)
class VersionChanges:
    version: str
    since: str  # the version it is compared with
    changes: tuple[Change, ...]


def resolve_refs(root: Path, versions: dict[str, str | None]) -> dict[str, str | None]:
    """version → the commit holding its content (or None), from version → its declared ref: the declared
    ref, else tag v<version>, else <version>. One `git cat-file` for all of them: a build with nothing
    to do checks these on every run, and a git process per name was most of its cost."""
    candidates = {version: [declared] if declared else [f"v{version}", version] for version, declared in versions.items()}
    found = _commits(root, [name for names in candidates.values() for name in names])
    return {version: next((found[name] for name in names if found.get(name)), None)
            for version, names in candidates.items()}


def _commits(root: Path, names: list[str]) -> dict[str, str]:
    """name → commit, for the names that resolve to a commit in the repository holding `root`."""
    names = [name for name in dict.fromkeys(names) if name and "\n" not in name]
    if not names:
        return {}
    try:  # names go in on stdin, one per line: never read as options
        done = subprocess.run(["git", "-C", str(root), "cat-file", "--batch-check=%(objectname)"],
                              input="".join(f"{name}^{{commit}}\n" for name in names),
                              capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return {}
    lines = done.stdout.splitlines() if done.returncode == 0 else []
    return {name: line for name, line in zip(names, lines) if _COMMIT_ID.fullmatch(line)}


_COMMIT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # SHA-1, or SHA-256 repositories


def version_sources(root: Path, framework: Framework) -> dict[str, list[str | None]]:
    """Each earlier changelog version → [its declared ref, the commit found for it (or None)]; the
    version being built is left out (it is the content on disk). An input of the build: moving or
    adding a tag changes the "What changed" page."""
    declared = {entry.version: entry.ref for entry in framework.changelog if entry.version != framework.meta.version}
    found = resolve_refs(root, declared)
    return {version: [ref, found[version]] for version, ref in declared.items()}


def sources_moved(root: Path, recorded: dict[str, list[str | None]]) -> bool:
    """Whether any version of a past `version_sources` now resolves to another commit (or to one at
    all). Needs no framework: with the content unchanged, the changelog's versions are the same."""
    if not recorded:
        return False
    now = resolve_refs(root, {version: declared for version, (declared, _commit) in recorded.items()})
    return any(now[version] != commit for version, (_declared, commit) in recorded.items())


def project_at(root: Path, commit: str, work: Path) -> Project | None:
    """The framework at `commit`, loaded and checked with today's code (its diagnostics say whether it
    still builds); None when git cannot give its content. Raises UnsafeVersion when that content
    cannot be read safely (a link in it: diff.materialise), which is then never extracted."""
    from .diff import UnsafeVersion, materialise
    from .project import load_project  # project.py imports the pipeline; keep this module light

    try:
        folder = materialise(commit, root, work / commit)
    except UnsafeVersion:
        raise
    except ValueError:
        return None
    return load_project(folder)


def _framework_at(root: Path, commit: str, work: Path) -> Framework | None:
    project = project_at(root, commit, work)
    return project.framework if project else None  # None when that version had errors: no list for it


def version_history(root: Path, framework: Framework, sources: dict[str, list[str | None]] | None = None,
                    loaded: dict[str, Framework | None] | None = None,
                    warnings: list[Diagnostic] | None = None) -> dict[str, VersionChanges]:
    """For each changelog version whose content and predecessor's content are at hand, what changed.
    `sources` (from `version_sources`) saves looking the commits up again when the caller already did;
    `loaded` (version → its Framework, None when it has errors) saves loading versions again. A version
    that cannot be read safely (a link in it) is left out, with a warning that names it appended to
    `warnings`."""
    from .diff import UnsafeVersion, diff_frameworks

    entries = sorted(framework.changelog, key=lambda e: e.date, reverse=True)  # newest first
    sources = version_sources(root, framework) if sources is None else sources
    refs = {version: commit for version, (_, commit) in sources.items() if commit}  # those git holds
    history: dict[str, VersionChanges] = {}
    with tempfile.TemporaryDirectory(prefix="ladderbuild-history-") as tmp:
        loaded = {**(loaded or {}), framework.meta.version: framework}

        def at(version: str) -> Framework | None:
            if version not in loaded:
                loaded[version] = None
                if version in refs:
                    try:
                        loaded[version] = _framework_at(root, refs[version], Path(tmp))
                    except UnsafeVersion as exc:
                        if warnings is not None:
                            warnings.append(unsafe_version(root, version, refs[version], exc.reason))
            return loaded[version]

        for newer, older in zip(entries, entries[1:]):
            new_fw, old_fw = at(newer.version), at(older.version)
            if new_fw is not None and old_fw is not None:
                history[newer.version] = VersionChanges(newer.version, older.version,
                                                        tuple(diff_frameworks(old_fw, new_fw)))
    return history


def unsafe_version(root: Path, version: str, commit: str, reason: str) -> Diagnostic:
    """The warning for a version that cannot be read safely, at its entry in the changelog."""
    changelog = find_content_dir(root)[1] / "changelog.yaml"
    line = 1
    try:
        pattern = re.compile(r"^\s*-?\s*version:\s*[\"']?" + re.escape(version) + r"[\"']?\s*(#.*)?$")
        line = next((n for n, text in enumerate(changelog.read_text(encoding="utf-8").splitlines(), 1)
                     if pattern.match(text)), 1)
    except OSError:
        pass
    return Diagnostic(relpath(changelog, root), line, 1, Severity.WARNING, "unsafe-version",
                      f"version {version} (commit {commit[:12]}) cannot be read safely, so it is left out of "
                      f"\"What changed\" and of the versions under v/: {reason}",
                      "remove the link from that version in git, or give the changelog entry a `ref:` to a "
                      "commit without one")
