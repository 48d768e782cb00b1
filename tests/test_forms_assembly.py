"""An assembled packet is the packet laid out whole: page for page, field for field.

A packet is assembled from the PDFs of its forms, laid out alone, and a cover laid out alone
(forms/assemble.py), so that each distinct page is laid out once. Here each assembled packet is compared
with the same packet laid out whole by WeasyPrint in one document (html.packet_html, the slow path kept
for this and for personal.reference_packet):

- the text of every page, as pdftotext and as pypdf read it: the footers' "Page X of Y" across the packet,
  the contents' page numbers, the "explained on page N" references (page numbers growing a digit too);
- every field: its full name, type, value, flags, tooltip, default appearance and states; every widget:
  its page, field, rectangle, state and appearance streams;
- the outline (titles and target pages) and the document information (title, the identity `scores` reads).

The differences allowed are the decided ones, and they are not in what is compared: the bytes (fonts are
subset per form; the numbers rewritten are drawn with the fields' font), the shape of the structure tree
(one Div of running strings per form) and the names of destinations. The whole layout is made from the
same views, so it also carries the one decided change to packets: each form prints its own scale legend
(test_each_form_keeps_its_legend_in_a_packet). The structure tree of an assembled packet is checked for
validity on its own: every marked-content id and annotation on a page reaches its element, and every
element its page.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from ladderbuild import urls
from ladderbuild.forms import form_tasks
from ladderbuild.forms.html import packet_html
from ladderbuild.forms.pdf import PacketTask, render_all, render_pdf
from ladderbuild.project import load_project
from test_forms_support import FIXTURES, REPO, built, framework, outline_pages, project_dir, widget_name

TWICE_PACKET = """\
id: twice
title: Four evaluations
forms: [annual, self, annual, annual, annual]
levels: [assistant-2]
"""


def pdftotext_pages(data: bytes) -> list[str]:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode("utf-8").split("\f")[:-1]


def pypdf_pages(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def _appearances(annot) -> tuple:
    ap = annot.get("/AP")
    if ap is None:
        return ()
    out = []
    for kind in ("/N", "/D"):
        states = ap.get_object().get(kind)
        if states is None:
            continue
        states = states.get_object()
        if hasattr(states, "get_data"):
            out.append((kind, "", states.get_data()))
        else:
            out += [(kind, str(state), states[state].get_object().get_data()) for state in sorted(states)]
    return tuple(out)


def describe(data: bytes) -> dict:
    """What a reader, a form tool and `scores` see in a PDF."""
    reader = PdfReader(io.BytesIO(data))
    fields = {name: (str(f.get("/FT")), str(f.get("/V", "")), int(f.get("/Ff", 0)), str(f.get("/TU", "")),
                     str(f.get("/DA", "")), tuple(sorted(str(s) for s in f.get("/_States_", []))))
              for name, f in (reader.get_fields() or {}).items()}
    widgets = []
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots", []) or []:
            annot = ref.get_object()
            if annot.get("/Subtype") == "/Widget":
                widgets.append((index, widget_name(annot), tuple(round(float(v), 2) for v in annot["/Rect"]),
                                str(annot.get("/AS", "")), _appearances(annot)))
    info = reader.metadata
    return {
        "sizes": [tuple(round(float(v), 2) for v in p.mediabox) for p in reader.pages],
        "pdftotext": pdftotext_pages(data),
        "pypdf": pypdf_pages(reader),
        "fields": fields,
        "widgets": widgets,
        "outline": outline_pages(reader),
        "info": {key: str(value) for key, value in info.items() if key not in ("/Producer",)},
    }


def assert_same(assembled: bytes, whole: bytes, headers: tuple[str, ...] = ()) -> dict:
    """`headers`: running header lines pdftotext may print in either order (see the Chinese test)."""
    got, want = describe(assembled), describe(whole)
    assert got["sizes"] == want["sizes"]
    for index, (a, b) in enumerate(zip(got["pdftotext"], want["pdftotext"])):
        if headers:
            a_lines, b_lines = a.splitlines(), b.splitlines()
            assert sorted(line for line in a_lines if line in headers) == \
                sorted(line for line in b_lines if line in headers), f"pdftotext, page {index + 1}: headers"
            a, b = ([line for line in lines if line not in headers] for lines in (a_lines, b_lines))
        assert a == b, f"pdftotext, page {index + 1}"
    for index, (a, b) in enumerate(zip(got["pypdf"], want["pypdf"])):
        assert a == b, f"pypdf, page {index + 1}"
    assert got["fields"].keys() == want["fields"].keys()
    for name in want["fields"]:
        assert got["fields"][name] == want["fields"][name], name
    assert len(got["widgets"]) == len(want["widgets"])
    for a, b in zip(got["widgets"], want["widgets"]):
        assert a == b
    assert got["outline"] == want["outline"]
    assert got["info"] == want["info"]
    return got


def assert_tagged(data: bytes) -> None:
    """The structure tree holds together: each page's marked content and annotations reach their elements
    through the parent tree, and every element belongs to the document's pages."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {page.obj.objgen for page in pdf.pages}
        root = pdf.Root.StructTreeRoot
        tree = dict(pikepdf.NumberTree(root.ParentTree).items())
        keys = set()
        for index, page in enumerate(pdf.pages):
            key = int(page.obj.StructParents)
            assert key not in keys
            keys.add(key)
            content = page.obj.Contents
            data = content.read_bytes() if isinstance(content, pikepdf.Stream) else b"".join(
                c.read_bytes() for c in content)
            marked = [int(m) for m in re.findall(rb"/MCID (\d+)", data)]
            assert marked, f"page {index + 1} has no tagged content"
            for mcid in marked:
                element = tree[key][mcid]
                assert "/S" in element
            for annot in page.obj.get("/Annots", ()):
                assert "/P" not in annot or annot.P.objgen == page.obj.objgen
                if "/StructParent" in annot:
                    assert int(annot.StructParent) not in keys
                    keys.add(int(annot.StructParent))
                    kids = tree[int(annot.StructParent)].K
                    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
                    assert any(k.get("/Type") == "/OBJR" and k.Obj.objgen == annot.objgen for k in kids
                               if isinstance(k, pikepdf.Dictionary))
        assert int(root.ParentTreeNextKey) > max(keys)

        def walk(element, parent) -> None:
            if not isinstance(element, pikepdf.Dictionary):
                return
            if element.get("/Type") in ("/MCR", "/OBJR"):
                assert element.Pg.objgen in pages
                return
            if parent is not None:
                assert element.P.objgen == parent.objgen
            if "/Pg" in element:
                assert element.Pg.objgen in pages
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid, element)

        documents = list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]
        assert [str(d.S) for d in documents] == ["/Document"]  # one element over the cover and every form
        walk(documents[0], None)


def assert_links_lead_where_they_say(data: bytes) -> None:
    """Every internal link names a destination the packet has; each line of the cover's contents leads to
    the page it prints, where its form starts (as the outline says)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        dests = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items())
        index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", ()):
                if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                    assert str(annot.Dest) in dests, str(annot.Dest)
        contents = {index[dests[str(a.Dest)][0].objgen] for a in pdf.pages[0].obj.Annots
                    if a.get("/Subtype") == "/Link"}
    reader = PdfReader(io.BytesIO(data))
    starts = {reader.get_destination_page_number(item) for item in reader.outline[1:] if not isinstance(item, list)}
    assert contents == starts
    cover = reader.pages[0].extract_text()
    assert all(re.search(rf"\b{page + 1}\b", cover) for page in starts)


def whole(project: Path, packet_id: str, level_id: str) -> bytes:
    loaded = load_project(project)
    fw = loaded.framework
    return render_pdf(packet_html(fw, fw.packet(packet_id), fw.level(level_id), paper=fw.meta.paper,
                                  templates=loaded.templates_dir))


def assembled(project: Path, out: Path, packet_id: str, level_id: str) -> bytes:
    loaded = load_project(project)
    tasks = [t for t in form_tasks(loaded.framework, out, templates=loaded.templates_dir)
             if t.path == out / urls.packet_pdf(packet_id, level_id)]
    assert len(tasks) == 1 and isinstance(tasks[0], PacketTask)
    render_all(tasks, jobs=1)
    return tasks[0].path.read_bytes()


@pytest.mark.parametrize("name, packet_id, level_id", [
    ("minimal", "annual-review", "assistant-2"),
    ("forms-all", "promotion-review", "assistant-2"),  # laid out for the target level; forms of its own
])
def test_assembled_packet_is_the_packet_laid_out_whole(name, packet_id, level_id):
    data = (built(name) / urls.packet_pdf(packet_id, level_id)).read_bytes()
    got = assert_same(data, whole(project_dir(name), packet_id, level_id))
    assert_tagged(data)
    assert_links_lead_where_they_say(data)
    total = len(got["sizes"])
    assert all(f"Page {i + 1} of {total}" in text for i, text in enumerate(got["pdftotext"]))


def test_a_form_bound_twice_and_page_numbers_that_grow_a_digit(tmp_path):
    """Five forms, the annual evaluation four times: its fields under annual., annual-2. …, its references
    to its legend's page renumbered past page 9 (a digit wider: the rest of the line moves)."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", project, ignore=shutil.ignore_patterns("output", ".ladderbuild-cache"))
    (project / "content/packets/twice.yaml").write_text(TWICE_PACKET, encoding="utf-8")
    data = assembled(project, tmp_path / "out", "twice", "assistant-2")
    got = assert_same(data, whole(project, "twice", "assistant-2"))
    assert_tagged(data)
    assert_links_lead_where_they_say(data)
    refs = [int(n) for text in got["pdftotext"] for n in re.findall(r"explained on page (\d+)\.", text)]
    assert max(refs) >= 10, refs  # the comparison covered numbers a digit longer than in the forms alone
    for prefix in ("annual.", "annual-2.", "annual-3.", "annual-4.", "self."):
        assert f"{prefix}rating.vital-signs" in got["fields"]
    assert "employee.name" in got["fields"] and "annual.employee.name" not in got["fields"]


def test_chinese_packet_is_the_packet_laid_out_whole(tmp_path):
    """The footer and the references are Chinese words around the numbers: drawn again with the fields'
    fonts (Chinese from a subset of a CJK face), they read back the same.

    One difference is allowed, and it is not assembly's: pdftotext orders the two running headers of a
    line (the framework at the left, the form at the right) by the fonts' bounding boxes, which WeasyPrint
    sets per document from the glyphs it subsets, so a Chinese form reads "form, framework" alone (and in
    an assembled packet) and "framework, form" inside a packet laid out whole. Each header line must be
    there; every other line must be the same, in the same order."""
    project = REPO / "examples" / "health-manager-zh"
    fw = load_project(project).framework
    data = assembled(project, tmp_path, "annual-review", "health-manager-2")
    level = fw.level("health-manager-2")
    headers = tuple(f"{fw.form(f).title} — {level.title}" for f in fw.packet("annual-review").forms)
    got = assert_same(data, whole(project, "annual-review", "health-manager-2"),
                      headers=headers + (next(line for line in describe(data)["pdftotext"][1].splitlines()
                                                if fw.meta.title in line),))
    assert "第 12 页，共 12 页" in got["pdftotext"][-1]
    assert_tagged(data)


def test_each_form_keeps_its_legend_in_a_packet():
    """The decided change from a packet laid out whole before: each form prints its scale's legend, so a form
    pulled out of a packet is whole. A packet is its cover and its forms' own pages, nothing shorter."""
    out = built("minimal")
    packet = PdfReader(str(out / "packets/annual-review--assistant-2.pdf"))
    forms = [PdfReader(str(out / f"forms/{f}--assistant-2.pdf")) for f in ("self", "annual")]
    assert len(packet.pages) == 1 + sum(len(f.pages) for f in forms)
    texts = [page.extract_text() for page in packet.pages]
    legend_pages = [i for i, text in enumerate(texts) if "4 · Exceeds" in text]  # a row of the legend
    # the self-assessment's legend, and the annual evaluation's again on its first page
    assert legend_pages == [1, 2]
    references = [int(page) for text in texts for page in re.findall(r"explained on page (\d+)\.", text)]
    assert references and set(references) <= {2, 3}


def test_a_form_and_the_packets_binding_it_are_laid_out_once(tmp_path):
    """Each distinct page laid out once: the forms of the level, and a packet binding two of them, lay out
    the forms' pages and the packet's cover, nothing more; the packet's pages are the forms' pages."""
    fw = framework("minimal")
    tasks = [t for t in form_tasks(fw, tmp_path)
             if t.path.name.endswith("--assistant-2.pdf") and (t.path.parent.name == "packets" or
                                                              t.path.stem.split("--")[0] in ("self", "annual"))]
    assert {t.path.relative_to(tmp_path).as_posix() for t in tasks} == {
        "forms/self--assistant-2.pdf", "forms/annual--assistant-2.pdf", "packets/annual-review--assistant-2.pdf"}
    stats = render_all(tasks, jobs=1)
    pages = {t.path.name: len(PdfReader(str(t.path)).pages) for t in tasks}
    forms = pages["self--assistant-2.pdf"] + pages["annual--assistant-2.pdf"]
    assert pages["annual-review--assistant-2.pdf"] == forms + 1
    assert stats.pages_laid_out == forms + 1 and stats.pages_laid_out_again == 0
    assert stats.pages_written == 2 * forms + 1
    assert sorted(Path(p).name for p in stats.rendered) == sorted(pages)
