"""What a person sees in a PDF form: pages rendered by poppler (pdftoppm) and by PDFium (pypdfium2),
crops of a field's box, the text a field's appearance draws, and the fonts a PDF carries.

No tests here; test_forms_appearance.py and others use these helpers.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader

ENGINES = ("poppler", "pdfium")


def render(pdf: Path, page: int, engine: str, dpi: int = 150) -> Image.Image:
    """Page `page` (0-based) as a greyscale image, drawn by `engine` with the fields' own appearances."""
    if engine == "poppler":
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page + 1), "-l", str(page + 1), "-gray", "-png",
                            "-singlefile", str(pdf), f"{tmp}/page"], check=True, capture_output=True)
            return Image.open(f"{tmp}/page.png").convert("L").copy()
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        document.init_forms()  # draw the form fields' appearance streams, as Chrome shows them
        return document[page].render(scale=dpi / 72, may_draw_forms=True).to_pil().convert("L")
    finally:
        document.close()


def widgets(pdf: Path, name: str) -> list[tuple[int, tuple[float, float, float, float], dict]]:
    """(page index, rect, widget dictionary) of every widget of the field `name` (fully qualified)."""
    reader = PdfReader(str(pdf))
    out = []
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots", []) or []:
            annot = ref.get_object()
            if annot.get("/Subtype") == "/Widget" and widget_name(annot) == name:
                out.append((index, tuple(float(v) for v in annot["/Rect"]), annot))
    return out


def widget_name(annot) -> str:
    parts, node = [], annot
    while node is not None:
        if "/T" in node:
            parts.append(str(node["/T"]))
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return ".".join(reversed(parts))


def crop(image: Image.Image, rect, page_height: float, dpi: int = 150, inset: float = 1.0) -> Image.Image:
    """The part of a rendered page inside a PDF rectangle (points), `inset` points in from its edges."""
    scale = dpi / 72
    x0, y0, x1, y1 = rect
    return image.crop((round((x0 + inset) * scale), round((page_height - y1 + inset) * scale),
                       round((x1 - inset) * scale), round((page_height - y0 - inset) * scale)))


def ink(image: Image.Image, threshold: int = 128) -> int:
    """How many dark pixels an image holds."""
    return sum(image.histogram()[:threshold])


def ink_box(image: Image.Image, threshold: int = 128) -> Image.Image | None:
    """The image cut to the bounding box of its dark pixels (None when there are none)."""
    mask = image.point(lambda v: 255 if v < threshold else 0)
    box = mask.getbbox()
    return image.crop(box) if box else None


def reference(text: str, font_path: str, size_px: int, index: int = 0) -> Image.Image:
    """`text` drawn by FreeType straight from the font file: what the field should show."""
    font = ImageFont.truetype(font_path, size_px, index=index)
    left, top, right, bottom = font.getbbox(text)
    image = Image.new("L", (right - left + 8, bottom - top + 8), 255)
    ImageDraw.Draw(image).text((4 - left, 4 - top), text, font=font, fill=0)
    return image


def difference(drawn: Image.Image, expected: Image.Image) -> float:
    """How different two drawings of a text are, 0 (the same) to 1 (nothing in common): both cut to their
    ink, brought to one size and blurred a little (so a pixel's shift between two rasterisers does not
    count), then the grey levels compared. Drawings of different proportions differ outright."""
    from PIL import ImageFilter

    a, b = ink_box(drawn), ink_box(expected)
    if a is None or b is None:
        return 1.0
    ratio_a, ratio_b = a.width / a.height, b.width / b.height
    if abs(ratio_a - ratio_b) > 0.15 * ratio_a:
        return 1.0
    b = b.resize(a.size)
    a, b = a.filter(ImageFilter.GaussianBlur(1.2)), b.filter(ImageFilter.GaussianBlur(1.2))
    pa, pb = a.tobytes(), b.tobytes()
    apart = sum(abs(p - q) for p, q in zip(pa, pb))
    inked = sum(255 - p for p in pa) + sum(255 - q for q in pb)
    return 2 * apart / max(1, inked)


def drawn_text(stream) -> str:
    """The text an appearance stream draws, decoded through its fonts' ToUnicode maps."""
    fonts = stream["/Resources"]["/Font"]
    maps = {}
    for key, font in fonts.items():
        cmap = font.get_object()["/ToUnicode"].get_object().get_data()
        maps[key[1:]] = {int(g, 16): chr(int(u, 16)) for g, u in re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]{4})>", cmap)}
    out, current = [], None
    for token in re.finditer(rb"/(\S+) [\d.]+ Tf|<([0-9A-F]*)> Tj|Tm", stream.get_data()):
        if token.group(1):
            current = token.group(1).decode()
        elif token.group(2) is not None:
            hexes = token.group(2).decode()
            out.append("".join(maps[current][int(hexes[i:i + 4], 16)] for i in range(0, len(hexes), 4)))
        elif out:
            out.append("\n")
    return "".join(out).strip("\n").replace("\n\n", "\n")


def fonts_without_a_file(pdf: Path) -> list[str]:
    """Every font in the PDF (pages, appearances, form resources) that does not embed its font program."""
    reader = PdfReader(str(pdf))
    missing = []
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # a free entry
            continue
        if not hasattr(obj, "get") or obj.get("/Type") != "/Font" or obj.get("/Subtype") == "/Type3":
            continue
        font = obj["/DescendantFonts"][0].get_object() if obj.get("/Subtype") == "/Type0" else obj
        descriptor = font.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            missing.append(str(obj.get("/BaseFont")))
    return missing
