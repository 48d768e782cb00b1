"""Link glossary terms where they appear in level and competency text, at build time.

Works on the finished page, not on Markdown, so it sees every fragment the way
the reader does and can link each term once per page (the first time it
appears) rather than once per fragment. Only text inside elements the
templates mark with `data-glossary` is touched, and never text inside a link,
code, a heading, a form control or an SVG: a term there stays as it is.

The page is tokenised (htmlscan.py) and only the text runs that get a link
are rewritten; every other byte is copied as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from markupsafe import escape

from .htmlscan import scan

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


class RunFinder:
    """A scan handler (htmlscan.py, `charrefs=False`) that finds the text runs that may receive
    glossary links, as (start, end) offsets into the page."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, opens a region, blocks)
        self.region = 0
        self.blocked = 0
        self.runs: list[tuple[int, int]] = []

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

    def handle_data(self, data: str, offset: int) -> None:
        if self.region and not self.blocked and data.strip():
            self.runs.append((offset, offset + len(data)))


def link_terms(html: str, terms: list[Term]) -> str:
    """`html` with the first occurrence of each glossary term in marked regions made a link."""
    if not terms or "data-glossary" not in html:
        return html
    finder = RunFinder()
    scan(html, finder, charrefs=False, attrs_with="data-glossary")
    return link_runs(html, finder.runs, terms)


def link_runs(html: str, runs: list[tuple[int, int]], terms: list[Term]) -> str:
    """`html` with the first occurrence of each term in `runs` (found by a RunFinder) made a link."""
    pattern = term_pattern(terms)
    if pattern is None or not runs:
        return html
    ordered = sorted(terms, key=lambda t: (-len(t.text), t.text))
    linked: set[str] = set()  # glossary targets already linked on this page
    needles = _needles(ordered)
    out: list[str] = []
    position = 0
    for start, end in runs:
        out.append(html[position:start])
        run = html[start:end]
        if needles is not None and run.isascii() and not _may_link(run.lower(), needles, linked):
            out.append(run)  # no term left to link can match here: skip the (slow) big pattern
        else:
            out.append(_link_run(run, pattern, ordered, linked))
        position = end
    out.append(html[position:])
    return "".join(out)


# Non-ASCII letters that match ASCII ones when case is ignored (see `re.IGNORECASE`).
_ASCII_CASE_TWINS = frozenset("\u0130\u0131\u017f\u212a")


def _needles(ordered: list[Term]) -> list[tuple[str, str]] | None:
    """(lower-cased spelling, target) for the substring pre-check; None when it would not be exact."""
    if any(_ASCII_CASE_TWINS & set(t.text) for t in ordered):
        return None
    return [(t.text.lower(), t.href) for t in ordered]


def _may_link(lowered: str, needles: list[tuple[str, str]], linked: set[str]) -> bool:
    """Whether a term not yet linked on the page occurs in an ASCII text run, in any case.

    In ASCII text the pattern can only match where the lower-cased spelling occurs, so a run
    without one is left as it is without running the pattern (most runs are like that)."""
    return any(href not in linked and needle in lowered for needle, href in needles)


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
