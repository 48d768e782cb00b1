"""What a person sees in a PDF form: pages rendered by poppler (pdftoppm) and by PDFium (pypdfium2),
crops of a field's box, the text a field's appearance draws, and the fonts a PDF carries.

No tests here; test_forms_appearance.py and others use these helpers.
"""

from __future__ import annotations

import math
import re
import subprocess
import tempfile
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from test_forms_support import widget_name  # one definition of a widget's qualified name

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


def render_crop(pdf: Path, page: int, engine: str, rect, page_height: float, dpi: int, inset: float = 1.0
                ) -> Image.Image:
    """What `crop(render(pdf, page, engine, dpi), rect, page_height, dpi, inset)` gives, with only that part
    of the page rasterised: a field's box at 600 dpi, not the whole page (a page is 5,100 × 6,600 pixels)."""
    scale = dpi / 72
    x0, y0, x1, y1 = rect
    left, top = round((x0 + inset) * scale), round((page_height - y1 + inset) * scale)
    right, bottom = round((x1 - inset) * scale), round((page_height - y0 - inset) * scale)
    if engine == "poppler":
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page + 1), "-l", str(page + 1), "-gray", "-png",
                            "-x", str(left), "-y", str(top), "-W", str(right - left), "-H", str(bottom - top),
                            "-singlefile", str(pdf), f"{tmp}/page"], check=True, capture_output=True)
            return Image.open(f"{tmp}/page.png").convert("L").copy()
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        document.init_forms()
        target = document[page]
        width, height = (math.ceil(v * scale) for v in target.get_size())  # the full render's pixels
        # pypdfium2 takes the crop in points from each edge and rounds each up to whole pixels: half a pixel
        # short of each edge's pixel count rounds up to exactly it, so the grid is the full page's
        edges = (left, height - bottom, width - right, top)
        crop_box = tuple(max(0.0, (pixels - 0.5) / scale) for pixels in edges)
        return target.render(scale=scale, crop=crop_box, may_draw_forms=True).to_pil().convert("L")
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


def engine_reference(text: str, size_pt: float, engine: str, dpi: int, tmp: Path) -> Image.Image:
    """`text` laid out by WeasyPrint as page text in the forms' face (fontconfig picks the same fallback
    faces for the characters it lacks) at `size_pt`, drawn by `engine`: what the field should look like,
    drawn by the same rasteriser from the same glyph outlines. The paragraph takes its direction from its
    first strong letter, as a field's line does (UAX #9, P2–P3)."""
    from html import escape

    from weasyprint import HTML

    pdf = tmp / f"reference-{abs(hash((text, size_pt)))}.pdf"
    HTML(string=f"<style>@page {{ size: 400mm 30mm; margin: 5mm }} p {{ margin: 0; white-space: pre; font-kerning: none; font-variant-ligatures: none; "
                f"font: {size_pt}pt 'Liberation Sans' }}</style><p dir=auto>{escape(text)}</p>").write_pdf(pdf)
    return render(pdf, 0, engine, dpi)


def stray_ink(drawn: Image.Image, expected: Image.Image, slack: int = 1, threshold: int = 128) -> int | None:
    """How many inked pixels two drawings of a text by the same engine at the same size do not share:
    both are cut to their ink, and a pixel of one counts when no pixel of the other is inked within `slack`
    pixels of it (rasterisers place glyphs on sub-pixel positions). None when the ink boxes differ by more
    than twice that in either direction (a lost accent changes the height, a lost letter the width)."""
    from PIL import ImageChops, ImageFilter

    a, b = ink_box(drawn, threshold), ink_box(expected, threshold)
    if a is None or b is None or abs(a.width - b.width) > 2 * slack or abs(a.height - b.height) > 2 * slack:
        return None
    size = (max(a.width, b.width), max(a.height, b.height))
    masks = []
    for image in (a, b):
        canvas = Image.new("L", size, 255)
        canvas.paste(image, (0, 0))
        masks.append(canvas.point(lambda v: 255 if v < threshold else 0))
    grown = [m.filter(ImageFilter.MaxFilter(2 * slack + 1)) for m in masks]
    # ink of one drawing that is not within a pixel of the other's ink, both ways
    return ImageChops.subtract(masks[0], grown[1]).histogram()[255] + \
        ImageChops.subtract(masks[1], grown[0]).histogram()[255]
