"""Link glossary terms where they appear in level and competency text, at build time.

Works on the finished page, not on Markdown, so it sees every fragment the way
the reader does and can link each term once per page (the first time it
appears) rather than once per fragment. Only text inside elements the
templates mark with `data-glossary` is touched, and never text inside a link,
code, a heading, a form control or an SVG: a term there stays as it is.

The page is tokenised with the standard library's HTMLParser and only the
text runs that get a link are rewritten; every other byte is copied as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from markupsafe import escape

# Elements whose text never gets a glossary link.
BLOCKED = frozenset({"a", "code", "pre", "kbd", "samp", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style",
                     "svg", "button", "label", "select", "option", "textarea", "summary", "dfn", "title"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})


@dataclass(frozen=True)
class Term:
    text: str  # the spelling to find (a term or one of its aliases)
    href: str  # where it links, relative to the page
    title: str  # the glossary term, for the link's title attribute


def term_pattern(terms: list[Term]) -> re.Pattern | None:
    """One regex for all spellings, longest first so "Medical Assistant" wins over "Assistant".

    Acronyms (all capitals, like "BLS") match case-sensitively; other terms match
    in any case. Word boundaries apply only at ASCII letters and digits, so a
    Chinese term inside a Chinese sentence still matches.
    """
    if not terms:
        return None
    alternatives = []
    for i, term in enumerate(sorted(terms, key=lambda t: (-len(t.text), t.text))):
        body = re.escape(term.text)
        if not (term.text.isupper() and len(term.text) > 1):
            body = f"(?i:{body})"
        before = r"(?<![A-Za-z0-9])" if term.text[0].isascii() and term.text[0].isalnum() else ""
        after = r"(?![A-Za-z0-9])" if term.text[-1].isascii() and term.text[-1].isalnum() else ""
        alternatives.append(f"(?P<t{i}>{before}{body}{after})")
    return re.compile("|".join(alternatives))


class _Scanner(HTMLParser):
    """Finds the text runs that may receive glossary links, as (start, end) offsets into the page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.html = html
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, opens a region, blocks)
        self.region = 0
        self.blocked = 0
        self.runs: list[tuple[int, int]] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        opens = any(name == "data-glossary" for name, _ in attrs)
        blocks = tag in BLOCKED
        self.stack.append((tag, opens, blocks))
        self.region += opens
        self.blocked += blocks

    def handle_endtag(self, tag):
        # Pop up to the matching tag; our templates and markdown-it produce well-formed HTML.
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for _tag, opens, blocks in self.stack[i:]:
                    self.region -= opens
                    self.blocked -= blocks
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self.region and not self.blocked and data.strip():
            start = self._offset()
            self.runs.append((start, start + len(data)))


def link_terms(html: str, terms: list[Term]) -> str:
    """`html` with the first occurrence of each glossary term in marked regions made a link."""
    pattern = term_pattern(terms)
    if pattern is None or "data-glossary" not in html:
        return html
    ordered = sorted(terms, key=lambda t: (-len(t.text), t.text))
    scanner = _Scanner(html)
    scanner.feed(html)
    scanner.close()
    linked: set[str] = set()  # glossary targets already linked on this page
    out: list[str] = []
    position = 0
    for start, end in scanner.runs:
        out.append(html[position:start])
        out.append(_link_run(html[start:end], pattern, ordered, linked))
        position = end
    out.append(html[position:])
    return "".join(out)


def _link_run(text: str, pattern: re.Pattern, ordered: list[Term], linked: set[str]) -> str:
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        term = ordered[int(match.lastgroup[1:])]
        if term.href in linked:
            continue
        linked.add(term.href)
        pieces.append(text[position:match.start()])
        # The matched text is already escaped HTML (it came from the page), so it is copied as is.
        pieces.append(f'<a class="term" href="{escape(term.href)}" title="{escape(term.title)}">'
                      f"{match.group()}</a>")
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces)
