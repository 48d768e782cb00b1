"""Page numbers rewritten in a laid-out PDF: how a packet assembled from its forms' PDFs numbers its pages.

A form laid out alone prints "Page 2 of 5" in its footer, and "explained on page 1" where a section refers
to another page of the form. In a packet the same pages are pages 7 to 11 of 30, so assembling a packet
(assemble.py) rewrites those numbers in each page's content stream, where they are:

- **the footer**: the last text a page draws (WeasyPrint draws the @bottom-right margin box last) when it
  reads as the page's footer; replaced by the packet's footer with the same right edge (the box aligns
  right);
- **a reference to a page**: the text inside an internal link when it reads as the number of the page the
  link leads to; replaced with the same left edge, the rest of its line moved by the difference in width.

The new text is drawn with the fields' embedded font (fieldfonts: the forms' face, Liberation Sans, with a
ToUnicode map), at the size and colour of the text it replaces, so it reads back as the same characters
(pdftotext, pypdf) at the same place. It stays inside the marked-content sequence WeasyPrint tagged the old
text with, so the structure tree still covers it.

WeasyPrint writes each run of text as `BT a b c d e f Tm /Font size Tf [<hex> n <hex> …] TJ ET`; runs are
found by that shape in the raw content stream and edited by splicing bytes: parsing and writing back every
operator with pikepdf costs 30 ms a page, more than the rest of assembling a packet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pikepdf
from pikepdf import Name

from . import fieldfonts
from .acroform import FontObjects

_NUMBER = rb"[-+]?(?:\d+\.?\d*|\.\d+)"
# The operators that place text: q, Q and cm (the transformation matrix), BT (a run of text, to its ET).
_OPERATORS = re.compile(rb"(?<![^\s])(BT|cm|q|Q)(?![^\s])")
_END_TEXT = re.compile(rb"(?<=\s)ET(?![^\s])")
# Inside BT … ET: one text matrix, then for each font a Tf and a TJ (more than one where fonts change).
_TEXT_MATRIX = re.compile(rb"\s*(?P<tm>(?:" + _NUMBER + rb"\s+){6})Tm")
_SHOW = re.compile(rb"\s*/(?P<font>[^\s/\[\]()<>{}%]+)\s+(?P<size>" + _NUMBER + rb")\s+Tf\s+\[(?P<array>[^\]]*)\]\s*TJ")
_SHOWN = re.compile(rb"<([0-9a-fA-F]*)>|(" + _NUMBER + rb")")
_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_BFRANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SAME_LINE = 0.05  # points: two runs on one baseline


def _multiply(m, n):
    """The matrix m × n (PDF order: m applied first)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


@dataclass
class _Font:
    """What decoding and measuring a WeasyPrint font (Type0, Identity-H, two bytes a glyph) takes."""

    text: dict[int, str]
    widths: dict[int, float]
    default: float

    @classmethod
    def read(cls, font: pikepdf.Dictionary) -> "_Font":
        text: dict[int, str] = {}
        cmap = font.get("/ToUnicode")
        if cmap is not None:
            data = cmap.read_bytes()
            for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
                for code, chars in _BFCHAR.findall(block):
                    text[int(code, 16)] = bytes.fromhex(chars.decode()).decode("utf-16-be", "replace")
            for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
                for low, high, first in _BFRANGE.findall(block):
                    start = int.from_bytes(bytes.fromhex(first.decode()), "big")
                    for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                        text[code] = chr(start + offset)
        widths: dict[int, float] = {}
        default = 1000.0
        descendants = font.get("/DescendantFonts")
        if descendants is not None and len(descendants):
            cid = descendants[0]
            default = float(cid.get("/DW", 1000))
            w = list(cid.get("/W", ()))
            i = 0
            while i < len(w):
                first = int(w[i])
                if isinstance(w[i + 1], pikepdf.Array):
                    for offset, value in enumerate(w[i + 1]):
                        widths[first + offset] = float(value)
                    i += 2
                else:
                    for code in range(first, int(w[i + 1]) + 1):
                        widths[code] = float(w[i + 2])
                    i += 3
        return cls(text, widths, default)


@dataclass
class _Run:
    """One BT … ET of text as WeasyPrint draws it (a text matrix, then a TJ per font), and where it is.
    What it reads is decoded when asked (a page has hundreds of runs; a few are ever read)."""

    start: int  # byte span of its BT … ET in the content stream
    end: int
    tm: list[float]
    shows: list[tuple[str, float, bytes]]  # (font resource name, size, TJ array contents)
    ctm: tuple
    page: "PageText"
    replaced: bytes | None = None  # what draws instead of it
    moved: bool = False  # its text matrix changed
    _read: tuple[str, float] | None = None

    @property
    def text(self) -> str:
        return self._decoded()[0]

    @property
    def advance(self) -> float:
        """Width in text space (the x axis of its text matrix), in thousandths of `size`."""
        return self._decoded()[1]

    def _decoded(self) -> tuple[str, float]:
        if self._read is None:
            self._read = self.page.decode(self)
        return self._read

    @property
    def size(self) -> float:
        return self.shows[0][1]

    def user(self, x: float, y: float) -> tuple[float, float]:
        """A point of text space in the page's default user space."""
        a, b, c, d, e, f = _multiply(self.tm, self.ctm)
        return a * x + c * y + e, b * x + d * y + f

    @property
    def origin(self) -> tuple[float, float]:
        return self.user(0, 0)

    def block(self, tm=None, shown: bytes | None = None) -> bytes:
        tm = self.tm if tm is None else tm
        if shown is None:
            shown = b"\n".join(b"/%s %s Tf\n[%s] TJ" % (font.encode(), _format(size), array)
                               for font, size, array in self.shows)
        return b"BT\n%s Tm\n%s\nET" % (b" ".join(_format(v) for v in tm), shown)


def _format(value: float) -> bytes:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode()


class PageText:
    """The runs of text of one page, to find numbers in and rewrite them."""

    def __init__(self, page: pikepdf.Page, fonts: dict):
        self.page = page
        self.data = _contents(page)
        self.fonts = fonts  # decoded fonts, by object: shared by the pages of a document
        self.runs: list[_Run] = []
        resources = page.obj.get("/Resources")
        self.page_fonts = resources.get("/Font") if resources is not None else None
        ctm, stack, at = _IDENTITY, [], 0
        data = self.data
        while True:
            found = _OPERATORS.search(data, at)
            if found is None:
                break
            operator, at = found.group(1), found.end()
            if operator == b"BT":
                end = _END_TEXT.search(data, at)
                if end is None:
                    break
                run = _parse_run(self, found.start(), end.end(), data[at:end.start()], ctm)
                if run is not None:  # else text drawn otherwise than WeasyPrint draws it: never one we rewrite
                    self.runs.append(run)
                at = end.end()
            elif operator == b"cm":
                operands = data[max(0, found.start() - 160):found.start()].split()[-6:]
                ctm = _multiply(tuple(float(v) for v in operands), ctm)
            elif operator == b"q":
                stack.append(ctm)
            else:
                ctm = stack.pop() if stack else ctm

    def decode(self, run: _Run) -> tuple[str, float]:
        """What `run` reads, and its width in thousandths of its first font's size ("" when a font is unknown)."""
        text, width = [], 0.0
        for font_name, size, array in run.shows:
            font = self.page_fonts.get("/" + font_name) if self.page_fonts is not None else None
            if font is None:
                return "", 0.0
            key = font.objgen if font.is_indirect else id(font)
            if key not in self.fonts:
                self.fonts[key] = _Font.read(font)
            shown, advance = _decode(array, self.fonts[key])
            text.append(shown)
            width += advance * size
        return "".join(text), width / run.size if run.size else 0.0

    # ------------------------------------------------------------------ finding

    def footer(self, text: str) -> list[_Run]:
        """The last runs of the page, on one baseline, when together they read `text` (spaces aside)."""
        wanted = _bare(text)
        found: list[_Run] = []
        for run in reversed(self.runs):
            if not run.text.strip() and not found:
                continue
            if found and abs(run.origin[1] - found[0].origin[1]) > _SAME_LINE:
                break
            found.insert(0, run)
            got = _bare("".join(r.text for r in found))
            if got == wanted:
                return found
            if not wanted.endswith(got):
                break
        return []

    def number_in(self, rect, number: str) -> _Run | None:
        """The run inside `rect` (a link's rectangle) that reads `number`, if there is one."""
        x1, y1, x2, y2 = (float(v) for v in rect)
        left, right, low, high = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
        for run in self.runs:
            x, y = run.origin
            if left - 0.5 <= x <= right + 0.5 and low - 0.5 <= y <= high + 0.5 and run.text == number:
                return run
        return None

    # ------------------------------------------------------------------ rewriting

    def replace(self, runs: list[_Run], text: str, fonts: FontObjects, align: str) -> float:
        """Draw `text` instead of `runs` (one line), keeping the left or right edge (`align`); returns the change
        in width, in the units of the first run's text space."""
        first, last = runs[0], runs[-1]
        old = sum(r.advance for r in runs) * first.size / 1000
        pieces = fieldfonts.runs(fieldfonts.drawn(text), fonts.base)
        new = sum(font.advance(part) for font, part in pieces) * first.size / 1000
        tm = list(first.tm)
        if align == "right":  # where the last run ends, less the new text's width
            width = last.advance * last.size / 1000
            tm[4] = last.tm[4] + width * last.tm[0] - new * tm[0]
            tm[5] = last.tm[5] + width * last.tm[1] - new * tm[1]
        shown = b"\n".join(b"/%s %s Tf %s Tj" % (font.key.encode(), _format(first.size), font.encode(part))
                           for font, part in pieces)
        resources = self.page.obj.get("/Resources")
        if resources is None:
            resources = self.page.obj.Resources = pikepdf.Dictionary()
        if "/Font" not in resources:
            resources.Font = pikepdf.Dictionary()
        for font, _part in pieces:
            resources.Font[Name("/" + font.key)] = fonts.reference(font)
        first.replaced = first.block(tm=tm, shown=shown)
        for run in runs[1:]:
            run.replaced = b""
        return new - old

    def shift_after(self, run: _Run, by: float) -> None:
        """Move the runs after `run` on its line (to its right) by `by` along its baseline."""
        if abs(by) < 1e-6:
            return
        y = run.origin[1]
        x = run.origin[0]
        for other in self.runs[self.runs.index(run) + 1:]:
            ox, oy = other.origin
            if abs(oy - y) <= _SAME_LINE and ox > x:
                other.tm[4] += by * run.tm[0]
                other.tm[5] += by * run.tm[1]
                other.moved = True

    def save(self, pdf: pikepdf.Pdf) -> bool:
        """Write the page's content back if anything changed; whether it did."""
        edits = [(r.start, r.end, r.replaced if r.replaced is not None else r.block())
                 for r in self.runs if r.replaced is not None or r.moved]
        if not edits:
            return False
        out, at = [], 0
        for start, end, text in edits:
            out += [self.data[at:start], text]
            at = end
        out.append(self.data[at:])
        self.page.obj.Contents = pdf.make_stream(b"".join(out))
        return True


def _parse_run(page: PageText, start: int, end: int, body: bytes, ctm: tuple) -> _Run | None:
    matrix = _TEXT_MATRIX.match(body)
    if matrix is None:
        return None
    shows, at = [], matrix.end()
    for show in _SHOW.finditer(body, at):
        if show.start() != at:
            return None
        shows.append((show.group("font").decode("latin-1"), float(show.group("size")), show.group("array")))
        at = show.end()
    if not shows or body[at:].strip():
        return None
    return _Run(start, end, [float(v) for v in matrix.group("tm").split()], shows, ctm, page)


def _contents(page: pikepdf.Page) -> bytes:
    contents = page.obj.get("/Contents")
    if contents is None:
        return b""
    if isinstance(contents, pikepdf.Stream):
        return contents.read_bytes()
    return b"\n".join(part.read_bytes() for part in contents)


def _decode(array: bytes, font: _Font) -> tuple[str, float]:
    """The text a TJ array shows and its advance, in thousandths of the font size."""
    text, advance = [], 0.0
    for hexed, number in _SHOWN.findall(array):
        if number:
            advance -= float(number)
            continue
        raw = bytes.fromhex(hexed.decode())
        for i in range(0, len(raw) - 1, 2):
            code = int.from_bytes(raw[i:i + 2], "big")
            text.append(font.text.get(code, ""))
            advance += font.widths.get(code, font.default)
    return "".join(text), advance


def _bare(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFC", text) if not c.isspace())
