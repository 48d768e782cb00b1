"""AcroForm: tidy the form fields WeasyPrint writes, draw them, and fill them in fast.

WeasyPrint (`pdf_forms=True`) turns every <input>/<textarea> into a real PDF
field, but the result needs repairs before viewers and programs treat it
well, all done by `normalise`:

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
  and scripts expect to read and write. Checkboxes are on as `/Yes`. Each
  button keeps its own tooltip (the option it stands for).
- **Appearances.** Every widget gets appearance streams drawn here
  (appearance.py) for each of its states, with fonts embedded as subsets
  (fieldfonts.py), so no viewer needs `NeedAppearances` or a font of its
  own: poppler and PDFium show the same. WeasyPrint's whole-font copies for
  the fields are dropped when no page text uses them.
- **What the HTML says of a field** (`FieldSpec`, read by pdf.py from the
  inputs' attributes): `required` sets the Required flag; a signature box
  becomes a real signature field (/FT /Sig) that Acrobat and e-signature
  tools sign; a radio group gets the tooltip of the question it answers.

The structure tree WeasyPrint writes (`pdf_variant="pdf/ua-1"`) is kept:
widgets stay the same objects, with their /StructParent and the /Form
elements that point at them.

`FilledTemplate` fills text fields of a normalised PDF by appending an
incremental update (ISO 32000-1 §7.5.6): the template's bytes unchanged,
then the changed field objects, their appearance streams, any font chunk
their characters need beyond the template's base font, and a new xref
section. Each changed dictionary and each font chunk is serialised once,
with markers where numbers go, so a fill only joins bytes: a few
milliseconds for a 29-page packet. A packet is laid out once per level and
personalised for thousands of employees.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pikepdf
from pikepdf import Name
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject, DictionaryObject, FloatObject, IndirectObject, NameObject, NumberObject, StreamObject,
    TextStringObject,
)

from . import appearance, fieldfonts
from .fieldfonts import BASE_KEY, Subset

CHECKBOX_ON = "Yes"
_FF_REQUIRED = 1 << 1
_FF_RADIO = (1 << 14) | (1 << 15)  # NoToggleToOff | Radio
_FF_MULTILINE = 1 << 12
_TF = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+([\d.]+)\s+Tf")
_WIDGET_KEYS = ("/T", "/TU", "/FT", "/V", "/Ff", "/Opt", "/DV")


@dataclass(frozen=True)
class FieldSpec:
    """What the form's HTML says of one field beyond what WeasyPrint writes."""

    required: bool = False
    signature: bool = False  # a signature box: becomes /FT /Sig
    tooltip: str = ""  # the field's own tooltip (a radio group's question); "" keeps the first widget's


class FieldNameError(ValueError):
    """Two inputs whose names cannot live in one PDF (a name that is also a group, or two kinds)."""


@dataclass
class _Terminal:
    name: str
    kind: str  # "text" | "radio" | "checkbox"
    widgets: list = field(default_factory=list)  # the widget dictionaries (indirect pikepdf objects)
    tooltip: str = ""
    flags: int = 0
    da: str = ""
    value: str = ""
    options: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- normalise


def normalise(data: bytes, specs: dict[str, FieldSpec] | None = None) -> bytes:
    """Return the PDF with its fields made into a clean, named hierarchy, each drawn in every state
    (see the module notes). `specs`: what the HTML says of fields, by name.

    Done in qpdf (pikepdf), which edits the document in place and writes only what it still reaches:
    pypdf first cloned the whole document in Python, two thirds of the time this step took."""
    specs = specs or {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        acro = pdf.Root.get("/AcroForm")
        if acro is not None:
            base = fieldfonts.base_font()
            fonts = FontObjects(pdf, base)
            terminals, form_fonts = _collect(pdf)
            fields = _build_tree(pdf, terminals, specs)
            _draw(pdf, terminals, specs, fonts)
            acro[Name.Fields] = pikepdf.Array(fields)
            acro[Name.DR] = pikepdf.Dictionary(Font=pikepdf.Dictionary({"/" + BASE_KEY: fonts.reference(base)}))
            acro[Name.DA] = pikepdf.String(f"/{BASE_KEY} 0 Tf 0 g")
            acro[Name.NeedAppearances] = False  # every widget has its appearances
            _drop_unused_fonts(pdf, form_fonts)
        return save(pdf)


def save(pdf: pikepdf.Pdf) -> bytes:
    """The PDF written with object streams: the structure tree of a tagged form is thousands of small
    objects, three times the rest of the file when written one by one. qpdf writes only the objects
    the document still reaches (replaced fields and dropped fonts are left out)."""
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
             deterministic_id=True)
    return out.getvalue()


def _pike(pdf: pikepdf.Pdf, obj, refs: list):
    """A pypdf object as a pikepdf one: fieldfonts builds a font's objects with pypdf, whose bytes
    FilledTemplate appends as they are. `refs[i]` stands for the font's i-th object."""
    if isinstance(obj, IndirectObject):
        return refs[obj.idnum]
    if isinstance(obj, StreamObject):
        stream = pikepdf.Stream(pdf, obj._data)  # already encoded, as its /Filter says
        for key, value in obj.items():
            if key != "/Length":
                stream[key] = _pike(pdf, value, refs)
        return stream
    if isinstance(obj, DictionaryObject):
        return pikepdf.Dictionary({key: _pike(pdf, value, refs) for key, value in obj.items()})
    if isinstance(obj, ArrayObject):
        return pikepdf.Array([_pike(pdf, value, refs) for value in obj])
    if isinstance(obj, NameObject):
        return Name(str(obj))
    if isinstance(obj, TextStringObject):
        return pikepdf.String(str(obj))
    if isinstance(obj, FloatObject):
        return float(obj)
    if isinstance(obj, NumberObject):
        return int(obj)
    raise TypeError(f"no pikepdf form for {type(obj).__name__}")


class FontObjects:
    """The embedded fonts of a document being normalised (or assembled: assemble.py): each added once, on
    first use. `base_ref`: the document's base font, when it already holds one."""

    def __init__(self, pdf: pikepdf.Pdf, base: Subset, base_ref: pikepdf.Object | None = None):
        self.pdf = pdf
        self.base = base
        self.refs: dict[str, pikepdf.Object] = {base.key: base_ref} if base_ref is not None else {}
        self.reference(base)

    def reference(self, font: Subset) -> pikepdf.Object:
        if font.key not in self.refs:
            objects = fieldfonts.font_objects(font, lambda i: IndirectObject(i, 0, None))  # type: ignore[arg-type]
            made: list = [None] * len(objects)
            # Each object refers only to later ones (font → CID font → descriptor → program; → CMap).
            for i in reversed(range(len(objects))):
                made[i] = self.pdf.make_indirect(_pike(self.pdf, objects[i], made))
            self.refs[font.key] = made[0]
        return self.refs[font.key]

    def resources(self, used) -> pikepdf.Dictionary:
        return pikepdf.Dictionary(Font=pikepdf.Dictionary(
            {"/" + f.key: self.reference(f) for f in sorted(used, key=lambda f: f.key)}))


def _collect(pdf: pikepdf.Pdf) -> tuple[dict[str, _Terminal], set[str]]:
    """Every widget on every page, grouped by field name, in reading order."""
    terminals: dict[str, _Terminal] = {}
    form_fonts: set[str] = set()
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        for index, widget in enumerate(annots if annots is not None else ()):
            if widget.get("/Subtype") != Name.Widget:
                continue
            if not widget.is_indirect:  # a field is an object of its own (ISO 32000-1 §12.7.3.1)
                widget = annots[index] = pdf.make_indirect(widget)
            _normalise_rect(widget)
            group = widget.get("/Parent")
            if group is not None:  # one button of a WeasyPrint radio group
                name, kind = str(group.T), "radio"
                tooltip = str(group.get("/TU", ""))
                value = _rename_radio_state(widget, [str(o) for o in group.get("/Opt", ())])
            else:
                name = str(widget.T)
                kind = "text" if widget.get("/FT") == Name.Tx else "checkbox"
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
                    found = _TF.search(bytes(da))
                    if found:
                        form_fonts.add(found.group(1).decode("latin-1"))
                    # One-line fields keep the size the form's CSS gave them; multi-line ones size to fit.
                    size = 0 if term.flags & _FF_MULTILINE else _font_size(str(da))
                    widget[Name.DA] = pikepdf.String(f"/{BASE_KEY} {size:g} Tf 0 g")
                    term.da = term.da or str(widget.DA)
            term.widgets.append(widget)
    return terminals, form_fonts


def _font_size(da: str) -> float:
    found = _TF.search(da.encode("latin-1", "replace"))
    return float(found.group(2)) if found else 0.0


def _normalise_rect(widget: pikepdf.Dictionary) -> None:
    x1, y1, x2, y2 = (float(v) for v in widget.Rect)
    widget[Name.Rect] = pikepdf.Array([round(v, 3) for v in (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))])


def _rename_radio_state(widget: pikepdf.Dictionary, options: list[str]) -> str | None:
    """The button's export value (its "on" state) instead of its index; its state named after it."""
    keys = [k for k in widget.AP.N.keys() if k != "/Off"]
    if not keys:
        return None
    key = keys[0]
    index = int(key[1:]) if key[1:].isdigit() else None
    value = options[index] if index is not None and index < len(options) else key[1:]
    widget[Name.AS] = Name("/" + value) if widget.get("/AS") == key else Name.Off
    return value


def _rename_checkbox_state(widget: pikepdf.Dictionary) -> None:
    on = widget.get("/AS") not in (None, Name.Off)
    widget[Name.AS] = Name("/" + CHECKBOX_ON) if on else Name.Off
    widget[Name.V] = widget.AS


def _build_tree(pdf: pikepdf.Pdf, terminals: dict[str, _Terminal], specs: dict[str, FieldSpec]
                ) -> list[pikepdf.Object]:
    """Turn dotted names into a field tree; returns the top-level fields in reading order."""
    nodes: dict[tuple[str, ...], pikepdf.Object] = {}
    top: list[pikepdf.Object] = []
    names = set(terminals)
    for name in terminals:
        parts = tuple(name.split("."))
        for i in range(1, len(parts)):
            if ".".join(parts[:i]) in names:
                raise FieldNameError(f"`{'.'.join(parts[:i])}` is a field and also the group of `{name}`")
        if any(not p for p in parts):
            raise FieldNameError(f"`{name}` has an empty part")

    def node(path: tuple[str, ...]) -> pikepdf.Object | None:
        if not path:
            return None
        if path not in nodes:
            parent = node(path[:-1])
            obj = pdf.make_indirect(pikepdf.Dictionary(T=pikepdf.String(path[-1]), Kids=pikepdf.Array()))
            if parent is None:
                top.append(obj)
            else:
                obj[Name.Parent] = parent
                parent.Kids.append(obj)
            nodes[path] = obj
        return nodes[path]

    for term in terminals.values():
        spec = specs.get(term.name, FieldSpec())
        parts = term.name.split(".")
        parent = node(tuple(parts[:-1]))
        if term.kind != "radio" and len(term.widgets) == 1:
            obj = term.widgets[0]
            obj[Name.T] = pikepdf.String(parts[-1])
        else:
            obj = pdf.make_indirect(pikepdf.Dictionary(T=pikepdf.String(parts[-1]), Kids=pikepdf.Array()))
            for widget in term.widgets:
                for key in _WIDGET_KEYS:
                    if key == "/TU" and term.kind == "radio":
                        continue  # each button says which option it is
                    if key in widget:
                        del widget[key]
                widget[Name.Parent] = obj
                obj.Kids.append(widget)
        tooltip = spec.tooltip or term.tooltip
        if tooltip and tooltip != term.name:
            obj[Name.TU] = pikepdf.String(tooltip)
        elif "/TU" in obj:
            del obj["/TU"]
        flags = _FF_REQUIRED if spec.required else 0
        if spec.signature:
            obj[Name.FT] = Name.Sig
            for key in ("/V", "/DA", "/Ff", "/MaxLen"):
                if key in obj:
                    del obj[key]
        elif term.kind == "text":
            obj[Name.FT] = Name.Tx
            obj[Name.V] = pikepdf.String(term.value)
            obj[Name.DA] = pikepdf.String(term.da or f"/{BASE_KEY} 0 Tf 0 g")
            flags |= term.flags
        else:  # a radio group or a checkbox
            obj[Name.FT] = Name.Btn
            obj[Name.V] = Name.Off
            if term.kind == "radio":
                flags |= _FF_RADIO
        if flags:
            obj[Name.Ff] = flags
        elif "/Ff" in obj:
            del obj["/Ff"]
        if "/Parent" in obj and parent is None:
            del obj["/Parent"]
        if parent is None:
            top.append(obj)
        else:
            obj[Name.Parent] = parent
            parent.Kids.append(obj)
    return top


def _draw(pdf: pikepdf.Pdf, terminals: dict[str, _Terminal], specs: dict[str, FieldSpec],
          fonts: FontObjects) -> None:
    """Give every widget its appearance in each state (see appearance.py)."""
    streams: dict[tuple, pikepdf.Object] = {}

    def stream(content: bytes, width: float, height: float, used=()) -> pikepdf.Object:
        key = (content, round(width, 3), round(height, 3), tuple(sorted(f.key for f in used)))
        if key not in streams:
            streams[key] = pdf.make_indirect(pikepdf.Stream(
                pdf, content, Type=Name.XObject, Subtype=Name.Form,
                BBox=pikepdf.Array([0, 0, round(width, 3), round(height, 3)]),
                Resources=fonts.resources(used) if used else pikepdf.Dictionary()))
        return streams[key]

    for term in terminals.values():
        spec = specs.get(term.name, FieldSpec())
        for index, widget in enumerate(term.widgets):
            x1, y1, x2, y2 = (float(v) for v in widget.Rect)
            width, height = x2 - x1, y2 - y1
            for key in ("/MK", "/Border"):  # the page draws the box; no viewer should draw another
                if key in widget:
                    del widget[key]
            if spec.signature:
                widget[Name.AP] = pikepdf.Dictionary(N=stream(b"", width, height))
                if "/AS" in widget:
                    del widget["/AS"]
            elif term.kind == "text":
                content, used = (appearance.text_stream(term.value, width, height,
                                                         _font_size(str(widget.get("/DA", term.da))),
                                                         bool(term.flags & _FF_MULTILINE), fonts.base)
                                 if term.value else (b"/Tx BMC\nEMC", set()))
                widget[Name.AP] = pikepdf.Dictionary(N=stream(content, width, height, used))
            else:
                on = str(widget.AS) if widget.get("/AS") not in (None, Name.Off) else None
                on = on or "/" + (term.options[index] if term.kind == "radio" else CHECKBOX_ON)
                drawing = appearance.radio_on if term.kind == "radio" else appearance.checkbox_on
                states = pikepdf.Dictionary({
                    on: stream(drawing(width, height), width, height), "/Off": stream(appearance.OFF, width, height)})
                widget[Name.AP] = pikepdf.Dictionary(N=states, D=states)
                widget[Name.AS] = widget.get("/AS", Name.Off)


def _drop_unused_fonts(pdf: pikepdf.Pdf, keys: set[str]) -> None:
    """Remove fonts WeasyPrint embedded whole for the fields, unless page text uses them too."""
    if not keys:
        return
    used: set[str] = set()
    seen: set[tuple[int, int]] = set()

    def scan(data: bytes) -> None:
        for found in _TF.finditer(data):
            used.add(found.group(1).decode("latin-1"))

    def scan_resources(resources) -> None:
        xobjects = resources.get("/XObject") if resources is not None else None
        for xobj in (xobjects.values() if xobjects is not None else ()):
            if xobj.is_indirect:
                if xobj.objgen in seen:
                    continue
                seen.add(xobj.objgen)
            if xobj.get("/Subtype") == Name.Form:
                scan(xobj.read_bytes())
                scan_resources(xobj.get("/Resources"))

    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        for part in ((contents,) if isinstance(contents, pikepdf.Stream) else contents or ()):
            scan(part.read_bytes())
        scan_resources(page.obj.get("/Resources"))
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        fonts = resources.get("/Font") if resources is not None else None
        if fonts is None:
            continue
        for key in keys - used:
            if "/" + key in fonts:
                del fonts["/" + key]


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
    size: float  # 0: auto size


@dataclass(frozen=True)
class _TextField:
    number: int  # the field's object (may be the widget itself)
    widgets: tuple[_Widget, ...]
    multiline: bool


class FilledTemplate:
    """A normalised PDF whose text fields can be filled quickly, many times.

    `fill(values)` returns the template's bytes followed by an incremental
    update that sets the fields' values and appearances; the template is
    parsed once. Unknown names are ignored (not every form has every field).
    A value with characters no installed font has raises
    `fieldfonts.UnprintableText` (check values first with `unprintable`).
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
        self.base: Subset | None = None
        if acro is None:
            return
        acro = acro.get_object()
        fonts = acro.get("/DR", {}).get("/Font", {})
        base_ref = fonts.raw_get("/" + BASE_KEY) if "/" + BASE_KEY in fonts else None
        if not isinstance(base_ref, IndirectObject):
            return  # not a form normalise() drew: nothing to draw values with
        self._base_number = base_ref.idnum
        descriptor = base_ref.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        # The template's own base font, read back: its glyphs and widths are what a value is drawn with.
        self.base = fieldfonts.read_subset(descriptor["/FontFile2"].get_object().get_data(), BASE_KEY)
        for ref in acro.get("/Fields", []):
            self._walk(ref, "")

    def _walk(self, ref: IndirectObject, prefix: str) -> None:
        obj = ref.get_object()
        name = prefix + str(obj.get("/T", ""))
        kids = obj.get("/Kids")
        if obj.get("/FT") == "/Tx":
            widgets = [k for k in kids] if kids else [ref]
            size = _font_size(str(obj.get("/DA", "")))
            self.fields[name] = _TextField(ref.idnum, tuple(self._widget(w, size) for w in widgets),
                                           bool(int(obj.get("/Ff", 0)) & _FF_MULTILINE))
        elif kids and "/FT" not in obj:
            for kid in kids:
                self._walk(kid, name + ".")

    @staticmethod
    def _widget(ref: IndirectObject, size: float) -> _Widget:
        widget = ref.get_object()
        x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
        if "/DA" in widget:
            size = _font_size(str(widget["/DA"]))
        return _Widget(ref.idnum, abs(x2 - x1), abs(y2 - y1), size)

    def unprintable(self, text: str) -> str:
        """The characters of `text` that no installed font has (so a fill would refuse it)."""
        return fieldfonts.missing(text, self.base) if self.base is not None else ""

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
        font_numbers: dict[str, int] = {BASE_KEY: self._base_number} if self.base is not None else {}
        for name in sorted(values):
            text = values[name]
            fld = self.fields.get(name)
            if fld is None or not text or self.base is None:
                continue
            changed.setdefault(fld.number, {})["/V"] = _serialise(TextStringObject(text))
            shared: dict[tuple[float, float, float], bytes] = {}  # box and font size → appearance dictionary
            for widget in fld.widgets:
                key = (round(widget.width, 2), round(widget.height, 2), widget.size)
                if key not in shared:
                    content, used = appearance.text_stream(text, widget.width, widget.height, widget.size,
                                                           fld.multiline, self.base)
                    for font in sorted(used, key=lambda f: f.key):
                        if font.key not in font_numbers:  # a chunk the template lacks: its five objects
                            font_numbers[font.key] = number
                            bodies += [(number + i, body) for i, body in enumerate(_font_bodies(font, number))]
                            number += 5
                    resources = b" ".join(b"/%s %d 0 R" % (f.key.encode(), font_numbers[f.key])
                                          for f in sorted(used, key=lambda f: f.key))
                    stream = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 %.3f %.3f] /Resources << /Font << %s"
                              b" >> >> /Length %d >>\nstream\n" % (widget.width, widget.height, resources,
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
_LOCAL = b"\0LadderbuildFontObject#"  # marks a font's reference to its own objects (see _font_bodies)


def _font_bodies(font: Subset, first: int) -> list[bytes]:
    """A chunk font's five objects, numbered from `first`; serialised once per font (the numbers are
    the only part that changes from one fill to the next)."""
    return [b"".join(b"%d 0 R" % (first + int(p[len(_LOCAL):-1])) if p.startswith(_LOCAL) else p for p in pieces)
            for pieces in _font_pieces(font)]


@lru_cache(maxsize=64)
def _font_pieces(font: Subset) -> tuple[tuple[bytes, ...], ...]:
    objects = fieldfonts.font_objects(font, lambda i: _Local(i))
    return tuple(tuple(re.split(rb"(" + re.escape(_LOCAL) + rb"\d+\0)", _serialise(obj))) for obj in objects)


def _appearance_dict(number: int) -> bytes:
    return _serialise(DictionaryObject({NameObject("/N"): _Ref(number)}))


class _Ref(IndirectObject):
    """A reference to an object of the update (not known to any reader)."""

    def __init__(self, idnum: int):
        super().__init__(idnum, 0, None)  # type: ignore[arg-type]

    def write_to_stream(self, stream, encryption_key=None) -> None:
        stream.write(b"%d 0 R" % self.idnum)


class _Local(_Ref):
    """A reference to the i-th object of a font, numbered when the font is added (see _font_bodies)."""

    def write_to_stream(self, stream, encryption_key=None) -> None:
        stream.write(_LOCAL + b"%d\0" % self.idnum)


def _serialise(obj) -> bytes:
    out = io.BytesIO()
    obj.write_to_stream(out)
    return out.getvalue()
