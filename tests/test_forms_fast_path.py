"""A personalised packet from the fast path (the level's packet laid out once, then filled for the
employee by an incremental update) is the packet the slow path gives (the employee's packet laid
out from HTML with their values already in the fields): same pages, same text, same fields with
the same values and appearances, same outline and title."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from pypdf import PdfReader

from ladderbuild.forms.personal import iter_employees, personal_packets, reference_packet, scan_roster
from test_forms_support import FIXTURES, framework, outline_pages, project_dir, widget_name

ROSTER = FIXTURES / "rosters/minimal.csv"


def _inherited(annot, key: str):
    node = annot
    while node is not None:
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def _appearance(annot) -> tuple:
    """What a viewer draws for the widget: its state and each appearance stream's drawing operators."""
    normal = annot.get("/AP", {}).get("/N")
    if normal is None:
        return ()
    normal = normal.get_object()
    if hasattr(normal, "get_data"):  # one stream (a text field)
        return (("", normal.get_data(), tuple(float(v) for v in normal["/BBox"])),)
    return tuple((str(state), normal[state].get_object().get_data()) for state in sorted(normal))


def describe(data: bytes) -> dict:
    """Everything a person or a form tool sees in the packet, keyed so two files can be compared."""
    reader = PdfReader(io.BytesIO(data))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = [page.extract_text() for page in pdf.pages]
    widgets = []
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots", []) or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget":
                continue
            widgets.append((index, widget_name(annot), str(_inherited(annot, "/FT")),
                            str(_inherited(annot, "/V")), str(annot.get("/AS", "")),
                            tuple(round(float(v), 2) for v in annot["/Rect"]), _appearance(annot)))
    fields = {name: (str(f.get("/FT")), str(f.get("/V", "")), int(f.get("/Ff", 0)), str(f.get("/TU", "")),
                     str(f.get("/DA", "")))
              for name, f in (reader.get_fields() or {}).items()}
    return {
        "pages": len(reader.pages),
        "sizes": [tuple(float(v) for v in p.mediabox) for p in reader.pages],
        "text": text,
        "fields": fields,
        "widgets": widgets,
        "outline": outline_pages(reader),
        "title": reader.metadata.title,
    }


@pytest.mark.parametrize("packet_id, row", [("annual-review", 0), ("annual-review", 1),
                                            ("promotion-review", 0)])
def test_fast_path_packet_is_the_slow_path_packet(tmp_path, packet_id, row):
    fw = framework("forms-all")
    templates = project_dir("forms-all") / "templates"
    templates = templates if templates.is_dir() else None
    scan = scan_roster(fw, ROSTER, packet_id if packet_id != "promotion-review" else None)
    # Zoë O'Brien (assistant-1; her promotion packet is for assistant-2), "Nguyen, Thi Minh" (assistant-2)
    employee = list(iter_employees(fw, ROSTER))[row]
    fast_file = next(p for p in personal_packets(fw, [employee], tmp_path, packet=packet_id, period="FY 2026",
                                                 templates=templates)
                     if p.parent.name == packet_id)
    fast = describe(fast_file.read_bytes())
    slow = describe(reference_packet(fw, packet_id, employee, period="FY 2026", templates=templates))

    assert scan.valid == 3
    assert fast["fields"]["employee.name"][1] == employee.name  # the fill did happen …
    assert fast["fields"]["review.period"][1] == "FY 2026"
    assert fast["pages"] == slow["pages"] and fast["sizes"] == slow["sizes"]
    assert fast["text"] == slow["text"]
    assert fast["fields"] == slow["fields"]
    assert fast["widgets"] == slow["widgets"]  # … on every widget, with the same appearance
    assert fast["outline"] == slow["outline"] and fast["outline"]
    assert fast["title"] == slow["title"] == f"{fw.packet(packet_id).title} — {employee.name}"
    named = [w for w in fast["widgets"] if w[1] == "employee.name"]
    assert len(named) >= fast["pages"]  # the name is on the cover and in every page's footer
    assert all(w[3] == employee.name and w[6] for w in named)


def test_describe_tells_packets_apart(tmp_path):
    """The comparison above can fail: the same employee's packet for another period differs in it."""
    fw = framework("forms-all")
    employee = next(iter_employees(fw, ROSTER))
    a, b = (describe(next(iter(personal_packets(fw, [employee], tmp_path / period, packet="annual-review",
                                                period=period))).read_bytes())
            for period in ("FY 2026", "FY 2027"))
    assert a["text"] == b["text"]
    assert a["fields"] != b["fields"] and a["widgets"] != b["widgets"]
