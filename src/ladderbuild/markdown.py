"""Markdown: one configured markdown-it-py parser for all content.

Raw HTML in content is never passed through (`html: False`): a `<script>` in a
level description comes out as text. markdown-it's own link validation drops
`javascript:`, `vbscript:`, `file:` and non-image `data:` URLs; any other scheme but http(s),
mailto and tel, and protocol-relative `//host` links, are rendered as `#`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

from .i18n import line_joiner


@dataclass(frozen=True)
class Link:
    href: str
    line: int  # 0-based line within the Markdown text
    is_image: bool = False


SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def slugify(text: str) -> str:
    """The anchor slug used for headings and ids derived from names (GitHub style)."""
    from mdit_py_plugins.anchors.index import slugify as _slug

    return _slug(text)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    # The commonmark preset leaves the typographer's rules off: "quotes" → “quotes”, -- → –, ... → …
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(anchors_plugin, min_level=2, max_level=4, permalink=False)
    md.core.ruler.push("unspaced_breaks", _unspaced_breaks)
    return md


def _unspaced_breaks(state: StateCore) -> None:
    """A line break inside Chinese or Japanese text renders as nothing, not as a space (i18n.line_joiner)."""
    for block in state.tokens:
        children = block.children or []
        breaks = [i for i, token in enumerate(children) if token.type == "softbreak"]
        if not breaks:
            continue
        # The text on either side of each break, looking through markup such as **bold** around it:
        # one pass each way, so a paragraph of many lines costs no more than its length.
        before, after, seen = {}, {}, ""
        for i, token in enumerate(children):
            if token.type == "softbreak":
                before[i] = seen
            elif token.type not in _MARKUP and token.content:
                seen = token.content
        seen = ""
        for i in range(len(children) - 1, -1, -1):
            token = children[i]
            if token.type == "softbreak":
                after[i] = seen
            elif token.type not in _MARKUP and token.content:
                seen = token.content
        for i in breaks:
            if not line_joiner(before[i], after[i]):
                children[i].type, children[i].content = "text", ""


_MARKUP = frozenset({"strong_open", "strong_close", "em_open", "em_close", "s_open", "s_close", "link_open",
                     "link_close"})


def is_internal(href: str) -> bool:
    """A relative link to another file of the content (not a URL, not a bare #anchor)."""
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc and bool(parts.path)


def links(text: str) -> list[Link]:
    """Every link and image target in `text`, with the line it is on."""
    found: list[Link] = []
    for block in parser().parse(text):
        if block.type != "inline" or not block.children:
            continue
        line = block.map[0] if block.map else 0
        for child in block.children:
            line_in_block = line + _softbreaks_before(block.children, child)
            if child.type == "link_open":
                found.append(Link(str(child.attrGet("href") or ""), line_in_block))
            elif child.type == "image":
                found.append(Link(str(child.attrGet("src") or ""), line_in_block, is_image=True))
    return found


_REJECTED = re.compile(r"\]\(\s*<?\s*((?:javascript|vbscript|file|data)\s*:[^)\s]*)", re.IGNORECASE)


def rejected_links(text: str) -> list[tuple[int, str]]:
    """(0-based line, href) of `[text](scheme:…)` links markdown-it refuses to make links at all."""
    return [(text.count("\n", 0, m.start()), m.group(1)) for m in _REJECTED.finditer(text)
            if not m.group(1).lower().startswith("data:image/")]


def _softbreaks_before(children: list[Token], target: Token) -> int:
    count = 0
    for child in children:
        if child is target:
            break
        if child.type in ("softbreak", "hardbreak"):
            count += 1
    return count


LinkRewriter = Callable[[str], "str | None"]


def render(text: str, rewrite_link: LinkRewriter | None = None, *, inline: bool = False,
           reserved_ids: frozenset[str] = frozenset()) -> str:
    """Render Markdown to HTML. `rewrite_link` maps content links to output URLs; a content link it
    has no page for (None) is kept as plain text, not made a dead link. Heading ids in
    `reserved_ids` (the page's own section ids) get a suffix, so `## Evidence` in a level's
    description cannot take the place of the page's Evidence section."""
    md = parser()
    env: dict = {}
    tokens = md.parseInline(text, env) if inline else md.parse(text, env)
    for token in _walk(tokens):
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            safe = _safe_href(href, rewrite_link)
            if safe is None:
                token.meta["unlinked"] = True
                continue
            token.attrSet("href", safe)
            if urlsplit(href).scheme in ("http", "https"):
                token.attrSet("rel", "noopener noreferrer")
        elif token.type == "image":
            token.attrSet("src", _safe_href(str(token.attrGet("src") or ""), rewrite_link) or "#")
        elif token.type == "heading_open" and token.attrGet("id") in reserved_ids:
            taken = reserved_ids | {str(t.attrGet("id")) for t in tokens if t.type == "heading_open"}
            base, n = str(token.attrGet("id")), 2
            while f"{base}-{n}" in taken:
                n += 1
            token.attrSet("id", f"{base}-{n}")
    for token in _walk(tokens):
        if token.children:
            token.children = _without_unlinked(token.children)
    if inline:
        tokens = _without_unlinked(tokens)
    return md.renderer.render(tokens, md.options, env)


def _without_unlinked(children: list[Token]) -> list[Token]:
    """The tokens with each unlinked link's open and close tags left out (its text stays)."""
    out, dropping = [], []
    for token in children:
        if token.type == "link_open":
            dropping.append(bool(token.meta.get("unlinked")))
            if dropping[-1]:
                continue
        elif token.type == "link_close" and dropping:
            if dropping.pop():
                continue
        out.append(token)
    return out


def is_protocol_relative(href: str) -> bool:
    """`//host/path`: another site, reached by whatever scheme the page has — on a web server the
    site's, but from disk `file://host/path`, a file share (which on Windows also hands the host the
    reader's login). Refused like an unsafe scheme (validate.py); rendered as `#`."""
    parts = urlsplit(href)
    return not parts.scheme and bool(parts.netloc)


def _safe_href(href: str, rewrite_link: LinkRewriter | None) -> str | None:
    """The href to write; "#" for a scheme that is not allowed or another site without one; None for a
    content link with no page."""
    parts = urlsplit(href)
    if parts.scheme:
        return href if parts.scheme.lower() in SAFE_SCHEMES else "#"
    if is_protocol_relative(href):
        return "#"
    if is_internal(href) and rewrite_link is not None:
        return rewrite_link(href)
    return href


def _walk(tokens: list[Token]):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def plain_text(text: str) -> str:
    """Markdown as the plain text a reader sees (for spreadsheets and data): markup dropped, one line
    per paragraph or list item, line breaks inside a paragraph joined the way the language joins them."""
    lines = []
    for block in parser().parse(text):
        if block.type not in ("inline", "fence", "code_block"):
            continue
        if block.type != "inline":
            lines.append(block.content.rstrip("\n"))
            continue
        parts = []
        for child in block.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type == "image":
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append("\n" if child.type == "hardbreak" else " ")
        lines.append("".join(parts))
    return "\n".join(lines)
