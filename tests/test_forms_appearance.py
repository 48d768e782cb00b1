"""What a person sees in a filled form, in poppler (Evince, Okular, print pipelines) and in PDFium
(Chrome): chosen ratings, long comments, names in any script, drawn from the PDF's own embedded fonts.
Also the form's promises to programs: required flags, signature fields, the structure tree."""

from __future__ import annotations

import re
import unicodedata

import pytest
from pypdf import PdfReader, PdfWriter

from ladderbuild.forms.acroform import FilledTemplate, field_values
from pdf_render import (
    ENGINES, crop, drawn_text, engine_reference, fonts_without_a_file, ink, render, render_crop, stray_ink, widgets,
)
from test_forms_support import built, reader

DPI = 150
NAME_DPI = 600  # accents are a few pixels at 150 dpi
FORM = "forms/annual--assistant-2.pdf"
PACKET = "packets/annual-review--assistant-2.pdf"
NAMES = {
    "vietnamese": "Nguyễn Thị Hương",
    "greek": "Γεώργιος Παπαδόπουλος",
    "cyrillic": "Дмитрий Шостакович",
    "chinese": "张伟 (Wei Zhang)",
    "latin": "Zoë Ångström-Müller",
    # Right to left, and Arabic letters joined: shaped (forms/shaping.py), not drawn a letter at a time.
    "hebrew": "דוד כהן",
    "arabic": "محمد عبد الله",
    "mixed": "Dana לוי (2)",
}
SHAPED = {"hebrew", "arabic", "mixed"}
COMMENT = ("On 12 March she saw that a patient's blood pressure was 182/110 at intake, repeated the reading by hand "
           "and told the provider before the visit began; the patient was sent for same-day care. She then showed "
           "two new assistants how to check cuff size and arm position, and since April none of their readings "
           "has had to be repeated. In June she noticed that the clinic's spare cuffs were all adult size and "
           "ordered small and large ones, which the team now uses every day. Her charting of vital signs is "
           "complete and on time in every audit this year, and the nurse manager named it as the standard for the team.")


def _fill_like_a_viewer(path, values: dict[str, str], tmp_path, name="filled.pdf"):
    """Set values as a viewer does and save: a button's value and state, no new appearance drawn."""
    writer = PdfWriter(clone_from=str(path))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    target = tmp_path / name
    with open(target, "wb") as handle:
        writer.write(handle)
    return target


def test_the_comment_is_long_enough_for_the_test():
    assert len(COMMENT) >= 600


@pytest.mark.parametrize("engine", ENGINES)
def test_every_rating_option_shows_when_chosen(engine, tmp_path):
    blank = built("minimal") / FORM
    options = widgets(blank, "rating.vital-signs")
    values = [str(next(k for k in w["/AP"]["/N"] if k != "/Off"))[1:] for _page, _rect, w in options]
    assert values == ["4", "3", "2", "1", "na"]
    page, _rect, _w = options[0]
    height = float(reader(blank).pages[page].mediabox.height)
    before = render(blank, page, engine, DPI)
    for chosen in values:
        filled = _fill_like_a_viewer(blank, {"rating.vital-signs": "/" + chosen}, tmp_path, f"{chosen}.pdf")
        assert field_values(PdfReader(str(filled)))["rating.vital-signs"] == chosen
        after = render(filled, page, engine, DPI)
        for value, (_page, rect, _w) in zip(values, options):
            gained = ink(crop(after, rect, height, DPI)) - ink(crop(before, rect, height, DPI))
            if value == chosen:
                assert gained > 20, f"{engine}: the chosen option {chosen} does not show ({gained} more dark pixels)"
            else:
                assert gained <= 2, f"{engine}: option {value} shows although {chosen} was chosen"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_600_character_comment_prints_whole(engine, tmp_path):
    blank = built("minimal") / FORM
    filled = tmp_path / "comment.pdf"
    filled.write_bytes(FilledTemplate(blank.read_bytes()).fill({"comment.vital-signs": COMMENT}))
    ((page, rect, widget),) = widgets(filled, "comment.vital-signs")
    stream = widget["/AP"]["/N"]
    # every character is drawn (lines are broken at spaces) …
    assert drawn_text(stream).replace("\n", " ") == COMMENT
    # … on lines that all sit inside the box (the text shrank to fit: auto size)
    data = stream.get_data().decode("latin-1")
    baselines = [float(line.split()[5]) for line in data.splitlines() if line.endswith(" Tm")]
    size = float(next(line.split()[1] for line in data.splitlines() if " Tf " in line))
    assert len(baselines) >= 5 and min(baselines) - 0.25 * size >= 0 and size >= 4
    assert " 0 Tf" in str(widget["/DA"])  # auto size: a viewer sizes typed text to fit too
    # and both engines show ink from the first line to the last
    height = float(reader(filled).pages[page].mediabox.height)
    image = crop(render(filled, page, engine, DPI), rect, height, DPI)
    top = image.crop((0, 0, image.width, image.height // 4))
    bottom_row = round((rect[3] - rect[1] - min(baselines) - size) * DPI / 72)
    bottom = image.crop((0, max(0, bottom_row - 4), image.width, image.height))
    assert ink(top) > 200 and ink(bottom) > 100, f"{engine}: the comment is cut off"


@pytest.mark.parametrize("engine", ENGINES)
def test_rendering_a_box_alone_gives_that_box_of_the_page(engine, named_packets):
    """render_crop, which the name tests use at 600 dpi, against a crop of the whole page (150 dpi)."""
    path = named_packets["latin"]
    page, rect, _widget = next(w for w in widgets(path, "employee.name") if w[0] == 0 and w[1][3] - w[1][1] > 12)
    height = float(reader(path).pages[page].mediabox.height)
    whole = crop(render(path, page, engine, DPI), rect, height, DPI, inset=2)
    alone = render_crop(path, page, engine, rect, height, DPI, inset=2)
    assert alone.size == whole.size and ink(alone) > 100
    assert stray_ink(alone, whole, slack=1) == 0


@pytest.fixture(scope="module")
def named_packets(tmp_path_factory):
    """The packet filled for each name, as `packets` does it (one layout, filled per employee)."""
    folder = tmp_path_factory.mktemp("names")
    template = FilledTemplate((built("minimal") / PACKET).read_bytes())
    out = {}
    for key, name in NAMES.items():
        out[key] = folder / f"{key}.pdf"
        out[key].write_bytes(template.fill({"employee.name": name}, title=name))
    return out


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("script", sorted(NAMES))
def test_names_in_any_script_print_their_own_glyphs(script, engine, named_packets, tmp_path):
    path = named_packets[script]
    name = NAMES[script]
    assert field_values(PdfReader(str(path)))["employee.name"] == name
    page, rect, widget = next(w for w in widgets(path, "employee.name") if w[0] == 0 and w[1][3] - w[1][1] > 12)
    stream = widget["/AP"]["/N"]
    if script not in SHAPED:  # shaped glyphs are drawn in visual order: read back by poppler below
        assert drawn_text(stream) == name
    size = float(re.search(r"/\S+ ([\d.]+) Tf", stream.get_data().decode("latin-1")).group(1))
    height = float(reader(path).pages[page].mediabox.height)
    drawn = render_crop(path, page, engine, rect, height, NAME_DPI, inset=2)  # inside the box's rule
    # The same name laid out as page text in the same faces and drawn by the same engine: the field must
    # show those very glyphs, to within a few pixels of sub-pixel placement …
    def stray(text: str) -> int | None:
        return stray_ink(drawn, engine_reference(text, size, engine, NAME_DPI, tmp_path), slack=2)

    assert stray(name) is not None and stray(name) <= 40, f"{engine} does not draw {name!r} as its font does"
    # … and the comparison tells it from what a font without the letters would print: the name without its
    # accents, or with every letter beyond ASCII lost.
    wrongs = {_without_accents(name), "".join(c for c in name if ord(c) < 0x80)}
    if script in SHAPED:  # … or what drawing a letter at a time from the left showed: the name backwards,
        wrongs.add(name[::-1])
    if script == "arabic":  # and Arabic letters each in its isolated form (joiners broken)
        wrongs.add("\u200c".join(name))
    for wrong in wrongs - {name}:
        assert stray(wrong) is None or stray(wrong) > 200, f"{engine}: {wrong!r} passes for {name!r}"


@pytest.mark.parametrize("script", ["arabic", "hebrew"])
def test_right_to_left_names_read_back_in_their_order(script, named_packets, tmp_path):
    """The name drawn into the page (flattened by PDFium, as printing does) and read back by poppler, which
    orders right-to-left text from where the glyphs are: the name as typed, Arabic in its joined forms."""
    import subprocess

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    document = pdfium.PdfDocument(str(named_packets[script]))
    page = document[0]
    assert pdfium_raw.FPDFPage_Flatten(page.raw, pdfium_raw.FLAT_PRINT) == pdfium_raw.FLATTEN_SUCCESS
    page.close()
    flat = tmp_path / "flat.pdf"
    document.save(flat)
    document.close()
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(flat), "-"], check=True, capture_output=True,
                          text=True).stdout
    name = NAMES[script]
    shown = [line.strip() for line in text.splitlines()
             if any(0x590 <= ord(c) <= 0x6FF or 0xFB1D <= ord(c) <= 0xFEFF for c in line)]
    # poppler marks a right-to-left run with embedding controls; without them, in compatibility form, the name
    plain = [unicodedata.normalize("NFKC", "".join(c for c in line if unicodedata.category(c) != "Cf"))
             for line in shown]
    assert name in plain, f"{shown!r} is not {name!r}"
    if script == "arabic":  # the letters were drawn in their joining forms (initial, medial, final)
        forms = "".join(shown)
        assert "\ufee3\ufea4\ufee4\ufeaa" in forms, forms  # محمد: initial meem, medial hah, medial meem, final dal


def _without_accents(text: str) -> str:
    return unicodedata.normalize("NFC", "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)))


def test_no_pdf_names_a_font_it_does_not_embed(named_packets):
    pdfs = sorted((built("forms-all")).rglob("*.pdf")) + sorted(named_packets.values())
    assert len(pdfs) > 10
    for pdf in pdfs:
        assert fonts_without_a_file(pdf) == [], pdf


def test_an_english_form_carries_no_chinese_font():
    pdf = reader(built("minimal") / FORM)
    fonts = {str(f) for f in _font_names(pdf)}
    assert fonts and not any("WenQuanYi" in f or "STSong" in f for f in fonts), fonts


def _font_names(pdf):
    for number in range(1, int(pdf.trailer["/Size"])):
        try:
            obj = pdf.get_object(number)
        except Exception:
            continue
        if hasattr(obj, "get") and obj.get("/Type") == "/Font":
            yield obj.get("/BaseFont")


def test_every_rating_and_signature_is_required_and_signatures_are_signature_fields():
    pdf = reader(built("forms-all") / "packets/annual-review--assistant-2.pdf")
    fields = pdf.get_fields()
    ratings = [n for n, f in fields.items() if ".rating." in f".{n}." or n.split(".")[-1] == "rating"
               or ".rating" in n and f.get("/FT") == "/Btn" and int(f.get("/Ff", 0)) & (1 << 15)]
    signatures = [n for n in fields if n.endswith(".sign")]
    assert len(ratings) > 5 and len(signatures) >= 4
    for name in ratings:
        if fields[name].get("/FT") is None:
            continue
        assert int(fields[name].get("/Ff", 0)) & 2, f"{name} is not flagged required"
    for name in signatures:
        assert fields[name]["/FT"] == "/Sig", name
        assert int(fields[name].get("/Ff", 0)) & 2, f"{name} is not flagged required"
    for name in (n for n in fields if n.startswith("annual.signature.") and n.endswith(".date")):
        assert int(fields[name].get("/Ff", 0)) & 2, f"{name} is not flagged required"
        assert "MM/DD/YYYY" in str(fields[name]["/TU"])


def test_each_rating_option_has_its_own_tooltip():
    pdf = built("minimal") / FORM
    options = widgets(pdf, "rating.vital-signs")
    tips = [str(w["/TU"]) for _p, _r, w in options]
    assert tips == ["Vital signs: 4 Exceeds", "Vital signs: 3 Meets", "Vital signs: 2 Partially meets",
                    "Vital signs: 1 Does not meet", "Vital signs: N/A"]
    assert str(reader(pdf).get_fields()["rating.vital-signs"]["/TU"]) == "Vital signs: rating"


def test_the_form_is_tagged_with_every_field_in_the_structure_tree():
    pdf = reader(built("minimal") / FORM)
    root = pdf.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]) == "en"
    tree = root["/StructTreeRoot"].get_object()
    nums = tree["/ParentTree"].get_object()["/Nums"]
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    checked = 0
    for page in pdf.pages:
        for ref in page["/Annots"]:
            widget = ref.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            element = parents[int(widget["/StructParent"])].get_object()
            assert element["/S"] == "/Form"
            kids = element["/K"] if isinstance(element["/K"], list) else [element["/K"]]
            assert any(k.get_object().get("/Type") == "/OBJR" and k.get_object().raw_get("/Obj").idnum == ref.idnum
                       for k in kids)
            checked += 1
    assert checked > 30
    assert pdf.metadata.title == "Annual evaluation — Assistant II"
