"""Read a finished handbook page once: where glossary terms may be linked, and its search documents.

Both jobs used to follow every tag and every piece of text with a handler
object (first with HTMLParser, then with a regex tokeniser). On a large
handbook that was the biggest cost of the HTML build, larger than rendering
the templates. This reader does the least per tag:

- it follows the nesting of every element (a stack, as HTMLParser-based
  handlers would: an end tag closes the nearest open element of its name),
  but looks at attributes only on tags that carry `data-glossary` or
  `data-search…`, and looks at text only inside glossary regions;
- the search text is not gathered piece by piece: the reader notes where
  <main>, each `data-search-entry` and each skipped element begin and end,
  and the text of each document is made from those slices of the page by
  regular expressions (tags between blocks become a space, inline tags
  nothing, character references their characters).

The pages it reads are not arbitrary HTML: our templates (autoescaped) and
markdown-it (raw HTML escaped) write them, so every attribute value is
quoted, `<` only starts a tag, and a page has one <main>. The content of
<script> and <style> is text, never tags. A test compares the reader, page
by page, with the same rules applied to the events of the standard
library's HTMLParser.

The rules themselves live with their users: which elements block a glossary
link (glossary.BLOCKED), which elements are skipped or break a line in the
search text (search.SKIP_TAGS, search.BLOCK).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

from .glossary import BLOCKED
from .search import BLOCK, SKIP_TAGS, Document

# A start tag's attributes: runs of plain characters, quoted values, or a `/` not ending the tag. The
# possessive `*+` never backtracks into them, which makes the tag regex several times faster.
_ATTRS = r"(?:[^>\"'/]+|\"[^\"]*\"|'[^']*'|/(?!>))*+"
_TAG = re.compile(
    rf"<(?:(?P<close>/)?(?P<name>[a-zA-Z][a-zA-Z0-9:-]*)(?P<attrs>{_ATTRS})(?P<self>/)?>"
    r"|!--.*?-->|![^>]*>|\?[^>]*>)", re.S)
_ATTR = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_CHARREF = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][-.a-zA-Z0-9]*);?")
_WANTED = re.compile("data-glossary|data-search", re.I).search  # the only attributes the reader looks at
RAW_TEXT = ("script", "style")
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})  # elements with no content and no end tag

# Making text of a slice of the page (see `_plain`): line-breaking tags become a space, every other tag
# (and comment) a mark that is removed once character references are resolved, so that a reference is
# never joined with text from the other side of a tag.
_BREAK_TAG = re.compile(rf"</?(?i:{'|'.join(sorted(BLOCK))})(?![a-zA-Z0-9:-]){_ATTRS}/?>", re.S)
_MARK = "\x00"

# What an open element means to the reader: the bits of its role on the stack.
_REGION, _BLOCKS, _MAIN, _SKIP, _ENTRY, _HEADING, _SUBHEADING = 1, 2, 4, 8, 16, 32, 64
SUBHEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


def attributes(text: str) -> list[tuple[str, str | None]]:
    """The attributes in the text of a start tag, names lower-cased and values unescaped."""
    out = []
    for match in _ATTR.finditer(text):
        value = next((v for v in match.group(2, 3, 4) if v is not None), None)
        out.append((match.group(1).lower(), unescape(value) if value is not None else None))
    return out


@dataclass(frozen=True)
class PageText:
    runs: list[tuple[int, int]]  # (start, end) of each text run that may receive a glossary link
    documents: list[Document]  # the page's search documents: the page itself, then its entries


@dataclass
class _Section:
    """A search document being read: where its content starts and ends in the page, and the parts cut
    out of it (skipped elements, entries of their own) as (start, end, what the cut leaves)."""

    doc: Document | None  # None for the <h1>, read for the page's title; for a subheading, the document it is in
    start: int
    end: int = -1
    cuts: list[tuple[int, int, str]] = field(default_factory=list)


def read_page(html: str, page: str) -> PageText:
    """The glossary runs and search documents of `html`, the page at `page` (a path from the output root).

    Glossary runs: the text inside elements marked `data-glossary`, not inside a BLOCKED element,
    split at tags and character references (so that a link never cuts one), blank runs left out.
    Search documents: the text of <main>, less SKIP_TAGS elements and anything marked
    `data-search-skip`, titled by its <h1>, with the text of its <h2>–<h6> as its headings; each
    element inside it marked `data-search-entry` (with an id) is a document of its own, at `page#id`,
    and its text (and headings) are not the page's.
    """
    runs: list[tuple[int, int]] = []
    # One entry per open element: (tag, role, start of its start tag, its section: main or an entry).
    stack: list[tuple[str, int, int, _Section | None]] = []
    region = blocked = skip = in_main = 0
    page_section: _Section | None = None
    sections: list[_Section] = []  # the search documents open here, innermost last
    entries: list[_Section] = []
    heading: _Section | None = None  # the <h1> being read, as a section of its own (for its cuts)
    subheadings: list[_Section] = []  # the <h2>–<h6> being read
    length = len(html)
    lowered: str | None = None

    def close(index: int, at: int, after: int) -> None:
        """Close stack[index] and every element opened inside it: the end tag spans at..after."""
        nonlocal region, blocked, skip, in_main, heading
        for tag, role, start, section in reversed(stack[index:]):
            if not role:
                continue
            region -= bool(role & _REGION)
            blocked -= bool(role & _BLOCKS)
            if role & _SKIP:
                skip -= 1
                _cut(sections, [heading, *subheadings], start, after, tag)
            if role & _ENTRY and section in sections:
                section.end = at
                sections.remove(section)
                _cut(sections, [], start, after, tag)
            if role & _MAIN:
                in_main -= 1
                section.end = at
                sections.clear()
            if role & _SUBHEADING:
                subheadings[:] = [h for h in subheadings if h is not section]
                section.end = at
                text = _title(html, section)
                if text:
                    section.doc.headings.append(text)
            if role & _HEADING and heading is not None:
                heading.end = at
                if page_section is not None:
                    page_section.doc.title = _title(html, heading)
                heading = None
        del stack[index:]

    scan_from = 0  # where the tags start again after a <script> or <style> (whose content is text)
    while scan_from < length:
        text_from = scan_from  # where the text before the next tag starts
        for match in _TAG.finditer(html, scan_from):
            start = match.start()
            if region and not blocked and start > text_from:
                _add_runs(html, text_from, start, runs)
            text_from = match.end()
            closing, name, raw, self_closing = match.groups()
            if name is None:  # a comment, doctype or processing instruction
                continue
            tag = name.lower()
            if closing:
                if stack and stack[-1][0] == tag and not stack[-1][1]:
                    stack.pop()  # the usual case: the element just opened, and it means nothing here
                    continue
                for i in range(len(stack) - 1, -1, -1):
                    if stack[i][0] == tag:
                        close(i, start, text_from)
                        break
                continue
            if tag in VOID:
                continue
            role = _BLOCKS if tag in BLOCKED else 0
            section = None
            attrs = dict(attributes(raw)) if raw and _WANTED(raw) else {}
            if "data-glossary" in attrs:
                role |= _REGION
            if tag == "main":
                role |= _MAIN
                in_main += 1
                section = page_section = _Section(Document(page, "", attrs.get("data-search-kind") or ""), text_from)
                sections[:] = [section]
            elif tag in SKIP_TAGS or "data-search-skip" in attrs:
                role |= _SKIP
                skip += 1
            elif in_main and not skip and "data-search-entry" in attrs and attrs.get("id"):
                role |= _ENTRY
                kind = attrs.get("data-search-kind") or (page_section.doc.kind if page_section else "")
                section = _Section(Document(f"{page}#{attrs['id']}", attrs["data-search-entry"] or "", kind),
                                   text_from)
                entries.append(section)
                sections.append(section)
            elif tag in SUBHEADINGS and in_main and not skip and sections:
                role |= _SUBHEADING
                section = _Section(sections[-1].doc, text_from)
                subheadings.append(section)
            if tag == "h1" and in_main and not skip:
                heading = _Section(None, text_from)  # the title is the text since the last <h1>
                if not role & _ENTRY:  # an <h1> that is an entry does not title the page
                    role |= _HEADING
            region += bool(role & _REGION)
            blocked += bool(role & _BLOCKS)
            stack.append((tag, role, start, section))
            if self_closing:
                close(len(stack) - 1, text_from, text_from)
            elif tag in RAW_TEXT:
                # Its content is text (no run or document reads it: both skip the element); the tags
                # start again at its end tag.
                lowered = lowered if lowered is not None else html.lower()
                found = lowered.find(f"</{tag}", text_from)
                scan_from = length if found < 0 else found
                break
        else:
            if region and not blocked and length > text_from:
                _add_runs(html, text_from, length, runs)
            break
    if stack:
        close(0, length, length)  # what the page left open ends with it

    documents = []
    for section in ([page_section] if page_section is not None else []) + entries:
        section.doc.parts = [_plain(html, section, _BREAK_TAG)]
        if section.doc.text:
            documents.append(section.doc)
    return PageText(runs, documents)


def _cut(sections: list[_Section], headings: list[_Section | None], start: int, end: int, tag: str) -> None:
    """Cut html[start:end] (a skipped element, or an entry read as a document of its own) out of the
    innermost open document, and out of the headings being read. Text on either side of a cut block
    stays two words."""
    if sections:
        sections[-1].cuts.append((start, end, " " if tag in BLOCK else _MARK))
    for heading in headings:
        if heading is not None:
            heading.cuts.append((start, end, _MARK))


def _add_runs(html: str, start: int, end: int, runs: list[tuple[int, int]]) -> None:
    """The text html[start:end] as glossary runs, split at character references, blank ones left out."""
    if html.find("&", start, end) < 0:
        if not html[start:end].isspace():
            runs.append((start, end))
        return
    position = start
    for ref in _CHARREF.finditer(html, start, end):
        if ref.start() > position and not html[position:ref.start()].isspace():
            runs.append((position, ref.start()))
        position = ref.end()
    if position < end and not html[position:end].isspace():
        runs.append((position, end))


def _plain(html: str, section: _Section, breaks: re.Pattern | None) -> str:
    """The text of a section: its slice of the page less its cuts; `breaks` tags become a space, every
    other tag nothing; character references resolved."""
    pieces = []
    position = section.start
    for start, end, left in sorted(section.cuts):
        if start < position:  # inside a cut already made (a skipped element within a skipped element)
            continue
        pieces.append(html[position:start])
        pieces.append(left)
        position = end
    pieces.append(html[position:section.end])
    text = "".join(pieces)
    if breaks is not None:
        text = breaks.sub(" ", text)
    return unescape(_TAG.sub(_MARK, text)).replace(_MARK, "")


def _title(html: str, heading: _Section) -> str:
    """A heading's text, words as the reader sees them (tags inside it join, they do not break)."""
    return " ".join(_plain(html, heading, None).split())
