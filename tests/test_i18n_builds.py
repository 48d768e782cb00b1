"""Frameworks in other languages, built for real: the Chinese example and a Spanish copy of the minimal one.

What a reader sees is checked: the text of every handbook page (and of the
tooltips and labels a screen reader speaks), and the text pdfplumber reads back
from the PDFs. A Chinese page or form must show no English interface words,
and its Chinese must come back out of the PDF intact, inside the margins.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pytest
from helpers import edit
from i18n_support import allowed_words, content_text, english_left, foreign_words, visible_text
from pypdf import PdfReader
from test_forms_support import MARGIN_X, page_text

from ladderbuild import urls
from ladderbuild.project import load_project

REPO = Path(__file__).resolve().parents[1]
ZH = REPO / "examples" / "health-manager-zh"
# One of each form of the Chinese example, and both its packets (the forms repeat per level).
ZH_PDFS = ["forms/annual-evaluation--health-manager-1.pdf", "forms/self-assessment--health-manager-2.pdf",
           "forms/competency-validation--health-manager-3.pdf", "forms/development-plan--health-manager-3.pdf",
           "forms/ninety-day-review--health-manager-3.pdf", "forms/promotion-readiness--health-manager-1.pdf",
           "packets/annual-review--health-manager-2.pdf", "packets/promotion-review--health-manager-1.pdf"]


def render(project: Path, out: Path, wanted: list[str] | None = None) -> Path:
    """Render the project's PDFs (only `wanted`, paths from the output root, when given) into `out`."""
    from ladderbuild.forms import form_tasks
    from ladderbuild.forms.pdf import render_all

    loaded = load_project(project)
    assert not loaded.errors, "\n".join(d.format() for d in loaded.errors)
    tasks = form_tasks(loaded.framework, out, templates=loaded.templates_dir)
    if wanted is not None:
        tasks = [t for t in tasks if Path(t.path).relative_to(out).as_posix() in wanted]
        assert len(tasks) == len(wanted)
    render_all(tasks, jobs=2)
    return out


@pytest.fixture(scope="module")
def zh_pdfs(tmp_path_factory) -> Path:
    return render(ZH, tmp_path_factory.mktemp("zh-pdfs"), ZH_PDFS)


def pdf_text(path: Path) -> str:
    pdf = PdfReader(str(path))
    return " ".join(page_text(pdf, i) for i in range(len(pdf.pages)))


def tooltips(path: Path) -> list[str]:
    """What a screen reader or a form tool shows for each field (its /TU)."""
    return [str(f["/TU"]) for f in (PdfReader(str(path)).get_fields() or {}).values() if "/TU" in f]


def squeeze(text: str) -> str:
    """Text without white space: a PDF breaks Chinese lines anywhere, and a sentence must match across them."""
    return "".join(text.split())


# --------------------------------------------------------------------------- Chinese: no English left


def test_no_english_interface_words_on_any_page_of_the_chinese_handbook(sites):
    root = sites["zh"]
    allowed = allowed_words(ZH, "zh_CN")
    problems = []
    pages = sorted(root.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in html
        text = visible_text(html)
        if left := english_left(text, "zh_CN"):
            problems.append(f"{page.relative_to(root)}: English interface text {left}")
        if foreign := foreign_words(text, allowed):
            problems.append(f"{page.relative_to(root)}: words neither in the content nor the catalogue {foreign}")
    assert not problems, "\n".join(problems)


def test_no_stray_spaces_inside_chinese_sentences_of_the_handbook(sites):
    """Source lines are wrapped for reading; on the page, a sentence runs on without a gap at each wrap."""
    import html as html_module

    cjk = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
    gap = re.compile(cjk + r"\s+" + cjk)
    source = content_text(ZH)
    stray = []
    for page in sorted(sites["zh"].rglob("*.html")):
        body = re.sub(r"<(script|style)\b.*?</\1>", "", page.read_text(encoding="utf-8"), flags=re.S)
        for node in re.findall(r">([^<]+)<", body):  # each text node: spaces between elements are layout
            stray += [f"{page.name}: {m.group()!r}" for m in gap.finditer(html_module.unescape(node))
                      if " ".join(m.group().split()) not in source]
    assert not stray, stray[:20]


def test_no_english_interface_words_on_the_chinese_forms_and_packets(zh_pdfs):
    allowed = allowed_words(ZH, "zh_CN")
    problems = []
    for name in ZH_PDFS:
        text = pdf_text(zh_pdfs / name) + " " + " ".join(tooltips(zh_pdfs / name))
        if left := english_left(text, "zh_CN"):
            problems.append(f"{name}: English interface text {left}")
        if foreign := foreign_words(text, allowed):
            problems.append(f"{name}: words neither in the content nor the catalogue {foreign}")
    assert not problems, "\n".join(problems)


def test_chinese_forms_say_page_x_of_y_and_dates_the_chinese_way(zh_pdfs):
    pdf = PdfReader(str(zh_pdfs / "forms/annual-evaluation--health-manager-1.pdf"))
    total = len(pdf.pages)
    assert total > 1
    for index in range(total):
        assert f"第 {index + 1} 页，共 {total} 页" in page_text(pdf, index)
    first = page_text(pdf, 0)
    assert "2026年3月1日起施行" in first and "版本 2026.1" in first
    assert str(pdf.trailer["/Root"]["/Lang"]) == "zh-CN"
    text = pdf_text(zh_pdfs / "forms/annual-evaluation--health-manager-1.pdf")
    assert "40%" in text and "综合得分" in text  # the three dimensions' weights and the composite score


def test_chinese_text_comes_back_out_of_the_pdf_intact(zh_pdfs):
    """Sentences, indicator names and anchors of the content, read back with pdfplumber and with pypdf."""
    fw = load_project(ZH).framework
    level = fw.level("health-manager-1")
    assert {"客户长期留存率", "健康风险下降幅度", "带教成果"} <= {k.name for k in level.kpis}
    expected = [k.name for k in level.kpis] + [fw.competency(c).anchors[s] for c, s in level.competencies.items()]
    path = zh_pdfs / "forms/annual-evaluation--health-manager-1.pdf"
    with pdfplumber.open(path) as pdf:
        plumbed = squeeze("".join(page.extract_text() or "" for page in pdf.pages))
        cells = [squeeze(cell or "") for page in pdf.pages for table in page.extract_tables()
                 for row in table for cell in row]
    read = squeeze(pdf_text(path))
    for text in (plumbed, read):
        assert "\ufffd" not in text and "(cid:" not in text  # no glyph lost its character
        missing = [s for s in expected if squeeze(s) not in text]
        assert not missing, f"not found in the PDF's text: {missing}"
    # Text in table cells wraps beside other columns: read it back cell by cell.
    for k in level.kpis:
        assert any(cell.startswith(squeeze(k.name + k.numerator + "÷" + k.denominator)) for cell in cells), k.name
    # the scale's legend: a row per point, its value and label, then its description
    for point in fw.meta.scales[0].points:
        row = next((i for i, cell in enumerate(cells) if cell.startswith(f"{point.value}·{point.label}")), None)
        assert row is not None and cells[row + 1] == squeeze(point.description), point.label


def test_chinese_lines_break_inside_the_margins(zh_pdfs):
    """Long Chinese sentences (no spaces to break at) wrap onto several lines, and no character leaves the page."""
    fw = load_project(ZH).framework
    longest = max((fw.competency(c).anchors[s] for c, s in fw.level("health-manager-1").competencies.items()), key=len)
    assert len(longest) > 60
    wrapped = False
    for name in ZH_PDFS:
        with pdfplumber.open(zh_pdfs / name) as pdf:
            for page in pdf.pages:
                assert page.chars, f"{name}: a page without text"
                for char in page.chars:
                    where = f"{name} page {page.page_number}: {char['text']!r} at x {char['x0']:.1f}–{char['x1']:.1f}"
                    assert MARGIN_X - 0.5 <= char["x0"] and char["x1"] <= page.width - MARGIN_X + 0.5, where
                    assert 0 <= char["top"] and char["bottom"] <= page.height, where
                text = "".join(c["text"] for c in page.chars)
                start = text.find(squeeze(longest)[:20])
                if start >= 0:
                    rows = {round(c["top"]) for c in page.chars[start:start + len(squeeze(longest))]}
                    wrapped = wrapped or len(rows) > 1
    assert wrapped, "the longest anchor was not found wrapped over several lines"


def test_a_prefilled_chinese_field_is_drawn_with_chinese_glyphs(zh_pdfs, tmp_path):
    """The level, filled in on every form, is visible in poppler (Evince, Okular), not blank or garbled."""
    path = zh_pdfs / "forms/annual-evaluation--health-manager-1.pdf"
    pdf = PdfReader(str(path))
    fields = pdf.get_fields()
    assert fields["employee.level"]["/V"] == "一级健康管理师"
    widget = next(a.get_object() for a in pdf.pages[0]["/Annots"]
                  if a.get_object().get("/T") == "level" or a.get_object().get("/Parent", {}).get("/T") == "level")
    appearance = widget["/AP"]["/N"]
    from pdf_render import drawn_text, fonts_without_a_file

    assert drawn_text(appearance) == "一级健康管理师"  # from a Chinese font the PDF embeds
    assert fonts_without_a_file(path) == []

    def ink(rect) -> int:
        """Dark pixels poppler draws inside a rectangle of the first page (at 100 dpi)."""
        from PIL import Image

        x0, y0, x1, y1 = (float(v) for v in rect)
        height = float(pdf.pages[0].mediabox.height)
        scale = 100 / 72
        subprocess.run(["pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-gray", "-x", str(int(x0 * scale)),
                        "-y", str(int((height - y1) * scale)), "-W", str(int((x1 - x0) * scale)),
                        "-H", str(int((y1 - y0) * scale) - 2), "-png", str(path), str(tmp_path / "crop")],
                        check=True, capture_output=True)
        image = Image.open(next(tmp_path.glob("crop*.png"))).convert("L")
        dark = sum(1 for value in image.tobytes() if value < 110)
        for old in tmp_path.glob("crop*.png"):
            old.unlink()
        return dark

    empty = next(a.get_object() for a in pdf.pages[0]["/Annots"] if a.get_object().get("/T") == "department")
    assert ink(widget["/Rect"]) > 150 > ink(empty["/Rect"])


def test_personalised_packets_fill_in_chinese_names(zh_pdfs, tmp_path):
    """A roster's Chinese name is written into the packet's fields with the Chinese font, on every page."""
    from ladderbuild.forms.acroform import FilledTemplate, field_values

    template = FilledTemplate((zh_pdfs / "packets/annual-review--health-manager-2.pdf").read_bytes())
    filled = template.fill({"employee.name": "王小明", "manager.name": "李主管"}, title="年度评估材料包 — 王小明")
    (tmp_path / "filled.pdf").write_bytes(filled)
    pdf = PdfReader(str(tmp_path / "filled.pdf"))
    assert field_values(pdf)["employee.name"] == "王小明"
    assert pdf.metadata.title == "年度评估材料包 — 王小明"
    from pdf_render import drawn_text, fonts_without_a_file

    drawn = 0
    for page in pdf.pages:
        for ref in page.get("/Annots", []):
            widget = ref.get_object()
            field = widget.get("/Parent")
            group = field.get_object().get("/Parent") if field is not None else None
            if (group is not None and field.get_object().get("/T") == "name"
                    and group.get_object().get("/T") == "employee" and "/AP" in widget):
                # drawn with glyphs of a Chinese font the PDF embeds (not the viewer's STSong)
                drawn += drawn_text(widget["/AP"]["/N"].get_object()) == "王小明"
    assert drawn >= len(pdf.pages)  # the cover, each form's header and every page's footer
    assert fonts_without_a_file(tmp_path / "filled.pdf") == []


def test_build_stops_and_names_the_characters_when_no_font_has_them(tmp_path):
    """Without a CJK font, WeasyPrint would print the Chinese as nothing at all; the build refuses instead."""
    (tmp_path / "cache").mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                      "  <dir>/usr/share/fonts/truetype/dejavu</dir>\n"
                      f"  <cachedir>{tmp_path / 'cache'}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    listed = subprocess.run(["fc-list"], env={**os.environ, "FONTCONFIG_FILE": str(config)},
                            capture_output=True, text=True, check=True).stdout
    assert "DejaVu" in listed and "WenQuanYi" not in listed  # the test's premise: no Chinese font
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "ladderbuild.cli", "build", str(ZH), "-o", str(out), "-j", "1"],
                            env={**os.environ, "FONTCONFIG_FILE": str(config), "PYTHONPATH": str(REPO / "src")},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    reports = re.findall(r"^(content/\S+?):(\d+):(\d+): error \[missing-font\] (.*)$", result.stderr, re.M)
    assert reports, result.stderr
    named = set()
    for file, line, column, message in reports:
        chars = re.findall(r"(\S) \(U\+([0-9A-F]{4,6})\)", message)
        assert chars and all(ord(c) == int(code, 16) for c, code in chars), message
        source = (ZH / file).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        if "the interface language `zh-CN` needs" in message:  # characters only the catalogue uses
            assert source.startswith("locale: zh-CN"), (file, line, message)
        else:
            assert source[int(column) - 1] == chars[0][0], (file, line, message)  # listed in order of use
        named.update(c for c, _ in chars)
    assert {"健", "康"} & named or len(named) >= len(reports)
    assert "fonts-wqy-microhei" in result.stderr  # how to fix it
    assert not out.exists()  # nothing written


# --------------------------------------------------------------------------- Spanish: a locale override of the minimal framework


@lru_cache(maxsize=1)
def spanish(root: Path) -> Path:
    """The minimal framework with `locale: es`, its handbook and two of its PDFs built."""
    import shutil

    from conftest import build_site

    project = root / "minimal-es"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", project)
    edit(project, "framework.yaml", "locale: en", "locale: es")
    build_site(project, project / "output")
    render(project, project / "output", ["forms/annual--assistant-2.pdf", "packets/annual-review--assistant-2.pdf"])
    return project / "output"


@pytest.fixture(scope="module")
def es_output(tmp_path_factory) -> Path:
    return spanish(tmp_path_factory.mktemp("es"))


def test_spanish_handbook_pages(es_output):
    level = (es_output / urls.level("assistant-2")).read_text(encoding="utf-8")
    text = visible_text(level)
    assert '<html lang="es">' in level
    assert "Competencias esperadas" in text and "Requisitos" in text and "Buscar" in text
    assert "Al menos 12 meses como Assistant I" in text  # plural, with the author's level title
    assert "Versión 1.0, vigente desde el 1 de enero de 2026" in text
    assert not english_left(text, "es", content_text(es_output.parent)), english_left(text, "es")
    compare = visible_text((es_output / urls.COMPARE).read_text(encoding="utf-8"))
    assert "12 meses" in compare and "en un plazo de 12 meses" in compare
    months = json.loads(re.search(r'id="compare-months">(.*?)</script>',
                                  (es_output / urls.COMPARE).read_text(encoding="utf-8"), re.S).group(1))
    assert months["12"] == {"months": "12 meses", "within": "en un plazo de 12 meses"}


def test_spanish_forms(es_output):
    path = es_output / "forms/annual--assistant-2.pdf"
    pdf = PdfReader(str(path))
    total = len(pdf.pages)
    for index in range(total):
        assert f"Página {index + 1} de {total}" in page_text(pdf, index)
    text = pdf_text(path)
    for phrase in ("Calificación de cada competencia", "Etapa esperada: Competent", "Firmas", "Puntuación global",
                   "60 %", "vigente desde el 1 de enero de 2026", "Empleado:"):
        assert phrase in text, phrase
    assert str(pdf.trailer["/Root"]["/Lang"]) == "es"
    assert not english_left(text, "es", content_text(es_output.parent)), english_left(text, "es")
    packet = pdf_text(es_output / "packets/annual-review--assistant-2.pdf")
    assert "Complete los formularios en el orden indicado" in packet


# --------------------------------------------------------------------------- the font check's parts


def test_fontconfig_charsets_are_read_and_compared():
    from ladderbuild import fonts

    coverage = frozenset(fonts._parse_charset("20-7e a0-17f 4e00-4e2a"))
    assert 0x41 in coverage and 0x4E2A in coverage and 0x4E2B not in coverage
    text = "<p title=\"é\">一个\u200b丽\u00a0x</p>"  # a zero-width space and a no-break space need no glyph
    assert fonts.uncovered([text], coverage) == "丽"  # U+4E3D
    assert fonts.describe("两") == "1 character: 两 (U+4E24)"
    assert fonts.describe("一" * 14).endswith("and 2 more")
    with pytest.raises(fonts.MissingGlyphs) as raised:
        fonts.require_coverage(["\U0010fffd"])  # a private-use character no font has
    assert "U+10FFFD" in str(raised.value)
