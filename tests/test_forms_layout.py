"""Layout: paper size, running header and footer, nothing outside the margins, blocks kept whole,
outline and metadata."""

from __future__ import annotations

import re

import pdfplumber
import pytest

from test_forms_support import (
    A4, LETTER, MARGIN_X, built, framework, outline_titles, page_text, reader, widgets_by_field,
)

ALL_FORMS = ["annual--assistant-2", "self--lead", "validation--assistant-2", "promotion--assistant-2",
             "plan--assistant-1", "ninety--assistant-1", "peer--lead"]


def test_letter_by_default_and_a4_by_setting():
    letter = reader(built("minimal") / "forms/annual--assistant-1.pdf")
    a4 = reader(built("minimal", "a4") / "forms/annual--assistant-1.pdf")
    for page in letter.pages:
        assert [round(float(v), 1) for v in page.mediabox] == [0, 0, *LETTER]
    for page in a4.pages:
        assert [round(float(v), 1) for v in page.mediabox] == [0, 0, round(A4[0], 1), round(A4[1], 1)]


@pytest.mark.parametrize("name", ALL_FORMS)
def test_running_header_and_footer_on_every_page(name):
    pdf = reader(built("forms-all") / f"forms/{name}.pdf")
    fw = framework("forms-all")
    form_id, level_id = name.split("--")
    title = f"{fw.form(form_id).title} — {fw.level(level_id).title}"
    total = len(pdf.pages)
    for index in range(total):
        text = page_text(pdf, index)
        assert "Example Clinic Career Ladder · version 1.0" in text
        assert title in text
        assert f"Page {index + 1} of {total}" in text
        assert "Employee:" in text


@pytest.mark.parametrize("name", ALL_FORMS + ["packets/annual-review--assistant-2", "packets/promotion-review--assistant-2"])
def test_nothing_is_printed_outside_the_margins(name):
    path = built("forms-all") / (f"{name}.pdf" if "/" in name else f"forms/{name}.pdf")
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            assert page.chars, "a page without text"
            for char in page.chars:
                where = f"page {page.page_number}: {char['text']!r} at x {char['x0']:.1f}–{char['x1']:.1f}"
                assert char["x0"] >= MARGIN_X - 0.5, where
                assert char["x1"] <= page.width - MARGIN_X + 0.5, where
                assert 0 <= char["top"] and char["bottom"] <= page.height, where
            for rect in page.rects:
                assert rect["x0"] >= MARGIN_X - 1 and rect["x1"] <= page.width - MARGIN_X + 1, rect
    pdf = reader(path)
    for page in pdf.pages:
        width = float(page.mediabox.width)
        for annot in page.get("/Annots", []):
            x0, _, x1, _ = (float(v) for v in annot.get_object()["/Rect"])
            assert x0 >= MARGIN_X - 0.5 and x1 <= width - MARGIN_X + 0.5, annot.get_object().get("/T")


def test_a_competency_block_never_splits_across_pages():
    """Each competency's name, anchor, rating buttons and comment box are on one page."""
    fw = framework("forms-all")
    for name in ("annual--lead", "self--assistant-2", "promotion--lead", "validation--lead"):
        pdf = reader(built("forms-all") / f"forms/{name}.pdf")
        widgets = widgets_by_field(pdf)
        level = fw.level(name.split("--")[1])
        for exp in fw.expectations(level):
            cid = exp.competency.id
            prefix = "validation" if name.startswith("validation") else "rating"
            pages = set(widgets[f"{prefix}.{cid}"])
            if prefix == "rating":
                pages |= set(widgets[f"comment.{cid}"])
            else:
                pages |= set(widgets[f"validator.{cid}.date"])
            assert len(pages) == 1, f"{name}: {cid} is spread over pages {sorted(pages)}"
            assert exp.competency.name in page_text(pdf, pages.pop())


def test_anchor_text_for_the_expected_stage_is_printed_beside_the_rating():
    fw = framework("minimal")
    for level in fw.levels:
        pdf = reader(built("minimal") / f"forms/annual--{level.id}.pdf")
        text = " ".join(page_text(pdf, i) for i in range(len(pdf.pages)))
        for exp in fw.expectations(level):
            anchor = " ".join(exp.competency.anchors[exp.stage.id].split())
            # the competency's name and the stage expected head the item; the anchor follows
            assert f"{exp.competency.name} Expected stage: {exp.stage.label} {anchor}" in text
        # the scale's point descriptions are printed once, in the legend, and every rating row names the points
        assert text.count("4 · Exceeds* Consistently beyond the level.") == 1
        assert text.count("4 Exceeds* 3 Meets 2 Partially meets* 1 Does not meet* N/A") >= len(fw.expectations(level))


def test_weighted_score_worksheet_prints_weights_and_formula():
    pdf = reader(built("minimal") / "forms/annual--assistant-1.pdf")
    text = " ".join(page_text(pdf, i) for i in range(len(pdf.pages)))
    assert re.search(r"Competencies Average of the competency ratings 60%", text)
    assert "Goals Average of the goal ratings 25%" in text
    assert "Values Average of the values ratings 15%" in text
    assert "Overall score = (Competencies × 60 + Goals × 25 + Values × 15) ÷ 100" in text
    assert "on the same 1–4 scale as the ratings" in text


def test_employee_signature_acknowledges_receipt_not_agreement_on_evaluations_only():
    annual = reader(built("minimal") / "forms/annual--assistant-1.pdf")
    last = page_text(annual, len(annual.pages) - 1)
    assert "have received this form and discussed it with my manager" in last
    assert "does not mean that I agree with it" in last.lower() or "It does not mean that I agree" in last
    self_form = reader(built("minimal") / "forms/self--assistant-1.pdf")
    text = " ".join(page_text(self_form, i) for i in range(len(self_form.pages)))
    assert "discussed it with my manager" not in text  # the employee wrote this one


def test_outline_has_the_form_and_its_sections():
    pdf = reader(built("minimal") / "forms/annual--assistant-2.pdf")
    assert outline_titles(pdf) == [
        (1, "Annual evaluation"), (2, "Employee information"), (2, "Competency ratings"),
        (3, "Clinical care"), (3, "Administration"), (2, "Review of goals"), (2, "Values and behaviours"), (2, "Weighted evaluation"), (2, "Strengths"),
        (2, "Signatures"),
    ]


def test_document_title_language_and_fixed_dates_in_metadata():
    pdf = reader(built("minimal") / "forms/annual--assistant-2.pdf")
    meta = pdf.metadata
    assert meta.title == "Annual evaluation — Assistant II"
    assert meta.author == "Example Clinic"
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20260101000000Z"  # the framework's effective date
    assert str(pdf.trailer["/Root"]["/Lang"]) == "en"
