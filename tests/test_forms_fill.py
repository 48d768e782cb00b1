"""Filling in: what a PDF viewer does (set values, save, open again), done with pypdf; and the fast
filler that personalised packets use."""

from __future__ import annotations

import io
import re
import subprocess

from pypdf import PdfReader, PdfWriter

from pdf_render import drawn_text
from ladderbuild.forms.acroform import FilledTemplate, field_values
from test_forms_support import built, reader


def _fill_like_a_viewer(path, values: dict[str, str]) -> PdfReader:
    writer = PdfWriter(clone_from=str(path))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return PdfReader(io.BytesIO(out.getvalue()))


def _full_name(annot) -> str:
    parts, node = [], annot
    while node is not None:
        if "/T" in node:
            parts.append(str(node["/T"]))
        node = node["/Parent"].get_object() if "/Parent" in node else None
    return ".".join(reversed(parts))


def test_fill_save_and_read_back_text_radio_and_checkbox(tmp_path):
    path = built("forms-all") / "forms/validation--assistant-2.pdf"
    filled = _fill_like_a_viewer(path, {
        "employee.name": "Ana Silva",
        "validation.vital-signs": "/met",
        "validation.scheduling": "/not-observed",
        "method.vital-signs.observation": "/Yes",
        "validator.vital-signs.initials": "ML",
    })
    values = field_values(filled)
    assert values["employee.name"] == "Ana Silva"
    assert values["validation.vital-signs"] == "met"
    assert values["validation.scheduling"] == "not-observed"
    assert values["method.vital-signs.observation"] == "Yes"
    assert values["method.vital-signs.return-demonstration"] == ""
    assert values["validator.vital-signs.initials"] == "ML"
    # the chosen button shows as chosen, the others do not
    states = {}
    for page in filled.pages:
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            if _full_name(annot) == "validation.vital-signs":
                on = [k for k in annot["/AP"]["/N"] if k != "/Off"][0]
                states[on] = str(annot["/AS"])
    assert states == {"/met": "/met", "/not-met": "/Off", "/not-observed": "/Off"}


def test_rating_round_trip_on_the_annual_evaluation():
    path = built("minimal") / "forms/annual--assistant-2.pdf"
    filled = _fill_like_a_viewer(path, {"rating.vital-signs": "/4", "rating.scheduling": "/na",
                                        "comment.vital-signs": "Teaches new staff.", "score.total": "3.45"})
    values = field_values(filled)
    assert (values["rating.vital-signs"], values["rating.scheduling"]) == ("4", "na")
    assert values["comment.vital-signs"] == "Teaches new staff."
    assert values["score.total"] == "3.45"
    assert values["goal.1.rating"] == ""


def test_blank_forms_carry_the_level_and_nothing_else():
    values = field_values(reader(built("minimal") / "forms/annual--lead.pdf"))
    assert values.pop("employee.level") == "Lead Assistant"
    assert not {k: v for k, v in values.items() if v}


def test_fast_filler_sets_values_and_appearances(tmp_path):
    path = built("minimal") / "packets/annual-review--assistant-1.pdf"
    template = FilledTemplate(path.read_bytes())
    data = template.fill({"employee.name": "Zoë O'Brien", "employee.id": "E-17", "manager.name": "Dr. Chen",
                          "review.period": "2026", "not.a.field": "ignored"}, title="Packet — Zoë O'Brien")
    assert data.startswith(path.read_bytes())  # an incremental update: the template is untouched
    pdf = PdfReader(io.BytesIO(data))
    values = field_values(pdf)
    assert values["employee.name"] == "Zoë O'Brien"
    assert values["employee.id"] == "E-17"
    assert values["manager.name"] == "Dr. Chen"
    assert pdf.metadata.title == "Packet — Zoë O'Brien"
    assert len(pdf.pages) == len(reader(path).pages)
    # every widget of the name (header, cover, footers, signatures) has an appearance showing the value
    name_widgets = [a.get_object() for page in pdf.pages for a in page["/Annots"]
                    if _full_name(a.get_object()) == "employee.name"]
    assert len(name_widgets) > len(pdf.pages)
    for annot in name_widgets:
        assert drawn_text(annot["/AP"]["/N"]) == "Zoë O'Brien"  # in the form's embedded font
    # a viewer can still fill the rest and save
    (tmp_path / "p.pdf").write_bytes(data)
    again = _fill_like_a_viewer(tmp_path / "p.pdf", {"annual.rating.vital-signs": "/3"})
    assert field_values(again)["annual.rating.vital-signs"] == "3"
    assert field_values(again)["employee.name"] == "Zoë O'Brien"


def test_poppler_reads_and_renders_a_filled_packet(tmp_path):
    path = built("minimal") / "packets/annual-review--lead.pdf"
    data = FilledTemplate(path.read_bytes()).fill({"employee.name": "Samuel Okafor", "review.period": "FY2026"})
    (tmp_path / "filled.pdf").write_bytes(data)
    result = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "2", str(tmp_path / "filled.pdf"), "-"],
                            capture_output=True, text=True, check=True)
    assert "Syntax Error" not in result.stderr
    info = subprocess.run(["pdfinfo", str(tmp_path / "filled.pdf")], capture_output=True, text=True, check=True)
    assert re.search(r"^Form:\s+AcroForm$", info.stdout, re.M), info.stdout
    assert re.search(rf"^Pages:\s+{len(reader(path).pages)}$", info.stdout, re.M), info.stdout
