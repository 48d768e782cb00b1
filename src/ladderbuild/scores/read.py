"""Read one filled PDF: its ladderbuild metadata and the values of its fields, with pikepdf.

pikepdf (qpdf) reads only the objects asked for — the document information,
the field tree — rather than parsing the whole file, which makes reading a
30-page packet about ten times faster than with pypdf (bench/README.md).
A file is checked before it is opened: it must start like a PDF (`%PDF-`
within its first kilobyte, as viewers allow) and be no larger than the limit,
so a 500 MB video renamed `.pdf` costs one read of 1 KB, never a scan of the
whole file by the repair code.

Every problem is a `ReadError` with a message and a hint for the person who
collected the files; nothing here raises anything else for a bad file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from ..forms import identity

HEADER_WINDOW = 1024  # a PDF header may follow up to 1 KB of junk (ISO 32000-1 annex H.3)
SIGNED = "signed"  # the value of a signature field (/Sig) that holds a signature


class ReadError(Exception):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class FilledPdf:
    """What `scores` needs from one file: metadata, field values and where each field is."""

    path: Path
    metadata: dict[str, str]  # the identity keys present (identity.KEYS)
    values: dict[str, str]  # field name → value ('' when empty; a button's state; SIGNED for a signed /Sig)
    kinds: dict[str, str]  # field name → /Tx, /Btn, /Ch or /Sig
    repaired: bool = False  # the file was damaged and qpdf rebuilt it to read it
    _pdf: object = field(default=None, repr=False)
    _nodes: dict[str, object] = field(default_factory=dict, repr=False)  # field name → its dictionary
    _page_numbers: dict[tuple[int, int], int] | None = field(default=None, repr=False)

    def page_of(self, name: str) -> int | None:
        """The page (from 1) of a field's first widget, or None when the file does not say.

        Asked only when a problem is reported, but most filled forms have a few (a signature not yet
        given), so it must not cost a walk of every widget: a widget names its page (/P), and the page
        numbers are worked out once per file. A widget without /P (allowed, ISO 32000-1 §12.5.2) is looked
        for in the pages' /Annots.
        """
        node = self._nodes.get(name)
        if node is None or self._pdf is None:
            return None
        if self._page_numbers is None:
            self._page_numbers = {page.obj.objgen: n for n, page in enumerate(self._pdf.pages, 1)}
        widgets = _widgets(node)
        widget = widgets[0] if widgets else node
        page = widget.get("/P")
        if isinstance(page, pikepdf.Dictionary) and page.objgen in self._page_numbers:
            return self._page_numbers[page.objgen]
        return _page_holding(self._pdf, widget)

    def options_of(self, name: str) -> tuple[str, ...]:
        """The states a button field offers (its widgets' "on" appearances), for telling why fields differ."""
        node = self._nodes.get(name)
        if node is None:
            return ()
        states: list[str] = []
        for widget in _widgets(node):
            normal = widget.get("/AP", {}).get("/N") if "/AP" in widget else None
            if isinstance(normal, pikepdf.Dictionary):
                states += [str(k).lstrip("/") for k in normal.keys() if str(k) != "/Off"]
        return tuple(dict.fromkeys(states))

    def close(self) -> None:
        if self._pdf is not None:
            self._nodes.clear()
            self._pdf.close()
            self._pdf = None


def check_file(path: Path, max_bytes: int) -> None:
    """Refuse, cheaply, what cannot be a form: too large, empty, or not a PDF at all."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadError(f"the file is {_megabytes(size)}, larger than the limit of {_megabytes(max_bytes)}",
                            "a filled ladderbuild packet is well under 5 MB; a scan, a video or attachments make "
                            "a file this big (raise the limit with --max-size if it really is a form)")
        with open(path, "rb") as handle:
            head = handle.read(HEADER_WINDOW)
    except OSError as exc:
        raise ReadError(f"cannot read the file: {exc.strerror or exc}",
                        "check that it exists and that you may read it") from None
    if not head:
        raise ReadError("the file is empty", "collect the form again from the person who filled it")
    if b"%PDF-" not in head:
        raise ReadError("not a PDF file", "only filled ladderbuild forms and packets (.pdf) can be scored")


def read_pdf(path: Path, max_bytes: int) -> FilledPdf:
    """Open `path` and read its metadata and field values; the caller closes the result."""
    check_file(path, max_bytes)
    try:
        # Page attributes are not read (only the order of the pages), so qpdf need not push inherited
        # ones down the page tree: that was a third of the time it took to open a packet.
        pdf = pikepdf.open(path, inherit_page_attributes=False)
    except pikepdf.PasswordError:
        raise ReadError("the PDF is encrypted with a password",
                        "ask for a copy saved without a password (File → Properties → Security in most viewers)"
                        ) from None
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        raise ReadError(f"the PDF is damaged and cannot be read ({_first_line(exc)})",
                        "ask for the form to be saved again from the viewer it was filled in") from None
    # Only what opening found, and only a real repair: qpdf also notes harmless slips it reads past.
    repaired = any(_REPAIRED in w.lower() for w in pdf.get_warnings() for _REPAIRED in ("damaged", "reconstruct"))
    try:
        metadata = _metadata(pdf)
        values, kinds, nodes = _fields(pdf)
    except (pikepdf.PdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        pdf.close()
        raise ReadError(f"the PDF is damaged and its fields cannot be read ({_first_line(exc)})",
                        "ask for the form to be saved again from the viewer it was filled in") from None
    return FilledPdf(path, metadata, values, kinds, repaired, pdf, nodes)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.0f} MB" if size >= 10_000_000 else f"{size / 1_000_000:,.1f} MB"


def _metadata(pdf: pikepdf.Pdf) -> dict[str, str]:
    info = pdf.trailer.get("/Info")
    if not isinstance(info, pikepdf.Dictionary) or "/" + identity.FRAMEWORK not in info:
        info = _orphaned_info(pdf)
    if info is None:
        return {}
    out = {}
    for key in identity.KEYS:
        value = info.get("/" + key)
        if value is not None:
            out[key] = str(value)
    return out


def _orphaned_info(pdf: pikepdf.Pdf):
    """The document information ladderbuild wrote, when a later save left it out of the trailer.

    Some programs that fill forms (pypdf's incremental writer among them) write an update whose trailer
    has no /Info, although ISO 32000-1 §7.5.6 says it carries over; the dictionary is still in the file,
    so look for it — the newest one, should there be several. Only files without it pay for the search.
    """
    key = "/" + identity.FRAMEWORK
    found = None
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and not isinstance(obj, pikepdf.Stream) and key in obj:
            found = obj
    return found


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, pikepdf.Name):
        return str(value).lstrip("/")
    if isinstance(value, pikepdf.Array):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _fields(pdf: pikepdf.Pdf) -> tuple[dict[str, str], dict[str, str], dict[str, pikepdf.Dictionary]]:
    """Every terminal field of the AcroForm: fully qualified name → value, → field type and → its dictionary."""
    values: dict[str, str] = {}
    kinds: dict[str, str] = {}
    nodes: dict[str, pikepdf.Dictionary] = {}
    acro = pdf.Root.get("/AcroForm")
    if not isinstance(acro, pikepdf.Dictionary):
        return values, kinds, nodes
    seen: set[tuple[int, int]] = set()
    stack = [(node, "", None) for node in reversed(list(acro.get("/Fields", [])))]
    while stack:
        node, prefix, inherited = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue  # a loop in a damaged field tree
            seen.add(node.objgen)
        partial = node.get("/T")
        name = prefix + str(partial) if partial is not None else prefix.rstrip(".")
        kind = node.get("/FT", inherited)
        kids = node.get("/Kids")
        # A group's kids are named fields; a field's kids are its unnamed widgets (one look tells which).
        if isinstance(kids, pikepdf.Array) and len(kids) and isinstance(kids[0], pikepdf.Dictionary) \
                and "/T" in kids[0]:
            for kid in reversed(list(kids)):
                stack.append((kid, name + ".", kind))
            continue
        if kind is None or not name:
            continue
        kind = str(kind)
        value = node.get("/V")
        if kind == "/Sig":
            text = SIGNED if isinstance(value, pikepdf.Dictionary) else ""
        elif kind == "/Btn":  # a state is a name (/3); some writers store it as a string ("/3" or "3")
            text = _text(value).lstrip("/")
            text = "" if text == "Off" else text
        else:
            text = _text(value)
        values[name] = text
        kinds[name] = kind
        nodes[name] = node
    return values, kinds, nodes


def _widgets(node) -> list:
    kids = node.get("/Kids")
    if isinstance(kids, pikepdf.Array):
        return [k for k in kids if isinstance(k, pikepdf.Dictionary)]
    return [node]


def _page_holding(pdf: pikepdf.Pdf, widget) -> int | None:
    """The page whose /Annots lists `widget`: the slow way, for widgets that don't name their page."""
    if not widget.is_indirect:
        return None
    for number, page in enumerate(pdf.pages, 1):
        annots = page.obj.get("/Annots")
        if isinstance(annots, pikepdf.Array) and any(a.is_indirect and a.objgen == widget.objgen for a in annots):
            return number
    return None


def iter_pdfs(paths, errors):
    """Every PDF under `paths` (files, or folders read recursively), one at a time, in a stable order.

    Files named on the command line are taken whatever their name; in folders, files ending in .pdf
    (any case). Folders are read with os.scandir, one level at a time, so a folder of 10,000 files is
    never listed whole into memory more than once per level. `errors(path, message)` hears of paths
    that cannot be read.
    """
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from _walk(path, errors)
        elif path.exists():
            yield path
        else:
            errors(path, "no such file or folder")


def _walk(folder: Path, errors):
    try:
        with os.scandir(folder) as entries:
            names = sorted((e.name, e.is_dir(follow_symlinks=False)) for e in entries)
    except OSError as exc:
        errors(folder, f"cannot read the folder: {exc.strerror or exc}")
        return
    for name, is_dir in names:
        path = folder / name
        if is_dir:
            yield from _walk(path, errors)
        elif name.lower().endswith(".pdf") and not path.is_symlink():
            yield path
