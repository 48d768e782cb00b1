"""Link glossary terms where they appear in level and competency text, at build time.

Works on the finished page, not on Markdown, so it sees every fragment the way
the reader does and can link each term once per page (the first time it
appears) rather than once per fragment. Only text inside elements the
templates mark with `data-glossary` is touched, and never text inside a link,
code, a heading, a form control or an SVG: a term there stays as it is.

The page is read once (htmlscan.py), which finds the text runs that may get
a link; only the runs that get one are rewritten, every other byte is copied
as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import escape

# Elements whose text never gets a glossary link.
BLOCKED = frozenset({"a", "code", "pre", "kbd", "samp", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style",
                     "svg", "button", "label", "select", "option", "textarea", "summary", "dfn", "title"})


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
    return _pattern(tuple(t.text for t in _in_order(terms))) if terms else None


def _in_order(terms: list[Term]) -> list[Term]:
    """The order the pattern tries the spellings in (its group `t{i}` is the i-th)."""
    return sorted(terms, key=lambda t: (-len(t.text), t.text))


@lru_cache(maxsize=4096)
def _pattern(texts: tuple[str, ...]) -> re.Pattern:
    alternatives = []
    for i, text in enumerate(texts):
        body = re.escape(text)
        if not (text.isupper() and len(text) > 1):
            body = f"(?i:{body})"
        before = r"(?<![A-Za-z0-9])" if text[0].isascii() and text[0].isalnum() else ""
        after = r"(?![A-Za-z0-9])" if text[-1].isascii() and text[-1].isalnum() else ""
        alternatives.append(f"(?P<t{i}>{before}{body}{after})")
    return re.compile("|".join(alternatives))


def link_runs(html: str, runs: list[tuple[int, int]], terms: list[Term]) -> str:
    """`html` with the first occurrence of each term in `runs` (from `htmlscan.read_page`) made a link."""
    if not terms or not runs:
        return html
    ordered = _in_order(terms)
    pattern = term_pattern(ordered)
    linked: set[str] = set()  # glossary targets already linked on this page
    # In ASCII text a spelling can only match where its lower-cased form occurs, so an ASCII run is
    # matched against the spellings it holds only (most hold none), not against every one: the same
    # matches, as a spelling that is not in the run cannot match in it, and the big pattern is slow.
    # Not where a spelling holds a letter that ignoring case matches to an ASCII one (see below).
    exact = not any(_ASCII_CASE_TWINS & set(t.text) for t in ordered)
    on_page: list[tuple[str, Term]] = []  # (lower-cased spelling, term) for the spellings on the page
    if exact:
        page = html.lower()
        on_page = [(t.text.lower(), t) for t in ordered if t.text.lower() in page]
    out: list[str] = []
    position = 0
    for start, end in runs:
        out.append(html[position:start])
        run = html[start:end]
        if exact and run.isascii():
            lowered = run.lower()
            here = [term for needle, term in on_page if needle in lowered]
            if any(term.href not in linked for term in here):
                run = _link_run(run, term_pattern(here), here, linked)  # `here` keeps the pattern's order
        else:
            run = _link_run(run, pattern, ordered, linked)
        out.append(run)
        position = end
    out.append(html[position:])
    return "".join(out)


# Non-ASCII letters that match ASCII ones when case is ignored (see `re.IGNORECASE`).
_ASCII_CASE_TWINS = frozenset("\u0130\u0131\u017f\u212a")


def inside_name(text: str, start: int, end: int) -> bool:
    """Whether the capitalised words at text[start:end] are part of a longer proper name or title:
    "Medical Assistant" in "Registered Medical Assistant" or "Medical Assistant II", "MA" in "Lead MA".
    A word capitalised only because it starts a sentence does not count."""
    if not text[start:start + 1].isupper():
        return False
    before = re.search(r"(\S+) $", text[:start])
    if before and before.group(1)[:1].isupper():
        earlier = text[:before.start(1)].rstrip()
        if earlier and earlier[-1] not in ".!?:;>(\"“":
            return True
    after = re.match(r" (\S+)", text[end:])
    return bool(after and after.group(1)[:1].isupper())


def _link_run(text: str, pattern: re.Pattern, ordered: list[Term], linked: set[str]) -> str:
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        term = ordered[int(match.lastgroup[1:])]
        if term.href in linked or inside_name(text, match.start(), match.end()):
            continue
        linked.add(term.href)
        pieces.append(text[position:match.start()])
        # The matched text is already escaped HTML (it came from the page), so it is copied as is.
        pieces.append(f'<a class="term" href="{escape(term.href)}" title="{escape(term.title)}">'
                      f"{match.group()}</a>")
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces)
