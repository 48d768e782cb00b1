"""AcroForm: tidy the form fields WeasyPrint writes, and fill them in fast.

WeasyPrint (`pdf_forms=True`) turns every <input>/<textarea> into a real PDF
field, but the result needs three repairs before viewers and programs treat
it well, all done by `normalise`:

- **Names.** A dot in a PDF field name means hierarchy (ISO 32000-1
  §12.7.3.2: a partial name holds no period). We give fields dotted names
  (`rating.vital-signs`), so the flat list becomes a tree: a `rating` node
  with a `vital-signs` field. Inputs with the same name become one field
  with several widgets (the employee's name on the first page and in every
  page's footer is one value, typed once).
- **Radio buttons.** WeasyPrint lists each button as a field of its own, with
  the group's name again, and names the "on" states 0, 1, 2 … with an /Opt
  array. Here each rated line is one radio field whose states are the
  export values themselves (`/3`, `/na`, `/met`), which is what form tools
  and scripts expect to read and write. Checkboxes are on as `/Yes`.
- **Fonts.** WeasyPrint embeds the whole font (hundreds of KB) of every
  font used by a field. Text fields here use the viewer's standard
  Helvetica instead (`/Helv`, as Acrobat does), and the full font is
  dropped when no page text uses it. Helvetica has no Chinese, so values
  that need more than it has are drawn with Adobe's standard Simplified
  Chinese font, STSong-Light (not embedded: viewers supply it or a
  substitute, as they do for Helvetica), and the fields of a Chinese
  document type with it too.

`FilledTemplate` fills text fields of a normalised PDF by appending an
incremental update (ISO 32000-1 §7.5.6): the template's bytes unchanged,
then the changed field objects, their appearance streams and a new xref
section. Each changed dictionary is serialised once per template, with
markers where the new values go, so a fill only joins bytes: a few
milliseconds for a 29-page packet. A packet is laid out once per level and
personalised for thousands of employees.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject, BooleanObject, DecodedStreamObject, DictionaryObject, FloatObject, IndirectObject, NameObject,
    NumberObject, TextStringObject,
)

FIELD_FONT = "/Helv"
CJK_FONT = "/STSong"  # resource name of the Chinese font (see the module notes)
CHECKBOX_ON = "Yes"
_FF_RADIO = (1 << 14) | (1 << 15)  # NoToggleToOff | Radio
_FF_MULTILINE = 1 << 12
_TF = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+([\d.]+)\s+Tf")
_WIDGET_KEYS = ("/T", "/TU", "/FT", "/V", "/Ff", "/Opt", "/DV")


class FieldNameError(ValueError):
    """Two inputs whose names cannot live in one PDF (a name that is also a group, or two kinds)."""


@dataclass
class _Terminal:
    name: str
    kind: str  # "text" | "radio" | "checkbox"
    widgets: list = field(default_factory=list)  # IndirectObjects
    tooltip: str = ""
    flags: int = 0
    da: str = ""
    value: str = ""
    options: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- normalise


def normalise(data: bytes) -> bytes:
    """Return the PDF with its fields made into a clean, named hierarchy (see the module notes)."""
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header  # keep WeasyPrint's version (1.7), not pypdf's default 1.3
    root = writer._root_object
    acro_ref = root.get("/AcroForm")
    if acro_ref is None:
        return _write(writer)
    acro = acro_ref.get_object()

    helv = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    }))
    fonts = DictionaryObject({NameObject(FIELD_FONT): helv, NameObject(CJK_FONT): _cjk_font(writer)})
    typing_font = CJK_FONT if str(root.get("/Lang", "")).lower().startswith("zh") else FIELD_FONT
    terminals, form_fonts = _collect(writer, typing_font)
    fields = _build_tree(writer, terminals, typing_font)

    for term in terminals.values():
        if term.kind == "text" and term.value:
            for widget in term.widgets:
                set_text_appearance(writer, widget.get_object(), term.value, fonts, _font_size(term.da))

    acro[NameObject("/Fields")] = ArrayObject(fields)
    acro[NameObject("/DR")] = DictionaryObject({NameObject("/Font"): fonts})
    acro[NameObject("/DA")] = TextStringObject(f"{typing_font} 0 Tf 0 g")
    # Every filled field has an appearance made here. Viewers that redraw them all on opening (poppler)
    # garble the Chinese font's codes, so a Chinese document asks them not to; typing still redraws a field.
    acro[NameObject("/NeedAppearances")] = BooleanObject(typing_font == FIELD_FONT)
    _drop_unused_fonts(writer, form_fonts)
    return _write(writer)


def _write(writer: PdfWriter) -> bytes:
    writer.compress_identical_objects()  # merges duplicate objects (the radio buttons' dots …)
    _sweep(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _sweep(writer: PdfWriter) -> None:
    """Drop every object the document no longer reaches (replaced fields, the fonts dropped above)."""
    reachable: set[int] = set()
    stack = [writer._root_object]
    if writer._info is not None:
        stack.append(writer._info.get_object())
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in reachable:
                continue
            reachable.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # includes streams
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    for ref in (writer._root_object.indirect_reference, getattr(writer._info, "indirect_reference", None)):
        if ref is not None:
            reachable.add(ref.idnum)
    for index in range(len(writer._objects)):
        if index + 1 not in reachable:
            writer._objects[index] = None


def _cjk_font(writer: PdfWriter) -> IndirectObject:
    """STSong-Light with Unicode (UCS-2) codes: one of the fonts PDF viewers provide for Chinese."""
    descriptor = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/FontDescriptor"), NameObject("/FontName"): NameObject("/STSong-Light"),
        NameObject("/Flags"): NumberObject(6), NameObject("/ItalicAngle"): NumberObject(0),
        NameObject("/FontBBox"): ArrayObject([NumberObject(v) for v in (-25, -254, 1000, 880)]),
        NameObject("/Ascent"): NumberObject(880), NameObject("/Descent"): NumberObject(-120),
        NameObject("/CapHeight"): NumberObject(880), NameObject("/StemV"): NumberObject(93),
    }))
    cid_font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/CIDFontType0"),
        NameObject("/BaseFont"): NameObject("/STSong-Light"), NameObject("/FontDescriptor"): descriptor,
        NameObject("/CIDSystemInfo"): DictionaryObject({
            NameObject("/Registry"): TextStringObject("Adobe"), NameObject("/Ordering"): TextStringObject("GB1"),
            NameObject("/Supplement"): NumberObject(4)}),
        NameObject("/DW"): NumberObject(1000),
        NameObject("/W"): ArrayObject([NumberObject(1), NumberObject(95), NumberObject(500)]),  # ASCII: half width
    }))
    return writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type0"),
        NameObject("/BaseFont"): NameObject("/STSong-Light-UniGB-UCS2-H"),
        NameObject("/Encoding"): NameObject("/UniGB-UCS2-H"), NameObject("/DescendantFonts"): ArrayObject([cid_font]),
    }))


def _collect(writer: PdfWriter, typing_font: str = FIELD_FONT) -> tuple[dict[str, _Terminal], set[str]]:
    """Every widget on every page, grouped by field name, in reading order."""
    terminals: dict[str, _Terminal] = {}
    form_fonts: set[str] = set()
    for page in writer.pages:
        for ref in page.get("/Annots", []) or []:
            widget = ref.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            _normalise_rect(widget)
            parent = widget.get("/Parent")
            if parent is not None:  # one button of a WeasyPrint radio group
                group = parent.get_object()
                name, kind = str(group["/T"]), "radio"
                tooltip = str(group.get("/TU", ""))
                value = _rename_radio_state(widget, [str(o) for o in group.get("/Opt", [])])
            else:
                name = str(widget["/T"])
                kind = "text" if widget.get("/FT") == "/Tx" else "checkbox"
                tooltip = str(widget.get("/TU", ""))
                value = None
                if kind == "checkbox":
                    _rename_checkbox_state(widget)
            term = terminals.get(name)
            if term is None:
                term = terminals[name] = _Terminal(name, kind, tooltip=tooltip)
                if kind == "text":
                    term.flags = int(widget.get("/Ff", 0))
                    term.value = str(widget.get("/V", ""))
            elif term.kind != kind:
                raise FieldNameError(f"`{name}` is used for a {term.kind} field and a {kind} field")
            if kind == "radio" and value is not None:
                term.options.append(value)
            if kind == "text":
                da = widget.get("/DA")
                if da is not None:
                    found = _TF.search(str(da).encode("latin-1", "replace"))
                    if found:
                        form_fonts.add(found.group(1).decode("latin-1"))
                    term.da = f"{typing_font} {_font_size(str(da)):g} Tf 0 g"
                    widget[NameObject("/DA")] = TextStringObject(term.da)
            term.widgets.append(ref if isinstance(ref, IndirectObject) else writer._add_object(widget))
    return terminals, form_fonts


def _font_size(da: str) -> float:
    found = _TF.search(da.encode("latin-1", "replace"))
    return float(found.group(2)) if found else 0.0


def _normalise_rect(widget: DictionaryObject) -> None:
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    widget[NameObject("/Rect")] = ArrayObject(
        [FloatObject(round(v, 3)) for v in (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))])


def _rename_radio_state(widget: DictionaryObject, options: list[str]) -> str | None:
    """Name the button's "on" appearance after its export value instead of its index."""
    normal = widget["/AP"]["/N"]
    keys = [k for k in normal if k != "/Off"]
    if not keys:
        return None
    key = keys[0]
    index = int(key[1:]) if key[1:].isdigit() else None
    value = options[index] if index is not None and index < len(options) else key[1:]
    new = NameObject("/" + value)
    stream = normal.raw_get(key)  # the reference: a stream must stay an indirect object
    del normal[key]
    normal[new] = stream
    widget[NameObject("/AS")] = new if widget.get("/AS") == key else NameObject("/Off")
    return value


def _rename_checkbox_state(widget: DictionaryObject) -> None:
    normal = widget["/AP"]["/N"]
    for key in [k for k in normal if k != "/Off"]:
        normal[NameObject("/" + CHECKBOX_ON)] = normal.raw_get(key)
        del normal[key]
    on = widget.get("/AS") not in (None, "/Off")
    widget[NameObject("/AS")] = NameObject("/" + CHECKBOX_ON if on else "/Off")
    widget[NameObject("/V")] = widget["/AS"]


def _build_tree(writer: PdfWriter, terminals: dict[str, _Terminal], typing_font: str = FIELD_FONT
                ) -> list[IndirectObject]:
    """Turn dotted names into a field tree; returns the top-level fields in reading order."""
    nodes: dict[tuple[str, ...], IndirectObject] = {}
    top: list[IndirectObject] = []
    names = set(terminals)
    for name in terminals:
        parts = tuple(name.split("."))
        for i in range(1, len(parts)):
            if ".".join(parts[:i]) in names:
                raise FieldNameError(f"`{'.'.join(parts[:i])}` is a field and also the group of `{name}`")
        if any(not p for p in parts):
            raise FieldNameError(f"`{name}` has an empty part")

    def node(path: tuple[str, ...]) -> IndirectObject | None:
        if not path:
            return None
        if path not in nodes:
            parent = node(path[:-1])
            obj = DictionaryObject({NameObject("/T"): TextStringObject(path[-1]), NameObject("/Kids"): ArrayObject()})
            ref = writer._add_object(obj)
            if parent is None:
                top.append(ref)
            else:
                obj[NameObject("/Parent")] = parent
                parent.get_object()["/Kids"].append(ref)
            nodes[path] = ref
        return nodes[path]

    for term in terminals.values():
        parts = term.name.split(".")
        parent = node(tuple(parts[:-1]))
        if term.kind != "radio" and len(term.widgets) == 1:
            ref = term.widgets[0]
            obj = ref.get_object()
            obj[NameObject("/T")] = TextStringObject(parts[-1])
        else:
            obj = DictionaryObject({NameObject("/T"): TextStringObject(parts[-1]), NameObject("/Kids"): ArrayObject()})
            ref = writer._add_object(obj)
            for widget_ref in term.widgets:
                widget = widget_ref.get_object()
                for key in _WIDGET_KEYS:
                    if key in widget:
                        del widget[key]
                widget[NameObject("/Parent")] = ref
                obj["/Kids"].append(widget_ref)
        if term.tooltip and term.tooltip != term.name:
            obj[NameObject("/TU")] = TextStringObject(term.tooltip)
        elif "/TU" in obj:
            del obj["/TU"]
        if term.kind == "text":
            obj[NameObject("/FT")] = NameObject("/Tx")
            obj[NameObject("/V")] = TextStringObject(term.value)
            obj[NameObject("/DA")] = TextStringObject(term.da or f"{typing_font} 0 Tf 0 g")
            if term.flags:
                obj[NameObject("/Ff")] = NumberObject(term.flags)
        elif term.kind == "radio":
            obj[NameObject("/FT")] = NameObject("/Btn")
            obj[NameObject("/Ff")] = NumberObject(_FF_RADIO)
            obj[NameObject("/V")] = NameObject("/Off")
        else:
            obj[NameObject("/FT")] = NameObject("/Btn")
            obj[NameObject("/V")] = NameObject("/Off")
        if "/Parent" in obj and parent is None:
            del obj["/Parent"]
        if parent is None:
            top.append(ref)
        else:
            obj[NameObject("/Parent")] = parent
            parent.get_object()["/Kids"].append(ref)
    return top


def _drop_unused_fonts(writer: PdfWriter, keys: set[str]) -> None:
    """Remove fonts WeasyPrint embedded whole for the fields, unless page text uses them too."""
    if not keys:
        return
    used: set[str] = set()
    seen: set[int] = set()

    def scan(data: bytes) -> None:
        for found in _TF.finditer(data):
            used.add(found.group(1).decode("latin-1"))

    def scan_resources(resources) -> None:
        xobjects = resources.get("/XObject") if resources else None
        for ref in (xobjects.get_object().values() if xobjects else []):
            if isinstance(ref, IndirectObject):
                if ref.idnum in seen:
                    continue
                seen.add(ref.idnum)
            xobj = ref.get_object()
            if xobj.get("/Subtype") == "/Form":
                scan(xobj.get_data())
                scan_resources(xobj.get("/Resources", {}) and xobj["/Resources"].get_object())

    for page in writer.pages:
        contents = page.get_contents()
        if contents is not None:
            scan(contents.get_data())
        resources = page.get("/Resources")
        if resources is not None:
            scan_resources(resources.get_object())
    for page in writer.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        if fonts is None:
            continue
        fonts = fonts.get_object()
        for key in keys - used:
            if "/" + key in fonts:
                del fonts["/" + key]


# --------------------------------------------------------------------------- appearances


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _cjk_string(text: str) -> bytes:
    """UCS-2 (big-endian) hex string for the Chinese font; characters beyond the BMP become `?`."""
    bmp = "".join(c if ord(c) <= 0xFFFF else "?" for c in text)
    return b"<" + bmp.encode("utf-16-be").hex().upper().encode() + b">"


def _needs_cjk(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return True
    return False


def text_appearance(value: str, width: float, height: float, size: float) -> bytes:
    """Content of a text field's appearance: the value in Helvetica (or the Chinese font), clipped to the box."""
    size = size or min(10.0, max(6.0, height * 0.7))
    lines = value.splitlines() or [""]
    if len(lines) == 1 and height < size * 2.2:
        y = max(1.0, (height - size * 0.72) / 2)
        steps = [(2.0, y, lines[0])]
    else:
        steps = [(2.0, height - 2 - size * (i + 1) * 1.15 + size * 0.2, line) for i, line in enumerate(lines)]
    font, encode = (CJK_FONT, _cjk_string) if _needs_cjk(value) else (FIELD_FONT, _pdf_string)
    body = b"".join(b"BT %s %g Tf 0 g %.2f %.2f Td %s Tj ET\n" % (font.encode(), size, x, y, encode(t))
                    for x, y, t in steps)
    return (b"/Tx BMC\nq\n1 1 %.2f %.2f re W n\n" % (max(0.0, width - 2), max(0.0, height - 2)) + body + b"Q\nEMC")


def set_text_appearance(writer: PdfWriter, widget: DictionaryObject, value: str, fonts: DictionaryObject,
                        size: float) -> None:
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    width, height = abs(x2 - x1), abs(y2 - y1)
    stream = DecodedStreamObject()
    stream.set_data(text_appearance(value, width, height, size))
    stream.update({
        NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(round(width, 3)),
                                          FloatObject(round(height, 3))]),
        NameObject("/Resources"): DictionaryObject({NameObject("/Font"): fonts}),
    })
    widget[NameObject("/AP")] = DictionaryObject({NameObject("/N"): writer._add_object(stream)})


# --------------------------------------------------------------------------- reading fields back


def field_values(reader: PdfReader) -> dict[str, str]:
    """Fully qualified field name → value: '' when empty; a button's export value without the slash."""
    out = {}
    for name, fld in (reader.get_fields() or {}).items():
        kind = fld.get("/FT")
        if kind is None:
            continue  # a group node of the name hierarchy
        value = fld.get("/V")
        text = "" if value is None else str(value)
        if kind == "/Btn":  # some writers store a button's name as a string ("/3"); read both
            text = "" if text in ("/Off", "Off") else text.lstrip("/")
        out[name] = text
    return out


# --------------------------------------------------------------------------- filling by incremental update


@dataclass(frozen=True)
class _Widget:
    number: int
    width: float
    height: float


@dataclass(frozen=True)
class _TextField:
    number: int  # the field's object (may be the widget itself)
    widgets: tuple[_Widget, ...]
    size: float


class FilledTemplate:
    """A normalised PDF whose text fields can be filled quickly, many times.

    `fill(values)` returns the template's bytes followed by an incremental
    update that sets the fields' values and appearances; the template is
    parsed once. Unknown names are ignored (not every form has every field).
    """

    def __init__(self, data: bytes):
        self.data = data if data.endswith(b"\n") else data + b"\n"
        reader = PdfReader(io.BytesIO(data))
        self._reader = reader
        tail = data[-64:]
        found = re.search(rb"startxref\s+(\d+)", tail)
        if not found:
            raise ValueError("not a PDF this module wrote: no startxref at the end")
        self._prev = int(found.group(1))
        trailer = reader.trailer
        self._size = int(trailer["/Size"])
        self._root = trailer.raw_get("/Root").idnum
        info = trailer.raw_get("/Info") if "/Info" in trailer else None
        self._info = info.idnum if isinstance(info, IndirectObject) else None
        acro = reader.trailer["/Root"].get("/AcroForm")
        self.fields: dict[str, _TextField] = {}
        self._slotted: dict[tuple[int, tuple[str, ...]], list[bytes]] = {}
        self._font = None
        if acro is None:
            return
        acro = acro.get_object()
        font = acro.get("/DR", {}).get("/Font", {})
        font_ref = font.raw_get(FIELD_FONT) if FIELD_FONT in font else None
        self._font = font_ref.idnum if isinstance(font_ref, IndirectObject) else None
        cjk_ref = font.raw_get(CJK_FONT) if CJK_FONT in font else None
        # The appearances' font resources: Helvetica, and the Chinese font when the template has one.
        self._font_resources = b"%s %d 0 R" % (FIELD_FONT.encode(), self._font or 0) + (
            b" %s %d 0 R" % (CJK_FONT.encode(), cjk_ref.idnum) if isinstance(cjk_ref, IndirectObject) else b"")
        for ref in acro.get("/Fields", []):
            self._walk(ref, "")

    def _walk(self, ref: IndirectObject, prefix: str) -> None:
        obj = ref.get_object()
        name = prefix + str(obj.get("/T", ""))
        kids = obj.get("/Kids")
        if obj.get("/FT") == "/Tx":
            widgets = [k for k in kids] if kids else [ref]
            self.fields[name] = _TextField(
                ref.idnum, tuple(self._widget(w) for w in widgets), _font_size(str(obj.get("/DA", ""))))
        elif kids and "/FT" not in obj:
            for kid in kids:
                self._walk(kid, name + ".")

    @staticmethod
    def _widget(ref: IndirectObject) -> _Widget:
        x1, y1, x2, y2 = (float(v) for v in ref.get_object()["/Rect"])
        return _Widget(ref.idnum, abs(x2 - x1), abs(y2 - y1))

    def fill(self, values: dict[str, str], title: str | None = None, info: dict[str, str] | None = None) -> bytes:
        """The template with these text fields filled (and, if given, a new document title and more
        document information entries, such as the employee's id: forms/identity.py)."""
        changed: dict[int, dict[str, bytes]] = {}  # object number → {key: its new value, serialised}
        bodies: list[tuple[int, bytes]] = []
        entries = {**({"Title": title} if title else {}), **{k: v for k, v in (info or {}).items() if v}}
        if entries and self._info is not None:
            document_info = DictionaryObject(self._reader.get_object(self._info))
            for key, value in entries.items():
                document_info[NameObject("/" + key)] = TextStringObject(value)
            bodies.append((self._info, _serialise(document_info)))
        number = self._size
        for name in sorted(values):
            text = values[name]
            fld = self.fields.get(name)
            if fld is None or not text or self._font is None:
                continue
            changed.setdefault(fld.number, {})["/V"] = _serialise(TextStringObject(text))
            shared: dict[tuple[float, float], bytes] = {}  # widget size → its appearance dictionary
            for widget in fld.widgets:
                key = (round(widget.width, 2), round(widget.height, 2))
                if key not in shared:
                    content = text_appearance(text, widget.width, widget.height, fld.size)
                    stream = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 %.3f %.3f] /Resources << /Font << %s"
                              b" >> >> /Length %d >>\nstream\n" % (widget.width, widget.height, self._font_resources,
                                                                  len(content))
                              + content + b"\nendstream")
                    bodies.append((number, stream))
                    shared[key] = _appearance_dict(number)
                    number += 1
                changed.setdefault(widget.number, {})["/AP"] = shared[key]
        if not bodies:
            return self.data
        bodies += [(num, self._patched(num, slots)) for num, slots in changed.items()]
        return self._append(sorted(bodies), number)

    def _patched(self, number: int, slots: dict[str, bytes]) -> bytes:
        """Object `number` serialised with new values for the keys in `slots` (/V, /AP).

        Serialising dozens of field and widget dictionaries with pypdf was nine tenths of a fill (the
        employee's name has a widget in every page's footer), so each is serialised once per template,
        with markers where the values go, and a fill only joins bytes."""
        keys = tuple(slots)
        pieces = self._slotted.get((number, keys))
        if pieces is None:
            obj = DictionaryObject(self._reader.get_object(number))
            for key in keys:  # assigned in the order a fill assigns them: new keys go last, in that order
                obj[NameObject(key)] = NameObject(_SLOT + key[1:])
            pieces = self._slotted[(number, keys)] = re.split(rb"(" + _SLOT.encode() + rb"(?:V|AP))\b", _serialise(obj))
        return b"".join(slots["/" + piece[len(_SLOT):].decode()] if piece.startswith(_SLOT.encode()) else piece
                        for piece in pieces)

    def _append(self, bodies: list[tuple[int, bytes]], size: int) -> bytes:
        out = io.BytesIO()
        out.write(self.data)
        offsets = {}
        for num, body in bodies:
            offsets[num] = out.tell()
            out.write(b"%d 0 obj\n%s\nendobj\n" % (num, body))
        xref = out.tell()
        out.write(b"xref\n")
        nums = sorted(offsets)
        start = 0
        while start < len(nums):
            end = start
            while end + 1 < len(nums) and nums[end + 1] == nums[end] + 1:
                end += 1
            out.write(b"%d %d\n" % (nums[start], end - start + 1))
            for n in nums[start:end + 1]:
                out.write(b"%010d 00000 n \n" % offsets[n])
            start = end + 1
        info = b" /Info %d 0 R" % self._info if self._info is not None else b""
        out.write(b"trailer\n<< /Size %d /Root %d 0 R%s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
                  % (size, self._root, info, self._prev, xref))
        return out.getvalue()


_SLOT = "/LadderbuildSlot"  # marks where a value goes in a pre-serialised object (see _patched)


def _appearance_dict(number: int) -> bytes:
    return _serialise(DictionaryObject({NameObject("/N"): _Ref(number)}))


class _Ref(IndirectObject):
    """A reference to an object of the update (not known to any reader)."""

    def __init__(self, idnum: int):
        super().__init__(idnum, 0, None)  # type: ignore[arg-type]

    def write_to_stream(self, stream, encryption_key=None) -> None:
        stream.write(b"%d 0 R" % self.idnum)


def _serialise(obj: DictionaryObject) -> bytes:
    out = io.BytesIO()
    obj.write_to_stream(out)
    return out.getvalue()
