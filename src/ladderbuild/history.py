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

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the diff engine loads the whole pipeline; a build with nothing to do never needs it
    from .diff import Change
    from .resolve import Framework


@dataclass(frozen=True)
class VersionChanges:
    version: str
    since: str  # the version it is compared with
    changes: tuple[Change, ...]


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def resolve_ref(root: Path, version: str, declared: str | None) -> str | None:
    """The commit holding `version`'s content: the declared ref, else tag v<version> or <version>."""
    candidates = [declared] if declared else [f"v{version}", version]
    for name in candidates:
        commit = _git(root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}")
        if commit:
            return commit
    return None


def version_sources(root: Path, framework: Framework) -> dict[str, list[str | None]]:
    """Each earlier changelog version → [its declared ref, the commit found for it (or None)]; the
    version being built is left out (it is the content on disk). An input of the build: moving or
    adding a tag changes the "What changed" page."""
    return {entry.version: [entry.ref, resolve_ref(root, entry.version, entry.ref)]
            for entry in framework.changelog if entry.version != framework.meta.version}


def sources_moved(root: Path, recorded: dict[str, list[str | None]]) -> bool:
    """Whether any version of a past `version_sources` now resolves to another commit (or to one at
    all). Needs no framework: with the content unchanged, the changelog's versions are the same."""
    return any(resolve_ref(root, version, declared) != commit for version, (declared, commit) in recorded.items())


def _framework_at(root: Path, commit: str, work: Path) -> Framework | None:
    from .diff import materialise
    from .project import load_project  # project.py imports the pipeline; keep this module light

    try:
        folder = materialise(commit, root, work / commit)
    except ValueError:
        return None
    return load_project(folder).framework  # None when that version had errors: no list for it


def version_history(root: Path, framework: Framework, sources: dict[str, list[str | None]] | None = None
                    ) -> dict[str, VersionChanges]:
    """For each changelog version whose content and predecessor's content are at hand, what changed.
    `sources` (from `version_sources`) saves looking the commits up again when the caller already did."""
    from .diff import diff_frameworks

    entries = sorted(framework.changelog, key=lambda e: e.date, reverse=True)  # newest first
    sources = version_sources(root, framework) if sources is None else sources
    refs = {version: commit for version, (_, commit) in sources.items() if commit}  # those git holds
    history: dict[str, VersionChanges] = {}
    with tempfile.TemporaryDirectory(prefix="ladderbuild-history-") as tmp:
        loaded: dict[str, Framework | None] = {framework.meta.version: framework}

        def at(version: str) -> Framework | None:
            if version not in loaded:
                loaded[version] = _framework_at(root, refs[version], Path(tmp)) if version in refs else None
            return loaded[version]

        for newer, older in zip(entries, entries[1:]):
            new_fw, old_fw = at(newer.version), at(older.version)
            if new_fw is not None and old_fw is not None:
                history[newer.version] = VersionChanges(newer.version, older.version,
                                                        tuple(diff_frameworks(old_fw, new_fw)))
    return history
