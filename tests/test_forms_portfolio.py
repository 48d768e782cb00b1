"""The itemised points portfolio of the evidence section, and the levels a promotion packet's forms show."""

from __future__ import annotations

import io
import shutil

from click.testing import CliRunner
from pypdf import PdfReader

from ladderbuild.cli import main
from ladderbuild.forms.acroform import FilledTemplate, field_values
from test_forms_support import built, field_kinds, page_text, project_dir, reader

ITEM_PARTS = ("date", "activity", "units", "points", "proof")


def _text(pdf: PdfReader) -> str:
    return " ".join(page_text(pdf, i) for i in range(len(pdf.pages)))


def test_each_points_category_has_a_row_per_activity_a_subtotal_and_its_cap():
    pdf = reader(built("forms-all") / "forms/promotion--assistant-2.pdf")
    kinds = field_kinds(pdf)
    # teaching: 2 points each, at most 6 count -> 3 rows reach the cap; quality (no cap): 10 needed / 3 each -> 4
    for category, rows in (("teaching", 3), ("quality", 4)):
        listed = sorted({name.split(".")[2] for name in kinds if name.startswith(f"points.{category}.item-")})
        assert listed == [f"item-{n}" for n in range(1, rows + 1)], category
        for n in range(1, rows + 1):
            for part in ITEM_PARTS:
                assert kinds[f"points.{category}.item-{n}.{part}"][0] == "text", (category, n, part)
        assert kinds[f"points.{category}.points"][0] == "text"  # the subtotal keeps its name
        assert kinds[f"points.{category}.count"][0] == "text"
    assert kinds["points.total"][0] == "text" and kinds["points.categories"][0] == "text"
    text = _text(pdf)
    for words in ("Teaching", "2 points each, at most 6 count", "Subtotal, Teaching (at most 6)",
                  "Quality work", "3 points each", "Subtotal, Quality work", "Total points (at least 10 needed)",
                  "Date", "Activity", "Hours or units", "Proof"):
        assert words in text, words
    assert "Subtotal, Quality work (at most" not in text  # an uncapped category claims no cap


def test_a_filled_portfolio_reads_back_row_by_row():
    template = FilledTemplate((built("forms-all") / "forms/promotion--assistant-2.pdf").read_bytes())
    values = {"points.teaching.item-1.date": "03/04/2026", "points.teaching.item-1.activity": "Taught a CPR class",
              "points.teaching.item-1.units": "1", "points.teaching.item-1.points": "2",
              "points.teaching.item-1.proof": "Binder tab 3", "points.teaching.points": "2", "points.total": "2"}
    filled = field_values(PdfReader(io.BytesIO(template.fill(values))))
    assert {name: filled[name] for name in values} == values
    assert filled["points.teaching.item-2.activity"] == ""


def test_every_form_of_a_promotion_packet_shows_the_current_and_the_target_level():
    pdf = reader(built("forms-all") / "packets/promotion-review--assistant-2.pdf")
    kinds = field_kinds(pdf)
    values = field_values(pdf)
    # one shared field each, typed once: the level applied for is filled in, the level held is the only one
    # leading to it
    assert values["promotion.target-level"] == "Assistant II"
    assert values["employee.level"] == "Assistant I"
    assert [n for n in kinds if n.endswith(("current-level", "target-level"))] == ["promotion.target-level"]
    # each form (the validation checklist too, which has no target-level field of its own) labels both
    text = _text(pdf)
    assert text.count("Current level") >= 3 and text.count("Target level") >= 3  # the cover and the two forms
    # the portfolio is the target level's
    assert "points.teaching.item-1.activity" in {n.split(".", 1)[1] for n in kinds if n.startswith("promotion.")}


def test_a_personalised_promotion_packet_fills_both_levels(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(project_dir("forms-all"), project)
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,name,level,manager,target_level\nA1,Ana Silva,assistant-1,Dr. Chen,assistant-2\n",
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["packets", str(project), "--roster", str(roster), "--packet",
                                       "promotion-review", "-o", str(tmp_path / "out")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    values = field_values(PdfReader(tmp_path / "out/promotion-review/A1.pdf"))
    assert values["employee.level"] == "Assistant I"
    assert values["promotion.target-level"] == "Assistant II"
