"""Fonts for the form fields' appearances: subsets of installed fonts, embedded in the PDF.

A viewer draws a field from the appearance stream the PDF carries. That
stream's font must be embedded: a font the PDF only names (Helvetica,
STSong-Light) is whatever the viewer substitutes — poppler without its
language pack draws Chinese as nothing, and neither has Vietnamese letters.
So every field value is drawn here with glyphs taken from the installed fonts
(the faces fontconfig falls back to from the forms' own face, as WeasyPrint
does for the page text) and embedded as TrueType subsets (fontTools).

Two kinds of subset keep this cheap when a packet is filled for thousands of
employees (acroform.FilledTemplate):

- **The base font**, embedded once in every form: the forms' face for Latin
  (with Vietnamese), Greek and Cyrillic, about 45 KB. Viewers type with it
  too (it is the font of the fields' /DA). Almost every name needs nothing else.
- **Chunks**: any other character is drawn from the first face that has it,
  from a subset of that face covering its block of 256 code points (about
  20 KB of Chinese). A chunk is made once per process and reused for every
  value that needs it, so per-fill font work is joining bytes. An English
  form carries no CJK font; a Chinese name adds the chunks its characters are in.

Glyphs are drawn one per character (after NFC normalisation), with the
font's advance widths: right for Latin, Greek, Cyrillic, Vietnamese and CJK.
A line holding right-to-left text or letters that join (Hebrew, Arabic) is
laid out by shaping.py instead (FriBidi and HarfBuzz, as Pango lays out the
page text), from a third kind of subset: a block of a face with every glyph
its layout tables reach, at the face's own glyph ids (`shaped_line`).
"""

from __future__ import annotations

import io
import hashlib
import shutil
import subprocess
import unicodedata
import zlib
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .. import fonts as installed
from . import shaping

FAMILY = "Liberation Sans"  # the forms' face (forms.css); fontconfig's own fallbacks follow it
BASE_RANGES = ((0x20, 0x24F), (0x370, 0x3FF), (0x400, 0x52F), (0x1E00, 0x1EFF), (0x2000, 0x206F),
               (0x20A0, 0x20BF), (0x2100, 0x214F))
CHUNK = 256  # code points per chunk font
BASE_KEY = "LbBase"  # resource name of the base font in /DR and in every appearance


class UnprintableText(ValueError):
    """A value with characters that no installed font has."""

    def __init__(self, characters: str):
        self.characters = characters
        super().__init__(f"no installed font has {installed.describe(characters)}")


@dataclass(frozen=True)
class Face:
    """One installed font file (a face of a collection: `index`) and the code points it has."""

    path: str
    index: int
    charset: frozenset[int] = field(compare=False, hash=False, repr=False)


@lru_cache(maxsize=1)
def faces() -> tuple[Face, ...]:
    """The installed faces in fontconfig's fallback order for the forms' face (regular weight)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return ()
    result = subprocess.run([fc_match, "--sort", "--format", "%{file}|%{index}|%{charset}\n",
                             f"{FAMILY}:weight=regular:slant=roman:width=normal"],
                            capture_output=True, text=True, check=False)
    out = []
    for line in result.stdout.splitlines():
        path, _, rest = line.partition("|")
        index, _, charset = rest.partition("|")
        if path.lower().endswith((".ttf", ".ttc", ".otf")) and index.isdigit():
            out.append(Face(path, int(index), frozenset(installed._parse_charset(charset))))
    return tuple(out)


# --------------------------------------------------------------------------- subsets


@dataclass(frozen=True)
class Subset:
    """An embedded font: a subset of a face, with the glyph id (its CID) and advance of each character."""

    key: str  # resource name in appearance streams
    name: str  # /BaseFont: a tag and the face's PostScript name
    glyphs: dict[int, int]  # code point → glyph id in the subset (= CID, Identity-H)
    widths: dict[int, float]  # glyph id → advance in 1/1000 em
    ascent: float  # 1/1000 em
    descent: float  # negative
    bbox: tuple[int, int, int, int]
    cap_height: float
    program: bytes = b""  # the TrueType subset ("" when read from a PDF that already holds it)
    # A subset for shaping (shaping.py): the installed face it keeps the glyph ids of, (path, index);
    # HarfBuzz shapes with that face and its glyph ids are drawn from this subset as they are.
    source: tuple[str, int] | None = None

    def __hash__(self) -> int:
        return hash(self.key)

    def encode(self, text: str) -> bytes:
        return b"<" + "".join(f"{self.glyphs[ord(c)]:04X}" for c in text).encode() + b">"

    def advance(self, text: str) -> float:
        """Width of `text` in 1/1000 of the font size."""
        return sum(self.widths.get(self.glyphs[ord(c)], 0.0) for c in text)


def _options(for_shaping: bool = False):
    from fontTools import subset

    options = subset.Options()
    options.hinting = False  # viewers hint themselves; halves the size
    options.name_IDs = [1, 2, 3, 4, 6]
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.drop_tables += ["kern", "FFTM", "DSIG"]
    if for_shaping:
        # Every form shaping may pick (joining forms, ligatures, marks) at the installed face's glyph ids,
        # which are the ids HarfBuzz gives.
        options.layout_features = ["*"]
        options.retain_gids = True
    else:
        options.layout_features = []  # glyphs are drawn one per character: no shaping tables needed
        options.drop_tables += ["GSUB", "GPOS", "GDEF"]
    return options


@lru_cache(maxsize=256)
def make_subset(face: Face, codepoints: frozenset[int], key: str | None = None, for_shaping: bool = False) -> Subset:
    """A subset of `face` with the glyphs of `codepoints` (those it has), made once per process; with
    `for_shaping`, also every glyph its layout tables reach, at the face's own glyph ids."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(face.path, fontNumber=face.index, lazy=False, recalcTimestamp=False)
    subsetter = subset.Subsetter(_options(for_shaping))
    subsetter.populate(unicodes=sorted(codepoints & face.charset))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    program = buffer.getvalue()
    digest = hashlib.sha256(program).digest()
    tag = "".join(chr(65 + b % 26) for b in digest[:6])
    kept = subsetter.glyphs_retained if for_shaping else None
    described = _describe(font, program, key or "Lb" + tag, tag, kept)
    return replace(described, source=(face.path, face.index)) if for_shaping else described


def _describe(font, program: bytes, key: str, tag: str, kept: set[str] | None = None) -> Subset:
    """The Subset of a loaded TrueType font (fontTools TTFont); `kept`, the glyphs a shaping subset
    retained (the others are empty placeholders that keep the ids in place)."""
    units = font["head"].unitsPerEm
    scale = 1000 / units
    order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    cmap = font.getBestCmap() or {}
    glyphs = {cp: order[name] for cp, name in cmap.items() if name in order}
    widths = {order[name]: round(advance * scale, 1) for name, (advance, _lsb) in font["hmtx"].metrics.items()
              if name in order and (kept is None or name in kept)}
    head, hhea = font["head"], font["hhea"]
    os2 = font["OS/2"] if "OS/2" in font else None
    ps_name = (font["name"].getDebugName(6) or "Font").replace(" ", "")
    return Subset(
        key=key, name=f"{tag}+{ps_name}", glyphs=glyphs, widths=widths,
        ascent=round(hhea.ascent * scale), descent=round(hhea.descent * scale),
        bbox=tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
        cap_height=round((getattr(os2, "sCapHeight", 0) or hhea.ascent * 0.7) * scale), program=program)


def read_subset(program: bytes, key: str) -> Subset:
    """The Subset of a font program already embedded in a PDF (a template's base font)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(program), lazy=True)
    return _describe(font, b"", key, "")


def base_font() -> Subset:
    """The font every form embeds and types with (see the module notes)."""
    wanted = frozenset(cp for low, high in BASE_RANGES for cp in range(low, high + 1))
    all_faces = faces()
    if not all_faces:
        raise UnprintableText("A")  # no fontconfig: nothing can be drawn
    return make_subset(all_faces[0], wanted, BASE_KEY)


def _chunk(cp: int) -> Subset | None:
    for face in faces():
        if cp in face.charset:
            start = cp - cp % CHUNK
            return make_subset(face, frozenset(c for c in range(start, start + CHUNK) if c in face.charset))
    return None


def _shaping_chunk(cp: int) -> Subset | None:
    """The shaping subset (see make_subset) for a character that needs shaping (shaping.py): its block of
    the first face that has it, with the block's compatibility forms (Arabic presentation forms) so the
    glyphs shaping picks map back to letters when text is copied from a printed or flattened form."""
    for face in faces():
        if cp in face.charset:
            return _shaping_block(face, cp - cp % CHUNK)
    return None


@lru_cache(maxsize=32)
def _shaping_block(face: Face, start: int) -> Subset:
    block = range(start, start + CHUNK)
    forms = {c for c in face.charset if c not in block and
             (text := unicodedata.normalize("NFKC", chr(c))) != chr(c) and all(ord(t) in block for t in text)}
    # A space between two shaped words is the shaping face's, as in Pango, and a joiner is part of the run
    # it joins or parts (see shaped_line).
    between = {0x20, 0xA0, *map(ord, JOINERS)}
    return make_subset(face, frozenset(c for c in block if c in face.charset) | frozenset(forms) | between,
                       for_shaping=True)


# --------------------------------------------------------------------------- text → runs of one font


JOINERS = "\u200c\u200d"  # zero-width non-joiner and joiner: they tell shaping to join letters or not


def drawn(text: str) -> str:
    """The text as it is drawn: NFC (a precomposed letter where one exists), without control characters
    (but with the joiners in text that is shaped, where they decide a letter's form)."""
    keep = "\n" + (JOINERS if shaping.line_needs_shaping(text) else "")
    return "".join(c for c in unicodedata.normalize("NFC", text)
                   if c in keep or unicodedata.category(c) not in ("Cc", "Cf"))


def missing(text: str, base: Subset | None = None) -> str:
    """The characters of `text` that no installed font has, in code-point order."""
    base = base or base_font()
    out = set()
    for c in drawn(text):
        if c in "\n\t" or ord(c) in base.glyphs:
            continue
        if _chunk(ord(c)) is None:
            out.add(c)
    return "".join(sorted(out))


def runs(text: str, base: Subset) -> list[tuple[Subset, str]]:
    """`text` split into runs drawn with one font each: the base font where it has the glyph."""
    out: list[tuple[Subset, str]] = []
    missing_chars = []
    for c in text:
        cp = ord(c)
        if c == "\t":
            c, cp = " ", 0x20
        font = base if cp in base.glyphs else _chunk(cp)
        if font is None or cp not in font.glyphs:
            missing_chars.append(c)
            continue
        if out and out[-1][0] is font:
            out[-1] = (font, out[-1][1] + c)
        else:
            out.append((font, c))
    if missing_chars:
        raise UnprintableText("".join(sorted(set(missing_chars))))
    return out


@dataclass(frozen=True)
class Placed:
    """A glyph of a shaped line: the font it is drawn from, its id, and where, in 1/1000 em from the
    line's start and baseline."""

    font: Subset
    gid: int
    x: float
    y: float


@lru_cache(maxsize=1024)
def shaped_line(line: str, base: Subset) -> tuple[tuple[Placed, ...], float]:
    """A line with characters that need shaping (shaping.line_needs_shaping), laid out: its glyphs from
    the left, and its width in 1/1000 em. The line is split into runs of one embedding level and one
    font; runs the base font does not draw are shaped by HarfBuzz, the base font's drawn a glyph per
    character (mirrored and reversed in right-to-left runs); the runs are then put in visual order.
    Cached: a line is measured to fit its box and then drawn, and a manager's name is on every packet."""
    pieces: list[list] = []  # [level, font, text] in logical order
    missing_chars = []
    for c, level in zip(line, shaping.embedding_levels(line)):
        cp = ord(" " if c == "\t" else c)
        if (c.isspace() or c in JOINERS) and pieces and cp in pieces[-1][1].glyphs:
            font = pieces[-1][1]  # a space keeps the font before it (Pango does the same): one run, one face
        elif cp in base.glyphs and not shaping.needs_shaping(c):
            font = base
        else:  # every other letter of the line is shaped: a Devanagari consonant with the vowel sign after it
            font = _shaping_chunk(cp)
        if font is None or cp not in font.glyphs:
            missing_chars.append(c)
        elif pieces and pieces[-1][0] == level and pieces[-1][1] is font:
            pieces[-1][2] += chr(cp)
        else:
            pieces.append([level, font, chr(cp)])
    if missing_chars:
        raise UnprintableText("".join(sorted(set(missing_chars))))
    placed: list[Placed] = []
    x = 0.0
    for index in shaping.visual_order([level for level, _font, _text in pieces]):
        level, font, text = pieces[index]
        rtl = level % 2 == 1
        if font.source is not None:
            glyphs, advance = shaping.shape(text, *font.source, rtl=rtl)
            placed += [Placed(font, g.gid, x + g.x, g.y) for g in glyphs]
        else:
            advance = 0.0
            for c in (reversed(text) if rtl else text):
                shown = shaping.mirrored(c) if rtl else c
                gid = font.glyphs.get(ord(shown), font.glyphs[ord(c)])  # a mirror the font lacks: c itself
                placed.append(Placed(font, gid, x + advance, 0.0))
                advance += font.widths.get(gid, 0.0)
        x += advance
    return tuple(placed), x


# --------------------------------------------------------------------------- PDF objects


def font_objects(font: Subset, ref) -> list:
    """The five PDF objects of an embedded font, as pypdf objects; `ref(i)` is a reference to the i-th.

    0 Type0 font · 1 CIDFontType2 · 2 FontDescriptor · 3 FontFile2 · 4 ToUnicode CMap.
    """
    from pypdf.generic import (
        ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject, StreamObject, TextStringObject,
    )

    def name(value: str) -> NameObject:
        return NameObject("/" + value)

    widths = ArrayObject()
    # A shaping subset draws glyphs no character maps to (joining forms): every glyph it kept has its width.
    for gid in sorted(set(font.glyphs.values()) | (set(font.widths) if font.source is not None else set())):
        widths.extend([NumberObject(gid), ArrayObject([FloatObject(font.widths.get(gid, 0))])])
    type0 = DictionaryObject({
        name("Type"): name("Font"), name("Subtype"): name("Type0"), name("BaseFont"): name(font.name),
        name("Encoding"): name("Identity-H"), name("DescendantFonts"): ArrayObject([ref(1)]),
        name("ToUnicode"): ref(4)})
    cid = DictionaryObject({
        name("Type"): name("Font"), name("Subtype"): name("CIDFontType2"), name("BaseFont"): name(font.name),
        name("CIDSystemInfo"): DictionaryObject({
            name("Registry"): TextStringObject("Adobe"), name("Ordering"): TextStringObject("Identity"),
            name("Supplement"): NumberObject(0)}),
        name("FontDescriptor"): ref(2), name("DW"): NumberObject(1000), name("W"): widths,
        name("CIDToGIDMap"): name("Identity")})
    descriptor = DictionaryObject({
        name("Type"): name("FontDescriptor"), name("FontName"): name(font.name), name("Flags"): NumberObject(32),
        name("FontBBox"): ArrayObject([NumberObject(v) for v in font.bbox]), name("ItalicAngle"): NumberObject(0),
        name("Ascent"): NumberObject(font.ascent), name("Descent"): NumberObject(font.descent),
        name("CapHeight"): NumberObject(font.cap_height), name("StemV"): NumberObject(80),
        name("FontFile2"): ref(3)})
    program = StreamObject()
    program._data = zlib.compress(font.program, 9)
    program.update({name("Filter"): name("FlateDecode"), name("Length1"): NumberObject(len(font.program))})
    cmap = StreamObject()
    cmap._data = zlib.compress(to_unicode(font), 9)
    cmap[name("Filter")] = name("FlateDecode")
    return [type0, cid, descriptor, program, cmap]


def to_unicode(font: Subset) -> bytes:
    """The ToUnicode CMap: glyph id → character, so text copied from a field reads as it was typed."""
    pairs = sorted({gid: cp for cp, gid in sorted(font.glyphs.items(), reverse=True)}.items())
    lines = [b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
             b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
             b"1 begincodespacerange <0000> <FFFF> endcodespacerange"]
    for start in range(0, len(pairs), 100):
        block = pairs[start:start + 100]
        lines.append(b"%d beginbfchar" % len(block))
        lines += [b"<%04X> <%s>" % (gid, chr(cp).encode("utf-16-be").hex().upper().encode()) for gid, cp in block]
        lines.append(b"endbfchar")
    lines += [b"endcmap CMapName currentdict /CMap defineresource pop end end"]
    return b"\n".join(lines)
