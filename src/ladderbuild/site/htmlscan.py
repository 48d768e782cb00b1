"""A fast tokeniser for the handbook's own pages, for the glossary linker and the search extractor.

Both passes used the standard library's HTMLParser, which costs more than
rendering the page: on a 200-page handbook the two parses were a third of
the HTML build. The pages they read are not arbitrary HTML: our templates
(autoescaped) and markdown-it (raw HTML escaped) write them, so every tag
is well formed, every attribute value is quoted, and `<` only starts a tag.
One regular expression finds the tags; the text between them is the data.

`scan` reports what HTMLParser reported for those pages, in the same order:
start tags (names lower-cased, attribute values unescaped), end tags (a
self-closing tag reports both), and text with its offset in the page. With
`charrefs=False` text is split at character references, as HTMLParser does
with `convert_charrefs=False`, so a caller that edits text never cuts one;
a handler with a `handle_ref` method is given each reference as written
(`&amp;`). The content of <script> and <style> is text, never tags.

`Tee` lets one scan feed several handlers: the glossary linker and the
search extractor read each page in the same pass.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Protocol

_TAG = re.compile(
    r"<(?:(?P<close>/)?(?P<name>[a-zA-Z][a-zA-Z0-9:-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(?P<self>/)?>"
    r"|!--.*?-->|![^>]*>|\?[^>]*>)", re.S)
_ATTR = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_CHARREF = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][-.a-zA-Z0-9]*);?")
RAW_TEXT = ("script", "style")


class Handler(Protocol):
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None: ...

    def handle_endtag(self, tag: str) -> None: ...

    def handle_data(self, data: str, offset: int) -> None: ...


def attributes(text: str) -> list[tuple[str, str | None]]:
    out = []
    for match in _ATTR.finditer(text):
        value = next((v for v in match.group(2, 3, 4) if v is not None), None)
        out.append((match.group(1).lower(), unescape(value) if value is not None else None))
    return out


class Tee:
    """One scan, several handlers: each is told every event, in the order given."""

    def __init__(self, *handlers) -> None:
        self.handlers = handlers
        refs = [h.handle_ref for h in handlers if hasattr(h, "handle_ref")]
        if refs:  # only then: scan() looks for the method to decide whether to report references

            def handle_ref(text: str) -> None:
                for ref in refs:
                    ref(text)

            self.handle_ref = handle_ref

    def handle_starttag(self, tag, attrs):
        for handler in self.handlers:
            handler.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        for handler in self.handlers:
            handler.handle_endtag(tag)

    def handle_data(self, data, offset):
        for handler in self.handlers:
            handler.handle_data(data, offset)


def scan(html: str, handler: Handler, *, charrefs: bool = True,
         attrs_with: str | tuple[str, ...] | None = None) -> None:
    """Feed `handler` the tags and text of `html` (see the module notes).

    With `attrs_with`, a start tag's attributes are parsed only when their text contains that string
    (e.g. "data-glossary"), or one of those strings; other tags are reported with none. Most tags
    carry nothing a caller looks at, and parsing every attribute was the tokeniser's largest cost.
    """
    handle_ref = getattr(handler, "handle_ref", None)
    if attrs_with is None:
        wanted = lambda raw: True  # noqa: E731
    else:
        needles = [attrs_with] if isinstance(attrs_with, str) else attrs_with
        wanted = re.compile("|".join(map(re.escape, needles))).search

    def data(start: int, end: int) -> None:
        if start >= end:
            return
        if charrefs:
            handler.handle_data(unescape(html[start:end]), start)
            return
        position = start
        for ref in _CHARREF.finditer(html, start, end):
            if ref.start() > position:
                handler.handle_data(html[position:ref.start()], position)
            if handle_ref is not None:
                handle_ref(ref.group())
            position = ref.end()
        if position < end:
            handler.handle_data(html[position:end], position)

    position = 0
    length = len(html)
    lowered: str | None = None  # for finding the end of <script>/<style>, made once if needed
    while position < length:
        match = _TAG.search(html, position)
        if match is None:
            data(position, length)
            return
        data(position, match.start())
        position = match.end()
        name = match.group("name")
        if name is None:  # a comment, doctype or processing instruction
            continue
        tag = name.lower()
        if match.group("close"):
            handler.handle_endtag(tag)
            continue
        raw = match.group("attrs")
        handler.handle_starttag(tag, attributes(raw) if wanted(raw) else [])
        if match.group("self"):
            handler.handle_endtag(tag)
        elif tag in RAW_TEXT:
            lowered = lowered if lowered is not None else html.lower()
            end = lowered.find(f"</{tag}", position)
            end = length if end < 0 else end
            data(position, end)
            position = end
