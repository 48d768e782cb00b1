"""Versions: every released version of the framework, published beside the current one.

A released version is a changelog entry whose content git holds (a tag
`v<version>` or `<version>`, or the entry's `ref`; see history.py). `build`
publishes the current version at the root of output/ and each released one
under `v/<version>/`, built with today's ladderbuild from that version's
content; every page of a past version says so in a banner that links to the
same page in the current version, and a switcher on every page links the
versions. A version is built once and kept in the build cache; a version whose
content no longer passes `check` is reported and skipped.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import urls


@dataclass(frozen=True)
class Published:
    """One version in an output folder."""

    version: str
    root: str  # its folder from the output root: "" for the current version, "v/2025.1/" for a past one
    pages: frozenset[str] = field(default=frozenset(), compare=False)  # its pages, from its own root


@dataclass(frozen=True)
class VersionLinks:
    """What the pages of one version need to link the others: its banner and the switcher."""

    this: Published
    current: Published
    versions: tuple[Published, ...]  # every published version, the current one first, then newest first

    @property
    def past(self) -> bool:
        return self.this.root != ""

    def published(self, version: str) -> Published | None:
        return next((v for v in self.versions if v.version == version), None)

    def href(self, target: Published, page: str) -> str:
        """From `page` of this version to the same page of `target` where it has one, else to its home."""
        same = target.root == self.this.root or page in target.pages
        return self.to(target, page if same else urls.HOME, page)

    def to(self, target: Published, path: str, page: str) -> str:
        """From `page` of this version to `path` of `target`."""
        return urls.relative(target.root + path, self.this.root + page)


@dataclass
class PublishedVersions:
    links: VersionLinks | None  # for the current version's pages; None when no past version is published
    published: list[str] = field(default_factory=list)  # versions published under v/, newest first
    skipped: list[list[str]] = field(default_factory=list)  # [version, why] of released versions left out
    pdf_keys: set[str] = field(default_factory=set)  # the PDF cache entries their PDFs came from
    cache_keys: list[str] = field(default_factory=list)  # the build-cache entries holding them


def selected(fw, sources: dict, choice: str) -> list:
    """The changelog entries to publish, newest first: those git holds, `choice` of them ("all", "none", N)."""
    released = [entry for entry in sorted(fw.changelog, key=lambda e: e.date, reverse=True)
                if entry.version != fw.meta.version and (sources.get(entry.version) or [None, None])[1]]
    if choice == "none":
        return []
    return released if choice == "all" else released[:int(choice)]


def cache_key(commit: str, options, templates: Path | None, links: VersionLinks) -> str:
    """A past version's build depends on its content (the commit), today's code and theme, the options,
    and what its banner and switcher link to."""
    from .cache import _hash_files, _tree_files, environment_salt

    digest = hashlib.sha256(environment_salt(options.pdf).encode() + b"\0" + commit.encode())
    digest.update(json.dumps({k: v for k, v in options.fingerprint_options().items() if k != "versions"},
                             sort_keys=True).encode())
    if templates is not None:
        _hash_files(digest, templates, _tree_files(templates))
    digest.update(json.dumps([links.this.version, links.this.root, [(v.version, v.root) for v in links.versions],
                              sorted(links.current.pages)]).encode())
    return digest.hexdigest()


def publish_versions(project, fw, sources: dict, projects: dict, options, pages: list[str], staging: Path,
                     cache, warned: set[str] = frozenset()) -> PublishedVersions:
    """Build (or take from the cache) each selected past version into `staging`/v/<version>/. Versions in
    `warned` are left out without a word: a warning has already said why (one that cannot be read safely)."""
    current = Published(fw.meta.version, "", frozenset(pages))
    result = PublishedVersions(links=None)
    ready = []
    roots = {""}
    for entry in selected(fw, sources, options.versions):
        past = projects.get(entry.version)
        root = urls.version_root(entry.version)
        if entry.version in warned:
            continue
        if past is None:
            result.skipped.append([entry.version, "git could not give its content"])
        elif past.framework is None:
            first = past.errors[0] if past.errors else None
            result.skipped.append([entry.version, f"its content has {len(past.errors)} error(s) with this version of "
                                   "ladderbuild" + (f", the first: {first.message} ({first.file})" if first else "")])
        elif root in roots:
            result.skipped.append([entry.version, f"another version is already published in {root}"])
        else:
            roots.add(root)
            ready.append((entry, past, root))
    built = _build_all(ready, current, sources, project, options, staging, cache, result)
    while built is None:  # one failed to build after others already link it: build them again without it
        result.published, result.pdf_keys, result.cache_keys = [], set(), []
        built = _build_all(ready, current, sources, project, options, staging, cache, result)
    if built:
        result.links = VersionLinks(current, current, (current, *built))
    return result


def _build_all(ready: list, current: Published, sources: dict, project, options, staging: Path, cache,
               result: PublishedVersions) -> list[Published] | None:
    """Build (or fetch) every version of `ready` into `staging`, each linking all of them. When one cannot be
    built it is reported, taken out of `ready`, the others' folders removed, and None returned."""
    from .diagnostics import ContentError

    listed = (current, *(Published(entry.version, root) for entry, _past, root in ready))
    published = []
    for entry, past, root in ready:
        links = VersionLinks(Published(entry.version, root), current, listed)
        key = cache_key(sources[entry.version][1], options, project.templates_dir, links)
        target = staging / root
        record = cache.fetch_version(key, target) if cache is not None else None
        if record is None:
            try:
                record = build_version(past, target, options, cache, links, project.templates_dir)
            except ContentError as exc:
                errors = [d for d in exc.diagnostics if d not in past.diagnostics]
                result.skipped.append([entry.version, errors[0].message if errors else "it cannot be built"])
                ready.remove((entry, past, root))
                for folder in [root, *(other for _entry, _past, other in ready)]:
                    shutil.rmtree(staging / folder, ignore_errors=True)
                return None
            if cache is not None:
                cache.store_version(key, target, record)
        result.published.append(entry.version)
        result.pdf_keys |= set(record.get("pdf_keys", []))
        result.cache_keys.append(key)
        published.append(Published(entry.version, root, frozenset(record.get("pages", []))))
    return published


def build_version(past, target: Path, options, cache, links: VersionLinks, templates: Path | None) -> dict:
    """One past version, built with today's code and theme into `target`; what the cache records of it."""
    from .build import render_handbook, render_pdfs

    pdfs: list[str] = []
    keys: set[str] = set()
    if options.pdf:
        stats = render_pdfs(past, target, options, cache, templates=templates)
        pdfs = sorted(Path(p).relative_to(target).as_posix() for p in stats.rendered + stats.reused)
        keys = set(stats.keys)
    pages, _processes, _data = render_handbook(past, past.framework, target, options, set(pdfs), {}, links,
                                               templates=templates)
    return {"version": links.this.version, "pages": pages, "pdfs": pdfs, "pdf_keys": sorted(keys)}
