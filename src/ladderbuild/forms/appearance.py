"""Appearance streams: what a field looks like in each state, drawn by ladderbuild, not by the viewer.

Viewers differ in what they draw for a field themselves (poppler shows no
radio state without an appearance; PDFium and poppler lay text out
differently), so every field carries its own appearances:

- **Text**: the value in embedded fonts (fieldfonts). A one-line field
  shrinks the text to fit its width; a multi-line field wraps it and
  shrinks it until every line fits the box (auto size), so a long comment
  prints whole. A line in a right-to-left or joining script is shaped
  (shaping.py) and each glyph placed where shaping puts it.
- **Radio buttons and checkboxes**: an "on" appearance named after the
  export value (a dot, a tick) and an "off" one (nothing: the page draws
  the box), with the same for the pressed (down) state.

Everything here is pure: text and sizes in, content-stream bytes out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from . import shaping
from .fieldfonts import Subset, drawn, runs, shaped_line

PADDING = 2.0  # points between the box and the text
LEADING = 1.15  # line height, in font sizes
MIN_SIZE = 4.0  # the smallest size auto size shrinks to
MAX_AUTO_SIZE = 9.0  # auto size starts here (the forms' body text size)
STEP = 0.25
_BREAK_AFTER = re.compile(r"\s+|(?<=[\-–—/])")


@dataclass(frozen=True)
class TextLayout:
    size: float
    lines: tuple[str, ...]


def _is_wide(c: str) -> bool:
    """A character a line may break before and after (Chinese, Japanese, Korean)."""
    return unicodedata.east_asian_width(c) in ("W", "F")


_ADVANCES: dict[tuple[str, str], float] = {}


def _advance(c: str, base: Subset) -> float:
    """One character's advance in font sizes (cached: a long comment is measured many times over)."""
    key = (base.key, c)
    found = _ADVANCES.get(key)
    if found is None:
        ((font, part),) = runs(c, base) or ((base, " "),)
        found = _ADVANCES[key] = font.advance(part) / 1000
    return found


def _width(text: str, base: Subset) -> float:
    if shaping.line_needs_shaping(text):
        return shaped_line(text, base)[1] / 1000
    return sum(_advance(c, base) for c in text)


def _words(paragraph: str) -> list[str]:
    """Pieces a line may break between: words with their trailing spaces, and each wide character."""
    out: list[str] = []
    for piece in re.findall(r"\S+\s*|\s+", paragraph):
        current = ""
        for c in piece:
            if _is_wide(c):
                if current:
                    out.append(current)
                out.append(c)
                current = ""
            else:
                current += c
        if current:
            if out and _is_wide(out[-1][-1]) and not current.strip():
                out[-1] += current
            else:
                out.append(current)
    return out


def wrap(text: str, width: float, size: float, base: Subset) -> list[str]:
    """Lines of `text` no wider than `width` at `size` (a word too long for a line is cut by character)."""
    limit = width / size
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, line_width = "", 0.0
        for word in _words(paragraph):
            stripped = word.rstrip()
            if line_width + _width(stripped, base) <= limit:
                line += word
                line_width += _width(word, base)
                continue
            if line.strip():
                lines.append(line.rstrip())
            while len(stripped) > 1 and _width(stripped, base) > limit:
                cut, used = 0, 0.0
                while cut < len(stripped) and (cut == 0 or used + _advance(stripped[cut], base) <= limit):
                    used += _advance(stripped[cut], base)
                    cut += 1
                lines.append(stripped[:cut])
                word, stripped = word[cut:], stripped[cut:]
            line, line_width = word, _width(word, base)
        lines.append(line.rstrip())
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


def layout(value: str, width: float, height: float, size: float, multiline: bool, base: Subset) -> TextLayout:
    """The size and lines to draw `value` in a box; size 0 means auto size."""
    text = drawn(value)
    inner_w, inner_h = max(1.0, width - 2 * PADDING), max(1.0, height - 2 * PADDING)
    if not multiline:
        line = " ".join(text.split("\n"))
        size = size or min(MAX_AUTO_SIZE + 1, max(MIN_SIZE, inner_h * 0.8))
        natural = _width(line, base)
        if natural * size > inner_w:
            size = max(MIN_SIZE, inner_w / natural) if natural else size
        return TextLayout(size, (line,))
    size = size or MAX_AUTO_SIZE
    while True:
        lines = wrap(text, inner_w, size, base)
        if len(lines) * size * LEADING <= inner_h or size <= MIN_SIZE:
            return TextLayout(size, tuple(lines))
        size = max(MIN_SIZE, size - STEP)


def text_stream(value: str, width: float, height: float, size: float, multiline: bool,
                base: Subset) -> tuple[bytes, set[Subset]]:
    """A text field's appearance content and the fonts it uses."""
    lay = layout(value, width, height, size, multiline, base)
    used: set[Subset] = set()
    out = [b"/Tx BMC\nq\n%.2f %.2f %.2f %.2f re W n\nBT\n0 g\n" % (
        PADDING / 2, PADDING / 2, max(0.0, width - PADDING), max(0.0, height - PADDING))]
    ascent = base.ascent / 1000
    if multiline:
        first = height - PADDING - lay.size * ascent
        baselines = [first - i * lay.size * LEADING for i in range(len(lay.lines))]
    else:
        cap = base.cap_height / 1000
        baselines = [max(PADDING / 2, (height - lay.size * cap) / 2)]
    for line, y in zip(lay.lines, baselines):
        if shaping.line_needs_shaping(line):
            out += _shaped(line, y, lay.size, base, used)
            continue
        out.append(b"1 0 0 1 %.2f %.2f Tm\n" % (PADDING, y))
        for font, part in runs(line, base):
            used.add(font)
            out.append(b"/%s %.2f Tf %s Tj\n" % (font.key.encode(), lay.size, font.encode(part)))
    out.append(b"ET\nQ\nEMC")
    return b"".join(out), used


def _shaped(line: str, y: float, size: float, base: Subset, used: set[Subset]) -> list[bytes]:
    """A shaped line's glyphs, each placed where shaping put it (joining forms and marks are not where
    the fonts' advance widths alone would put them)."""
    out, current = [], None
    for glyph in shaped_line(line, base)[0]:
        if glyph.font is not current:
            current = glyph.font
            used.add(current)
            out.append(b"/%s %.2f Tf\n" % (current.key.encode(), size))
        out.append(b"1 0 0 1 %.2f %.2f Tm <%04X> Tj\n" % (PADDING + glyph.x * size / 1000,
                                                        y + glyph.y * size / 1000, glyph.gid))
    return out


def radio_on(width: float, height: float) -> bytes:
    """A filled dot in the middle of the box."""
    r = min(width, height) * 0.28
    return b"0 g\n" + _circle(width / 2, height / 2, r) + b"f"


def checkbox_on(width: float, height: float) -> bytes:
    """A tick, stroked."""
    w, h = width, height
    line = max(0.8, min(w, h) * 0.13)
    return (b"0 G %.2f w 1 J 1 j\n%.2f %.2f m %.2f %.2f l %.2f %.2f l S" %
            (line, w * 0.2, h * 0.52, w * 0.42, h * 0.27, w * 0.8, h * 0.78))


OFF = b""  # the page itself draws the empty box


def _circle(cx: float, cy: float, r: float) -> bytes:
    k = 0.5523 * r
    return (b"%.3f %.3f m\n" % (cx + r, cy)
            + b"%.3f %.3f %.3f %.3f %.3f %.3f c\n" % (cx + r, cy + k, cx + k, cy + r, cx, cy + r)
            + b"%.3f %.3f %.3f %.3f %.3f %.3f c\n" % (cx - k, cy + r, cx - r, cy + k, cx - r, cy)
            + b"%.3f %.3f %.3f %.3f %.3f %.3f c\n" % (cx - r, cy - k, cx - k, cy - r, cx, cy - r)
            + b"%.3f %.3f %.3f %.3f %.3f %.3f c\n" % (cx + k, cy - r, cx + r, cy - k, cx + r, cy))
