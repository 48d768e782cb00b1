"""The reading rules of `htmlscan.read_page`, written the plain way: the standard library's HTMLParser
reports every tag and piece of text, and two handlers follow them (the glossary runs, the search text),
each keeping its own stack. This is what the build did before the reader was made fast; the tests hold
the reader to it, page by page."""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser

from ladderbuild.site.glossary import BLOCKED
from ladderbuild.site.htmlscan import VOID
from ladderbuild.site.search import BLOCK, SKIP_TAGS, Document


class _Runs:
    """The text runs that may receive glossary links, as (start, end) offsets into the page."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, opens a region, blocks)
        self.region = 0
        self.blocked = 0
        self.runs: list[tuple[int, int]] = []

    def starttag(self, tag, attrs):
        if tag in VOID:
            return
        opens = any(name == "data-glossary" for name, _ in attrs)
        blocks = tag in BLOCKED
        self.stack.append((tag, opens, blocks))
        self.region += opens
        self.blocked += blocks

    def endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for _tag, opens, blocks in self.stack[i:]:
                    self.region -= opens
                    self.blocked -= blocks
                del self.stack[i:]
                return

    def data(self, data: str, offset: int) -> None:
        if self.region and not self.blocked and data.strip():
            self.runs.append((offset, offset + len(data)))


class _SearchText:
    """The text of <main>, with `data-search-entry` elements as documents of their own."""

    def __init__(self, page: str) -> None:
        self.page = page
        self.stack: list[tuple[str, object]] = []
        self.in_main = 0
        self.skip = 0
        self.entries: list[Document] = []
        self.open_entries: list[Document] = []
        self.page_doc: Document | None = None
        self.heading: list[str] | None = None
        self.subheadings: list[tuple[Document, list[str]]] = []  # open <h2>–<h6>: their document and text

    def starttag(self, tag, attrs):
        if tag in VOID:
            if tag == "br":
                self._text(" ")
            return
        if tag in BLOCK:
            self._text(" ")
        a = dict(attrs)
        opened: object = None
        if tag == "main":
            self.in_main += 1
            opened = "main"
            self.page_doc = Document(self.page, "", a.get("data-search-kind") or "")
        elif tag in SKIP_TAGS or "data-search-skip" in a:
            self.skip += 1
            opened = "skip"
        elif self.in_main and "data-search-entry" in a and a.get("id"):
            doc = Document(f"{self.page}#{a['id']}", a["data-search-entry"] or "",
                           a.get("data-search-kind") or (self.page_doc.kind if self.page_doc else ""))
            self.entries.append(doc)
            self.open_entries.append(doc)
            opened = doc
        elif tag in ("h2", "h3", "h4", "h5", "h6") and self.in_main and not self.skip:
            owner = self.open_entries[-1] if self.open_entries else self.page_doc
            if owner is not None:
                opened = (owner, [])
                self.subheadings.append(opened)
        if tag == "h1" and self.in_main and not self.skip:
            self.heading = []
            opened = opened or "h1"
        self.stack.append((tag, opened))

    def endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for _tag, opened in reversed(self.stack[i:]):
                    self._close(opened)
                del self.stack[i:]
                break
        if tag in BLOCK:
            self._text(" ")

    def _close(self, opened: object) -> None:
        if opened == "main":
            self.in_main -= 1
        elif opened == "skip":
            self.skip -= 1
        elif opened == "h1" and self.heading is not None and self.page_doc is not None:
            self.page_doc.title = " ".join("".join(self.heading).split())
            self.heading = None
        elif isinstance(opened, Document):
            self.open_entries.remove(opened)
        elif isinstance(opened, tuple):
            self.subheadings = [h for h in self.subheadings if h is not opened]  # by identity: two may be equal
            text = " ".join("".join(opened[1]).split())
            if text:
                opened[0].headings.append(text)

    def data(self, data: str) -> None:
        if self.heading is not None and not self.skip:
            self.heading.append(data)
        if not self.skip:
            for _owner, text in self.subheadings:
                text.append(data)
        self._text(data)

    def _text(self, data: str) -> None:
        if not self.in_main or self.skip:
            return
        target = self.open_entries[-1] if self.open_entries else self.page_doc
        if target is not None:
            target.parts.append(data)

    def documents(self) -> list[Document]:
        docs = [self.page_doc] if self.page_doc is not None and self.page_doc.text else []
        return docs + [d for d in self.entries if d.text]


class _Parser(HTMLParser):
    def __init__(self, html: str, page: str) -> None:
        super().__init__(convert_charrefs=False)  # references come apart from the text: runs never cut one
        self.html = html
        self.line_starts = [0] + [i + 1 for i, c in enumerate(html) if c == "\n"]
        self.runs, self.text = _Runs(), _SearchText(page)
        self.pending: tuple[int, int] | None = None  # text not yet reported: HTMLParser may give it in pieces

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _flush(self) -> None:
        if self.pending is not None:
            start, end = self.pending
            self.pending = None
            self.runs.data(self.html[start:end], start)
            self.text.data(self.html[start:end])

    def handle_starttag(self, tag, attrs):
        self._flush()
        self.runs.starttag(tag, attrs)
        self.text.starttag(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        self._flush()
        self.runs.endtag(tag)
        self.text.endtag(tag)

    def handle_data(self, data):
        start = self._offset()
        if self.pending is not None and self.pending[1] == start:
            start = self.pending[0]
        self.pending = (start, self._offset() + len(data))

    def _reference(self, name: str, prefix: str) -> None:
        self._flush()
        start = self._offset() + len(prefix) + len(name)
        written = self.html[self._offset():start + (self.html.startswith(";", start))]
        self.text.data(unescape(written))

    def handle_entityref(self, name):
        self._reference(name, "&")

    def handle_charref(self, name):
        self._reference(name, "&#")

    def handle_comment(self, data):
        self._flush()

    def handle_decl(self, decl):
        self._flush()

    def handle_pi(self, data):
        self._flush()

    def close(self):
        super().close()
        self._flush()


def read_page(html: str, page: str) -> tuple[list[tuple[int, int]], list[Document]]:
    """(glossary runs, search documents) of a page, by the plain rules."""
    parser = _Parser(html, page)
    parser.feed(html)
    parser.close()
    return parser.runs.runs, parser.text.documents()
