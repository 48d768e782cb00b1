"""Content fragments as HTML: each Markdown fragment is rendered once and reused on every page.

A fragment (a level body, a competency description …) can appear on pages at
different depths (`index.html`, `levels/x.html`), and its links must be
relative to the page it lands on. So fragments are rendered with links that
start with a ROOT marker, and `place()` swaps the marker for the page's way
back to the output root when the finished page is written. Markdown costs
milliseconds per fragment; the swap is a string replace.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from .. import markdown, urls

# A private-use character: it never occurs in real content, survives HTML
# escaping, and is replaced on every page before it is written.
ROOT = "\ue000/"


def root_prefix(page: str) -> str:
    """The relative way from `page` back to the output root ("" or "../" …)."""
    depth = page.count("/")
    return "../" * depth


def place(html: str, page: str) -> str:
    """Resolve ROOT markers in a finished page to links relative to `page`."""
    return html.replace(ROOT, root_prefix(page))


def content_dir_of(source: str) -> str:
    """The folder of a content file, relative to content/ (`content/levels/x.md` → `levels`)."""
    parts = source.split("/")[1:]  # drop the content folder itself, whatever it is called
    return "/".join(parts[:-1])


def content_link(href: str, base_dir: str) -> str | None:
    """A relative link written in a content file under `base_dir` → ROOT-marked output URL."""
    parts = urlsplit(href)
    target = posixpath.normpath(posixpath.join(base_dir, parts.path)) if parts.path else ""
    if target.startswith(".."):
        return None
    page = urls.for_content_file(target)
    if page is None:
        return None
    return ROOT + page + (f"#{parts.fragment}" if parts.fragment else "")


class Fragments:
    """Renders Markdown fragments, each (text, folder) once; counts renders so tests can check."""

    def __init__(self) -> None:
        self._cache: dict[tuple, Markup] = {}
        self.renders = 0
        self.assets: set[str] = set()  # files under content/**/assets/ that some fragment links to

    def block(self, text: str, base_dir: str = "", reserved_ids: frozenset[str] = frozenset()) -> Markup:
        """`reserved_ids`: ids the page uses for its own sections, which headings in `text` must not take."""
        return self._render(text, base_dir, inline=False, reserved_ids=reserved_ids)

    def inline(self, text: str, base_dir: str = "") -> Markup:
        return self._render(text, base_dir, inline=True)

    def _render(self, text: str, base_dir: str, inline: bool, reserved_ids: frozenset[str] = frozenset()) -> Markup:
        if not text:
            return Markup("")
        key = (text, base_dir, inline, reserved_ids)
        if key not in self._cache:
            self.renders += 1
            html = markdown.render(text, lambda href: self._link(href, base_dir), inline=inline,
                                   reserved_ids=reserved_ids)
            self._cache[key] = Markup(html.strip())
        return self._cache[key]

    def _link(self, href: str, base_dir: str) -> str | None:
        target = content_link(href, base_dir)
        if target is not None:
            path = target[len(ROOT):].partition("#")[0]
            if urls.is_asset(path):
                self.assets.add(path)
        return target


def plain(text: str) -> Markup:
    """Plain text (a list item, an anchor) as escaped HTML."""
    return escape(text)
