"""Lines of a field value that need more than one glyph per character, drawn in order: right-to-left
scripts (Hebrew, Arabic) and scripts whose letters join or stack (Arabic, and any script whose marks a
font places).

A name such as "محمد" or "שלום 12" cannot be drawn character by character from left to right: Arabic
letters take a different form at the start, middle and end of a word, and right-to-left text is laid
out from the right, with numbers and Latin words inside it still left to right. The page text gets
this from Pango; the fields' appearances get it from the same two libraries Pango uses:

- **FriBidi** resolves each character's embedding level (the Unicode bidirectional algorithm, UAX #9),
  so a field orders a mixed line as the page text does. It is the C library Pango links (libfribidi),
  called through ctypes: three functions, no Python binding needed.
- **HarfBuzz** (uharfbuzz) shapes each run of one level and one face into glyphs and their positions,
  from the face's own tables (GSUB joining forms, GPOS mark positions).

Runs are then put in visual order (UAX #9 rule L2). A line without such characters never comes here:
fieldfonts draws it a glyph per character, as before.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Bidirectional classes of strong right-to-left text and of Arabic digits: a line holding any is laid
# out by the bidi algorithm.
_RTL_CLASSES = frozenset({"R", "AL", "AN"})
# Marks drawn on the letter before them in scripts other than Latin, Greek and Cyrillic (whose accents
# NFC composes into precomposed letters, or which the base font draws itself).
_MARK_CATEGORIES = frozenset({"Mn", "Mc", "Me"})
_SIMPLE_MARKS = range(0x0300, 0x0370)


def needs_shaping(c: str) -> bool:
    """Whether the character `c` is drawn by shaping rather than one glyph per character."""
    return (unicodedata.bidirectional(c) in _RTL_CLASSES
            or (unicodedata.category(c) in _MARK_CATEGORIES and ord(c) not in _SIMPLE_MARKS))


def line_needs_shaping(line: str) -> bool:
    return any(needs_shaping(c) for c in line)


# --------------------------------------------------------------------------- FriBidi


_PAR_ON = 0x00000040  # FRIBIDI_PAR_ON: the paragraph's direction is that of its first strong character


@lru_cache(maxsize=1)
def _fribidi():
    name = ctypes.util.find_library("fribidi")
    if name is None:
        raise OSError("libfribidi is not installed (Debian: libfribidi0), so right-to-left text cannot be laid out")
    lib = ctypes.CDLL(name)
    u32p = ctypes.POINTER(ctypes.c_uint32)
    lib.fribidi_get_bidi_types.argtypes = [u32p, ctypes.c_int, u32p]
    lib.fribidi_get_bidi_types.restype = None
    lib.fribidi_get_bracket_types.argtypes = [u32p, ctypes.c_int, u32p, u32p]
    lib.fribidi_get_bracket_types.restype = None
    lib.fribidi_get_par_embedding_levels_ex.argtypes = [u32p, u32p, ctypes.c_int, u32p,
                                                        ctypes.POINTER(ctypes.c_int8)]
    lib.fribidi_get_par_embedding_levels_ex.restype = ctypes.c_int8
    lib.fribidi_get_mirror_char.argtypes = [ctypes.c_uint32, u32p]
    lib.fribidi_get_mirror_char.restype = ctypes.c_int
    return lib


def embedding_levels(line: str) -> list[int]:
    """Each character's embedding level in `line` (even: left to right; odd: right to left)."""
    lib, n = _fribidi(), len(line)
    chars = (ctypes.c_uint32 * n)(*map(ord, line))
    types = (ctypes.c_uint32 * n)()
    brackets = (ctypes.c_uint32 * n)()
    levels = (ctypes.c_int8 * n)()
    direction = ctypes.c_uint32(_PAR_ON)
    lib.fribidi_get_bidi_types(chars, n, types)
    lib.fribidi_get_bracket_types(chars, n, types, brackets)
    if lib.fribidi_get_par_embedding_levels_ex(types, brackets, n, ctypes.byref(direction), levels) == 0:
        raise ValueError("FriBidi could not resolve the line's directions")
    return list(levels)


def mirrored(c: str) -> str:
    """The character drawn for `c` in right-to-left text: `(` becomes `)`, and so on."""
    out = ctypes.c_uint32(0)
    return chr(out.value) if _fribidi().fribidi_get_mirror_char(ord(c), ctypes.byref(out)) else c


def visual_order(levels: list[int]) -> list[int]:
    """Indexes of runs at `levels` in the order they are drawn from the left (UAX #9 rule L2): from the
    highest level down to the lowest odd one, reverse every sequence of runs at that level or above."""
    order = list(range(len(levels)))
    if not levels:
        return order
    lowest_odd = min(levels) | 1
    for level in range(max(levels), lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


# --------------------------------------------------------------------------- HarfBuzz


@dataclass(frozen=True)
class Glyph:
    gid: int
    x: float  # where it is drawn, from the start of its run, in 1/1000 em
    y: float


@lru_cache(maxsize=16)
def _hb_font(path: str, index: int):
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(path), index)
    return hb.Font(face), face.upem


# Page text is compared with fields in the tests with kerning and optional ligatures off (the base font's
# one-glyph-per-character drawing has neither); required forms (Arabic joining, lam-alef) stay on.
_FEATURES = {"kern": False, "liga": False, "clig": False}


def shape(text: str, path: str, index: int, rtl: bool) -> tuple[list[Glyph], float]:
    """`text` shaped with the face at `path` in one direction: its glyphs left to right, and its advance."""
    import uharfbuzz as hb

    font, upem = _hb_font(path, index)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    hb.shape(font, buffer, _FEATURES)
    scale = 1000 / upem
    glyphs, x = [], 0.0
    for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions):
        glyphs.append(Glyph(info.codepoint, x + pos.x_offset * scale, pos.y_offset * scale))
        x += pos.x_advance * scale
    return glyphs, x
