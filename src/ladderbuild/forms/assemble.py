"""Packets assembled from the PDFs of their forms: each distinct page is laid out once.

A packet is its cover, laid out alone (templates/forms/packet-cover.html), followed by each form it binds,
laid out alone: the very PDF of the form's own download when the packet binds it as it is (a promotion
packet lays its forms out for the level applied for: parts of their own). Assembling them in qpdf (pikepdf)
gives the document the packet laid out whole would be (html.packet_html; tests/test_forms_assembly.py
compares the two page for page and field for field):

- **Pages** are copied, each form's after the cover. A page's annotations are copied after every page, so
  the widgets' and links' page references (and then the structure tree's) find the copied pages: pikepdf
  copies from one document through one map, each object once.
- **Page numbers**: every page's footer ("Page 7 of 30") and every reference to a page ("explained on page
  8") are rewritten for the packet (pagenumbers.py). The cover's contents print the page each form starts on,
  known before the cover is laid out (the forms are laid out first).
- **Fields**: a form's fields go under its prefix (`annual.rating.vital-signs`; `annual-2.` for a form
  bound twice), except those every form shares (the employee's name, ID, level …: view.SHARED_FIELDS),
  which become one field per packet with a widget wherever they appear, as in a packet laid out whole.
  Every widget keeps the appearances its form drew; they use the packet's one copy of the fields' font.
- **Tags**: the forms' structure elements join the cover's under one Document element; each page's and
  annotation's key into the parent tree is moved past the cover's and earlier forms' keys.
- **Bookmarks and named destinations**: the forms' outlines follow the cover's; the cover's contents link
  to the forms' anchors (placeholders on the cover until the forms' own replace them). A form bound twice
  gets its anchors renamed as the packet laid out whole names them.
- **Document information, XMP metadata, language**: the cover's, which describes the whole packet
  (forms/identity.py: the packet id, level and fingerprint of every form's fields).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Sequence

import pikepdf
from pikepdf import Name

from . import fieldfonts, view
from .acroform import _WIDGET_KEYS, FieldNameError, FontObjects, save
from .fieldfonts import BASE_KEY
from .pagenumbers import PageText

_FIELD_KEYS = ("/T", "/TU", "/FT", "/V", "/DV", "/Ff", "/DA", "/Opt", "/MaxLen", "/Q")
_REQUIRED = 1 << 1


@dataclass(frozen=True)
class Part:
    """A form's PDF laid out alone, and how the packet binds it."""

    data: bytes
    form_id: str
    prefix: str  # "annual." (view.packet_prefixes)

    @property
    def anchor_base(self) -> str:
        return self.prefix.rstrip(".")


@dataclass
class _Copied:
    """Where a part's pages went, and the objects copied with them."""

    part: Part | None  # None: the cover
    first: int  # index of its first page in the packet
    pages: int
    structure: pikepdf.Object | None = None  # its StructTreeRoot, copied
    outline: pikepdf.Object | None = None
    dests: list | None = None  # [(name, destination)] copied


def page_count(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def assemble(cover: bytes, parts: Sequence[Part], footer: str) -> bytes:
    """The packet: `cover`, then each part's pages. `footer` is the pages' footer with `%(page)s` and
    `%(pages)s` where the numbers go, as the framework's locale writes it (html.page_footer)."""
    out = pikepdf.open(io.BytesIO(cover))
    sources = [pikepdf.open(io.BytesIO(part.data)) for part in parts]
    try:
        copied = [_Copied(None, 0, len(out.pages))]
        for part, source in zip(parts, sources):
            copied.append(_copy(out, source, part, len(out.pages)))
        base = fieldfonts.base_font()
        fonts = FontObjects(out, base, _base_font_ref(out))
        _renumber(out, copied, footer, fonts)
        _merge_structure(out, copied)
        _merge_fields(out, copied, fonts)
        _merge_outline(out, copied)
        _merge_destinations(out, copied)
        return save(out)
    finally:
        for source in sources:
            source.close()
        out.close()


# --------------------------------------------------------------------------- copying


def _copy(out: pikepdf.Pdf, source: pikepdf.Pdf, part: Part, first: int) -> _Copied:
    annotations = []
    for page in source.pages:  # copied after the pages, so that their /P finds the copied pages
        annotations.append(page.obj.get("/Annots"))
        if "/Annots" in page.obj:
            del page.obj["/Annots"]
    for page in source.pages:
        out.pages.append(page)
    for index, annots in enumerate(annotations):
        if annots is not None:
            out.pages[first + index].obj.Annots = _copy_foreign(out, source, annots)
    root = source.Root
    done = _Copied(part, first, len(source.pages))
    if "/StructTreeRoot" in root:
        done.structure = _copy_foreign(out, source, root.StructTreeRoot)
    if "/Outlines" in root:
        done.outline = _copy_foreign(out, source, root.Outlines)
    names = _name_tree(root.get("/Names", {}).get("/Dests")) if "/Names" in root else []
    if names:
        copied = _copy_foreign(out, source, pikepdf.Array([dest for _name, dest in names]))
        done.dests = [(name, dest) for (name, _old), dest in zip(names, copied)]
    return done


def _copy_foreign(out: pikepdf.Pdf, source: pikepdf.Pdf, obj) -> pikepdf.Object:
    """`obj` of `source` copied into `out` (through the one map pikepdf keeps per source document)."""
    return out.copy_foreign(obj if obj.is_indirect else source.make_indirect(obj))


def _name_tree(node) -> list[tuple[str, pikepdf.Object]]:
    return list(pikepdf.NameTree(node).items()) if node is not None else []


def _number_tree(node) -> list[tuple[int, pikepdf.Object]]:
    return list(pikepdf.NumberTree(node).items()) if node is not None else []


def _base_font_ref(pdf: pikepdf.Pdf) -> pikepdf.Object | None:
    acro = pdf.Root.get("/AcroForm")
    fonts = acro.get("/DR", {}).get("/Font", {}) if acro is not None else {}
    return fonts.get("/" + BASE_KEY)


# --------------------------------------------------------------------------- page numbers


def _renumber(out: pikepdf.Pdf, copied: list[_Copied], footer: str, fonts: FontObjects) -> None:
    """Every page's footer and every reference to a page, numbered in the packet (pagenumbers.py)."""
    total = len(out.pages)
    index_of = {page.obj.objgen: i for i, page in enumerate(out.pages)}
    decoded: dict = {}
    for done in copied:
        names = dict(done.dests or [])
        for i in range(done.first, done.first + done.pages):
            page = out.pages[i]
            text = PageText(page, decoded)
            runs = text.footer(footer % {"page": i - done.first + 1, "pages": done.pages})
            if runs:
                text.replace(runs, footer % {"page": i + 1, "pages": total}, fonts, "right")
            if done.part is not None:
                for rect, target in _page_links(page, names, index_of):
                    if done.first <= target < done.first + done.pages:
                        run = text.number_in(rect, str(target - done.first + 1))
                        if run is not None and run.replaced is None:
                            text.shift_after(run, text.replace([run], str(target + 1), fonts, "left"))
            text.save(out)


def _page_links(page: pikepdf.Page, names: dict, index_of: dict) -> list[tuple[pikepdf.Array, int]]:
    """(rectangle, index of the page it leads to) of each internal link on the page, in drawing order;
    `names`: the named destinations of the part the page comes from."""
    found, seen = [], set()
    for annot in page.obj.get("/Annots", ()):
        if annot.get("/Subtype") != Name.Link or "/Dest" not in annot:
            continue
        dest = annot.Dest
        dest = names.get(str(dest)) if isinstance(dest, pikepdf.String) else dest
        if dest is None or not len(dest) or dest[0].objgen not in index_of:
            continue
        key = tuple(round(float(v), 2) for v in annot.Rect)
        if key not in seen:
            seen.add(key)
            found.append((annot.Rect, index_of[dest[0].objgen]))
    return found


# --------------------------------------------------------------------------- tags


def _document_element(structure) -> pikepdf.Object | None:
    kids = structure.get("/K")
    if isinstance(kids, pikepdf.Array):
        kids = next((k for k in kids if k.get("/S") == Name.Document), kids[0] if len(kids) else None)
    return kids


def _merge_structure(out: pikepdf.Pdf, copied: list[_Copied]) -> None:
    root = out.Root.get("/StructTreeRoot")
    if root is None:
        return
    document = _document_element(root)
    entries = _number_tree(root.get("/ParentTree"))
    next_key = max([key for key, _ in entries], default=-1) + 1
    for done in copied[1:]:
        if done.structure is None:
            continue
        offset = next_key
        for i in range(done.first, done.first + done.pages):
            page = out.pages[i].obj
            if "/StructParents" in page:
                page.StructParents = int(page.StructParents) + offset
            for annot in page.get("/Annots", ()):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        for key, value in _number_tree(done.structure.get("/ParentTree")):
            entries.append((key + offset, value))
            next_key = max(next_key, key + offset + 1)
        element = _document_element(done.structure)
        kids = element.get("/K") if element is not None else None
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                kid.P = document
            document.K.append(kid)
    tree = pikepdf.NumberTree.new(out)
    for key, value in entries:
        tree[key] = value
    root.ParentTree = tree.obj
    root.ParentTreeNextKey = next_key


# --------------------------------------------------------------------------- fields


def _merge_fields(out: pikepdf.Pdf, copied: list[_Copied], fonts: FontObjects) -> None:
    """One field tree for the packet: each part's fields renamed as the packet names them, the shared ones
    merged into one field per name (see the module notes)."""
    groups: dict[str, list[pikepdf.Object]] = {}
    kept = {"/" + BASE_KEY: fonts.reference(fonts.base)}  # field fonts by resource name: the packet's copies
    for done in copied:
        for i in range(done.first, done.first + done.pages):
            for annot in out.pages[i].obj.get("/Annots", ()):
                if annot.get("/Subtype") != Name.Widget:
                    continue
                terminal = annot if "/T" in annot else annot.get("/Parent")
                if terminal is None:
                    continue
                name = _full_name(terminal)
                if done.part is not None:
                    name = view.packet_field_name(name, done.part.prefix)
                terms = groups.setdefault(name, [])
                if not any(t.objgen == terminal.objgen for t in terms):
                    terms.append(terminal)
                _one_font(annot, kept)
    acro = out.Root.get("/AcroForm")
    if acro is None:
        if not groups:
            return
        acro = out.Root.AcroForm = out.make_indirect(pikepdf.Dictionary(
            DA=pikepdf.String(f"/{BASE_KEY} 0 Tf 0 g"), NeedAppearances=False))
    acro.DR = pikepdf.Dictionary(Font=pikepdf.Dictionary({"/" + BASE_KEY: fonts.reference(fonts.base)}))
    acro.Fields = pikepdf.Array(_field_tree(out, groups))


def _full_name(node) -> str:
    parts = []
    while node is not None:
        if "/T" in node:
            parts.append(str(node.T))
        node = node.get("/Parent")
    return ".".join(reversed(parts))


def _one_font(widget, fonts: dict[str, pikepdf.Object]) -> None:
    """The widget's appearances drawn with the packet's one copy of each field font: every form brought its
    own copy of the base font, and of any chunk its pre-filled values need (a level's title in Chinese).
    A font's resource name says which subset it is (fieldfonts), so one name is one font."""
    appearances = widget.get("/AP")
    if appearances is None:
        return
    for kind in ("/N", "/D"):
        states = appearances.get(kind)
        streams = [states] if isinstance(states, pikepdf.Stream) else list(states.values()) if states is not None else []
        for stream in streams:
            used = stream.get("/Resources", {}).get("/Font")
            for key in list(used.keys()) if used is not None else ():
                if key not in fonts:
                    fonts[key] = used[key]
                elif used[key].objgen != fonts[key].objgen:
                    used[Name(key)] = fonts[key]


def _field_tree(out: pikepdf.Pdf, groups: dict[str, list[pikepdf.Object]]) -> list[pikepdf.Object]:
    names = set(groups)
    nodes: dict[tuple[str, ...], pikepdf.Object] = {}
    top: list[pikepdf.Object] = []

    def node(path: tuple[str, ...]):
        if not path:
            return None
        if ".".join(path) in names:
            raise FieldNameError(f"`{'.'.join(path)}` is a field and also the group of another field")
        if path not in nodes:
            parent = node(path[:-1])
            made = out.make_indirect(pikepdf.Dictionary(T=pikepdf.String(path[-1]), Kids=pikepdf.Array()))
            (top if parent is None else parent.Kids).append(made)
            if parent is not None:
                made.Parent = parent
            nodes[path] = made
        return nodes[path]

    for name, terms in groups.items():
        path = tuple(name.split("."))
        parent = node(path[:-1])
        field = terms[0] if len(terms) == 1 else _merged(out, terms)
        field.T = pikepdf.String(path[-1])
        if parent is None:
            if "/Parent" in field:
                del field["/Parent"]
            top.append(field)
        else:
            field.Parent = parent
            parent.Kids.append(field)
    return top


def _merged(out: pikepdf.Pdf, terms: list[pikepdf.Object]) -> pikepdf.Object:
    """One field for a name several forms share: the first form's field (its value, tooltip, flags), with
    every form's widgets as its kids; required if any form requires it."""
    first = terms[0]
    if "/Kids" in first:
        field = first
    else:  # a field that is its own widget: the field part moves to a new object
        field = out.make_indirect(pikepdf.Dictionary({k: first[k] for k in _FIELD_KEYS if k in first}))
        field.Kids = pikepdf.Array()
        _as_kid(first, field)
    flags = int(field.get("/Ff", 0))
    for other in terms[1:]:
        flags |= int(other.get("/Ff", 0)) & _REQUIRED
        for widget in (list(other.Kids) if "/Kids" in other else [other]):
            _as_kid(widget, field)
    if flags:
        field.Ff = flags
    return field


def _as_kid(widget, field) -> None:
    for key in _WIDGET_KEYS:
        if key in widget:
            del widget[key]
    widget.Parent = field
    field.Kids.append(widget)


# --------------------------------------------------------------------------- outline and destinations


def _merge_outline(out: pikepdf.Pdf, copied: list[_Copied]) -> None:
    root = out.Root.get("/Outlines")
    for done in copied[1:]:
        outline = done.outline
        if outline is None or "/First" not in outline:
            continue
        if root is None:
            root = out.Root.Outlines = out.make_indirect(pikepdf.Dictionary(Type=Name.Outlines, Count=0))
        item = outline.First
        while True:
            item.Parent = root
            if "/Last" in root:
                item.Prev = root.Last
                root.Last.Next = item
            else:
                root.First = item
                if "/Prev" in item:
                    del item["/Prev"]
            root.Last = item
            if "/Next" not in item:
                break
            item = item.Next
        root.Count = int(root.get("/Count", 0)) + int(outline.get("/Count", 0))


def _merge_destinations(out: pikepdf.Pdf, copied: list[_Copied]) -> None:
    """One name tree of destinations: the cover's, then each form's (which replace the cover's placeholders
    for the forms' own anchors), a form bound twice renamed as the packet laid out whole names it."""
    found: dict[str, pikepdf.Object] = {}
    for done in copied:
        part = done.part
        if part is None:
            found.update(_name_tree(out.Root.get("/Names", {}).get("/Dests")) if "/Names" in out.Root else [])
            continue
        rename = part.anchor_base != part.form_id
        for name, dest in done.dests or []:
            found[view.rebase_anchor(name, part.form_id, part.anchor_base) if rename else name] = dest
        if rename:
            for i in range(done.first, done.first + done.pages):
                for annot in out.pages[i].obj.get("/Annots", ()):
                    if annot.get("/Subtype") == Name.Link and isinstance(annot.get("/Dest"), pikepdf.String):
                        renamed = view.rebase_anchor(str(annot.Dest), part.form_id, part.anchor_base)
                        annot.Dest = pikepdf.String(renamed)
                        if "/Contents" in annot:
                            annot.Contents = pikepdf.String(renamed)
    if not found:
        return
    tree = pikepdf.NameTree.new(out)
    for name, dest in found.items():
        tree[name] = dest
    if "/Names" not in out.Root:
        out.Root.Names = pikepdf.Dictionary()
    out.Root.Names.Dests = tree.obj
