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

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject, BooleanObject, DecodedStreamObject, DictionaryObject, FloatObject, IndirectObject, NameObject,
    NullObject, NumberObject, TextStringObject,
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
    widgets: list = field(default_factory=list)  # IndirectObjects
    tooltip: str = ""
    flags: int = 0
    da: str = ""
    value: str = ""
    options: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- normalise


def normalise(data: bytes, specs: dict[str, FieldSpec] | None = None) -> bytes:
    """Return the PDF with its fields made into a clean, named hierarchy, each drawn in every state
    (see the module notes). `specs`: what the HTML says of fields, by name."""
    specs = specs or {}
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header  # keep WeasyPrint's version (1.7), not pypdf's default 1.3
    root = writer._root_object
    acro_ref = root.get("/AcroForm")
    if acro_ref is None:
        return _write(writer)
    acro = acro_ref.get_object()

    base = fieldfonts.base_font()
    fonts = _FontObjects(writer, base)
    terminals, form_fonts = _collect(writer)
    fields = _build_tree(writer, terminals, specs)
    _draw(writer, terminals, specs, fonts)

    acro[NameObject("/Fields")] = ArrayObject(fields)
    acro[NameObject("/DR")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/" + BASE_KEY): fonts.reference(base)})})
    acro[NameObject("/DA")] = TextStringObject(f"/{BASE_KEY} 0 Tf 0 g")
    acro[NameObject("/NeedAppearances")] = BooleanObject(False)  # every widget has its appearances
    _drop_unused_fonts(writer, form_fonts)
    return _write(writer)


def _write(writer: PdfWriter) -> bytes:
    writer.compress_identical_objects()  # merges duplicate objects (the buttons' appearances …)
    _sweep(writer)
    out = io.BytesIO()
    writer.write(out)
    return _pack(out.getvalue())


def _pack(data: bytes) -> bytes:
    """The PDF rewritten with object streams (qpdf, through pikepdf): the structure tree of a tagged
    form is thousands of small objects, three times the rest of the file when written one by one."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
                 deterministic_id=True)
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


class _FontObjects:
    """The embedded fonts of a document being normalised: each added once, on first use."""

    def __init__(self, writer: PdfWriter, base: Subset):
        self.writer = writer
        self.base = base
        self.refs: dict[str, IndirectObject] = {}
        self.reference(base)

    def reference(self, font: Subset) -> IndirectObject:
        if font.key not in self.refs:
            refs = [self.writer._add_object(NullObject()) for _ in range(5)]
            for ref, obj in zip(refs, fieldfonts.font_objects(font, lambda i: refs[i])):
                self.writer._objects[ref.idnum - 1] = obj
                obj.indirect_reference = ref
            self.refs[font.key] = refs[0]
        return self.refs[font.key]

    def resources(self, used) -> DictionaryObject:
        return DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject("/" + f.key): self.reference(f) for f in sorted(used, key=lambda f: f.key)})})


def _collect(writer: PdfWriter) -> tuple[dict[str, _Terminal], set[str]]:
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
                    # One-line fields keep the size the form's CSS gave them; multi-line ones size to fit.
                    size = 0 if term.flags & _FF_MULTILINE else _font_size(str(da))
                    widget[NameObject("/DA")] = TextStringObject(f"/{BASE_KEY} {size:g} Tf 0 g")
                    term.da = term.da or str(widget["/DA"])
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
    """The button's export value (its "on" state) instead of its index; its state named after it."""
    normal = widget["/AP"]["/N"]
    keys = [k for k in normal if k != "/Off"]
    if not keys:
        return None
    key = keys[0]
    index = int(key[1:]) if key[1:].isdigit() else None
    value = options[index] if index is not None and index < len(options) else key[1:]
    widget[NameObject("/AS")] = NameObject("/" + value) if widget.get("/AS") == key else NameObject("/Off")
    return value


def _rename_checkbox_state(widget: DictionaryObject) -> None:
    on = widget.get("/AS") not in (None, "/Off")
    widget[NameObject("/AS")] = NameObject("/" + CHECKBOX_ON if on else "/Off")
    widget[NameObject("/V")] = widget["/AS"]


def _build_tree(writer: PdfWriter, terminals: dict[str, _Terminal], specs: dict[str, FieldSpec]
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
        spec = specs.get(term.name, FieldSpec())
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
                    if key == "/TU" and term.kind == "radio":
                        continue  # each button says which option it is
                    if key in widget:
                        del widget[key]
                widget[NameObject("/Parent")] = ref
                obj["/Kids"].append(widget_ref)
        tooltip = spec.tooltip or term.tooltip
        if tooltip and tooltip != term.name:
            obj[NameObject("/TU")] = TextStringObject(tooltip)
        elif "/TU" in obj:
            del obj["/TU"]
        flags = _FF_REQUIRED if spec.required else 0
        if spec.signature:
            obj[NameObject("/FT")] = NameObject("/Sig")
            for key in ("/V", "/DA", "/Ff", "/MaxLen"):
                if key in obj:
                    del obj[key]
        elif term.kind == "text":
            obj[NameObject("/FT")] = NameObject("/Tx")
            obj[NameObject("/V")] = TextStringObject(term.value)
            obj[NameObject("/DA")] = TextStringObject(term.da or f"/{BASE_KEY} 0 Tf 0 g")
            flags |= term.flags
        elif term.kind == "radio":
            obj[NameObject("/FT")] = NameObject("/Btn")
            flags |= _FF_RADIO
            obj[NameObject("/V")] = NameObject("/Off")
        else:
            obj[NameObject("/FT")] = NameObject("/Btn")
            obj[NameObject("/V")] = NameObject("/Off")
        if flags:
            obj[NameObject("/Ff")] = NumberObject(flags)
        elif "/Ff" in obj:
            del obj["/Ff"]
        if "/Parent" in obj and parent is None:
            del obj["/Parent"]
        if parent is None:
            top.append(ref)
        else:
            obj[NameObject("/Parent")] = parent
            parent.get_object()["/Kids"].append(ref)
    return top


def _draw(writer: PdfWriter, terminals: dict[str, _Terminal], specs: dict[str, FieldSpec],
          fonts: _FontObjects) -> None:
    """Give every widget its appearance in each state (see appearance.py)."""
    streams: dict[tuple, IndirectObject] = {}

    def stream(content: bytes, width: float, height: float, used=()) -> IndirectObject:
        key = (content, round(width, 3), round(height, 3), tuple(sorted(f.key for f in used)))
        if key not in streams:
            obj = DecodedStreamObject()
            obj.set_data(content)
            obj.update({
                NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(round(width, 3)),
                                                  FloatObject(round(height, 3))]),
                NameObject("/Resources"): fonts.resources(used) if used else DictionaryObject()})
            streams[key] = writer._add_object(obj)
        return streams[key]

    for term in terminals.values():
        spec = specs.get(term.name, FieldSpec())
        for widget_ref in term.widgets:
            widget = widget_ref.get_object()
            x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
            width, height = x2 - x1, y2 - y1
            for key in ("/MK", "/Border"):  # the page draws the box; no viewer should draw another
                if key in widget:
                    del widget[key]
            if spec.signature:
                widget[NameObject("/AP")] = DictionaryObject({NameObject("/N"): stream(b"", width, height)})
                if "/AS" in widget:
                    del widget["/AS"]
            elif term.kind == "text":
                content, used = (appearance.text_stream(term.value, width, height,
                                                         _font_size(str(widget.get("/DA", term.da))),
                                                         bool(term.flags & _FF_MULTILINE), fonts.base)
                                 if term.value else (b"/Tx BMC\nEMC", set()))
                widget[NameObject("/AP")] = DictionaryObject({NameObject("/N"): stream(content, width, height, used)})
            else:
                on = str(widget["/AS"]) if widget.get("/AS") not in (None, "/Off") else None
                on = on or "/" + (term.options[term.widgets.index(widget_ref)] if term.kind == "radio"
                                  else CHECKBOX_ON)
                drawing = appearance.radio_on if term.kind == "radio" else appearance.checkbox_on
                states = DictionaryObject({NameObject(on): stream(drawing(width, height), width, height),
                                           NameObject("/Off"): stream(appearance.OFF, width, height)})
                widget[NameObject("/AP")] = DictionaryObject({NameObject("/N"): states, NameObject("/D"): states})
                widget[NameObject("/AS")] = widget.get("/AS", NameObject("/Off"))


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
