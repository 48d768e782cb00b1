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

from dataclasses import dataclass, field

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
        return self.to(target, page if page in target.pages else urls.HOME, page)

    def to(self, target: Published, path: str, page: str) -> str:
        """From `page` of this version to `path` of `target`."""
        return urls.relative(target.root + path, self.this.root + page)
