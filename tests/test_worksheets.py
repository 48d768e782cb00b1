"""The XLSX worksheets, read back with openpyxl, their score formulas evaluated as a spreadsheet would
(the `formulas` library), and compared with scoring.py's rule for the same ratings."""

from __future__ import annotations

import csv
import random
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from conftest import FIXTURES, REPO
from helpers import edit

from ladderbuild.project import load_project
from ladderbuild import scoring
from ladderbuild.model import EvaluationModel, EvaluationSection
from ladderbuild.scoring import Rated, score_level
from ladderbuild.worksheets import FIRST_ROW, labels, rows, write_csv_file, write_workbook

ZH = REPO / "examples" / "health-manager-zh"
RATING, ANCHOR, EVIDENCE, DATE = 5, 4, 7, 8  # 1-based columns


# --------------------------------------------------------------------------- the rule itself


def _model(*weights: tuple[str, float]) -> EvaluationModel:
    return EvaluationModel(sections=[EvaluationSection(id=source, label=source, weight=weight, source=source)
                                     for source, weight in weights])


def _rated(*values) -> list[Rated]:
    """Ratings in order; None is N/A, "" is left blank."""
    return [Rated(str(i), None if v in (None, "") else v, not_applicable=v is None) for i, v in enumerate(values)]


def test_the_rule_leaves_out_na_and_unrated_sections_and_rounds_half_up():
    scale = load_project(FIXTURES / "minimal").framework.evaluation_scale
    # (4 + 2) / 2 = 3 at 60 %, goals 4 at 25 %, values all N/A: left out, weights scaled to 60:25.
    model = _model(("competencies", 60), ("goals", 25), ("values", 15))
    score = scoring.score(model, scale, {"competencies": _rated(4, None, 2), "goals": _rated(4),
                                         "values": _rated(None)})
    assert [s.average for s in score.sections] == [3.0, 4.0, None]
    assert [s.rated for s in score.sections] == [2, 1, 0]
    assert score.overall == scoring.round_half_up(Fraction(3 * 60 + 4 * 25, 85), 2) == Decimal("3.29")
    assert score.reweighted and not score.provisional
    assert scoring.score(_model(("goals", 100)), scale, {"goals": _rated(None, None)}).overall is None
    blank = scoring.score(_model(("goals", 50), ("values", 50)), scale, {"goals": _rated(1, 2), "values": _rated(3, "")})
    assert blank.overall == Decimal("2.25") and blank.provisional  # a blank is left out, and says so
    # Exact arithmetic, halves up: 3.745 is 3.75 (binary floating point would give 3.74).
    assert scoring.round_half_up(Fraction(3745, 1000), 2) == Decimal("3.75")
    assert scoring.round_half_up(2.675, 2) == Decimal("2.68")  # the float 2.675 read as written


# --------------------------------------------------------------------------- reading a worksheet back


def evaluate(path: Path) -> dict[str, object]:
    """Every cell's value as a spreadsheet computes it: 'SHEET!A1' → value."""
    import formulas

    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    values = {}
    for key, cell in solution.items():
        name = key.split("]", 1)[-1].replace("'", "")
        if ":" in name:
            continue
        value = cell.value[0][0] if hasattr(cell, "value") else cell
        values[name.upper()] = value.item() if hasattr(value, "item") else value
    return values


def fill(path: Path, out: Path, fw, level, seed: int, empty_sources: tuple[str, ...] = ()) -> dict:
    """Rate every row at random (some N/A, some left blank), as a person would; returns the ratings."""
    rng = random.Random(seed)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    scale = fw.evaluation_scale
    ratings = {}
    for r, item in enumerate(rows(fw, level, labels(fw.meta.locale)), FIRST_ROW + 1):
        assert sheet.cell(r, 2).value == item.item
        choices = ([scale.top_value, min(p.value for p in scale.points)] if item.source == "kpis"  # met / not met
                   else [p.value for p in scale.points])
        choice = None if item.source in empty_sources else rng.choice(choices * 3 + [scale.not_applicable.label, None])
        if choice is not None:
            sheet.cell(r, RATING).value = choice
        ratings[(item.source, item.id)] = choice if isinstance(choice, int) else None
    book.save(out)
    return ratings


CASES = [
    (FIXTURES / "minimal", "assistant-2", 1, ()),
    (REPO, "ma-2", 2, ()),
    (REPO, "ma-3", 3, ("goals",)),  # no goal rated: the goals' weight goes to the other sections
    (ZH, "health-manager-2", 4, ()),  # a model with indicators (客户维度) and domain-limited sections
]


@pytest.mark.parametrize(("project", "level_id", "seed", "empty"), CASES, ids=[c[1] for c in CASES])
def test_the_score_formula_gives_the_documented_rule(tmp_path, project, level_id, seed, empty):
    fw = load_project(project).framework
    level = fw.level(level_id)
    blank = write_workbook(fw, level, tmp_path / "blank.xlsx")
    ratings = fill(blank, tmp_path / "filled.xlsx", fw, level, seed, empty)
    expected = score_level(fw, level, ratings)
    assert expected.overall is not None
    values = evaluate(tmp_path / "filled.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "filled.xlsx").worksheets[0]
    total = next(c.row for c in sheet["A"] if c.value == labels(fw.meta.locale).overall)
    name = sheet.title.upper()
    assert values[f"{name}!D{total}"] == pytest.approx(float(expected.overall), abs=1e-9)
    first = total - len(expected.sections)
    for offset, section in enumerate(expected.sections):
        average = values[f"{name}!D{first + offset}"]
        assert values[f"{name}!C{first + offset}"] == section.rated
        if section.average is None:
            assert average in ("", None)
        else:
            assert average == pytest.approx(section.average, abs=1e-12)


def test_an_empty_worksheet_has_no_score(tmp_path):
    fw = load_project(FIXTURES / "minimal").framework
    path = write_workbook(fw, fw.level("assistant-1"), tmp_path / "w.xlsx")
    values = evaluate(path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    total = next(c.row for c in sheet["A"] if c.value == "Overall score")
    assert values[f"{sheet.title.upper()}!D{total}"] in ("", None)


# --------------------------------------------------------------------------- what the sheet holds


def test_one_row_per_expected_competency_with_its_stage_anchor_and_a_scale_dropdown(tmp_path):
    fw = load_project(REPO).framework
    level = fw.level("ma-2")
    path = write_workbook(fw, level, tmp_path / "ma-2.xlsx")
    book = openpyxl.load_workbook(path)
    sheet, scale_sheet = book.worksheets
    header = [c.value for c in sheet[FIRST_ROW]]
    assert header == ["Area", "Item", "Expected", "What it looks like", "Rating", "Meaning", "Evidence", "Date"]
    expected = fw.expectations(level)
    body = list(sheet.iter_rows(min_row=FIRST_ROW + 1, max_row=FIRST_ROW + len(expected), values_only=True))
    assert [(r[0], r[1], r[2], r[3]) for r in body] == [
        (fw.domain(e.competency.domain).name, e.competency.name, e.stage.label, e.competency.anchors[e.stage.id])
        for e in expected]
    # then the goals and values the evaluation model scores, in its order
    after = [r[1] for r in sheet.iter_rows(min_row=FIRST_ROW + len(expected) + 1, values_only=True)][:8]
    assert after[:3] == ["Goal 1", "Goal 2", "Goal 3"]
    assert after[3:8] == [v.name for v in fw.meta.values]

    # the drop-down offers the scale and N/A, from the Scale sheet
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert len(lists) == 1
    assert str(lists[0].sqref) == f"E{FIRST_ROW + 1}:E{FIRST_ROW + len(body) + 8}"
    assert lists[0].formula1 == f"{scale_sheet.title}!$A$2:$A$6"
    assert [scale_sheet.cell(r, 1).value for r in range(2, 7)] == [4, 3, 2, 1, "N/A"]
    assert [scale_sheet.cell(r, 2).value for r in range(2, 6)] == [p.label for p in fw.evaluation_scale.ordered_points]
    assert lists[0].showErrorMessage


def test_template_cells_are_locked_and_the_page_prints_landscape_one_page_wide(tmp_path):
    fw = load_project(REPO).framework
    path = write_workbook(fw, fw.level("ma-1"), tmp_path / "ma-1.xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.protection.sheet
    row = FIRST_ROW + 1
    for column in (1, 2, 3, 4, 6):  # area, item, expected, anchor, meaning: the template
        assert sheet.cell(row, column).protection.locked, column
    for column in (RATING, EVIDENCE, DATE):  # what a person fills in
        assert not sheet.cell(row, column).protection.locked, column
    assert sheet.cell(row, DATE).number_format == "yyyy-mm-dd"
    total = next(c.row for c in sheet["A"] if c.value == "Overall score")
    assert sheet.cell(total, 4).protection.locked and sheet.cell(total, 4).data_type == "f"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 1  # letter, as the framework says
    # one page wide (1 is the attribute's default, so it may be left out), as many pages tall as needed
    assert (sheet.page_setup.fitToWidth or 1) == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${FIRST_ROW}:${FIRST_ROW}"
    assert "Page &P of &N" in sheet.oddFooter.center.text
    assert sheet.freeze_panes == f"A{FIRST_ROW + 1}"


def test_the_csv_holds_the_same_rows(tmp_path):
    fw = load_project(ZH).framework
    level = fw.level("health-manager-1")
    book = openpyxl.load_workbook(write_workbook(fw, level, tmp_path / "w.xlsx"))
    sheet = book.worksheets[0]
    assert sheet.title == labels(fw.meta.locale).sheet != "Worksheet"  # the framework's language
    path = write_csv_file(fw, level, tmp_path / "w.csv")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header, *body = list(csv.reader(handle))
    assert header[1:] == [c.value for c in sheet[FIRST_ROW] if c.column != 6]  # no formula column
    items = rows(fw, level, labels(fw.meta.locale))
    assert [r[0] for r in body] == [f"{i.source}/{i.id}" for i in items]
    xlsx_rows = list(sheet.iter_rows(min_row=FIRST_ROW + 1, max_row=FIRST_ROW + len(items), values_only=True))
    assert [r[1:5] for r in body] == [[c or "" for c in r[:4]] for r in xlsx_rows]
    assert any(i.source == "kpis" for i in items)  # 客户维度 is scored on the level's indicators


def test_content_text_never_becomes_a_formula(project_copy, tmp_path):
    project = project_copy()
    edit(project, "competencies/vital-signs.yaml", "competent: Measures vital signs independently and flags abnormal values.",
         """competent: '=HYPERLINK("http://x","y")'""")
    fw = load_project(project).framework
    path = write_workbook(fw, fw.level("assistant-2"), tmp_path / "w.xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    anchors = [sheet.cell(r, ANCHOR) for r in range(FIRST_ROW + 1, FIRST_ROW + 3)]
    assert any(str(c.value).startswith("=HYPERLINK") for c in anchors)
    assert all(c.data_type == "s" for c in anchors)
    csv_path = write_csv_file(fw, fw.level("assistant-2"), tmp_path / "w.csv")
    assert "'=HYPERLINK" in csv_path.read_text(encoding="utf-8-sig")


def test_the_same_content_gives_the_same_bytes(tmp_path):
    fw = load_project(REPO).framework
    first = write_workbook(fw, fw.level("lead-ma"), tmp_path / "a.xlsx").read_bytes()
    second = write_workbook(fw, fw.level("lead-ma"), tmp_path / "b.xlsx").read_bytes()
    assert first == second


def test_a_long_title_keeps_the_printed_header(project_copy, tmp_path):
    import warnings

    project = project_copy()
    # 192 characters: within check's 200-character limit for names, past the 100 the header keeps
    edit(project, "framework.yaml", "title: Example Clinic Career Ladder", "title: " + "Career & ladder " * 12)
    fw = load_project(project).framework
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # XlsxWriter warns, and drops the header, past 255 characters
        path = write_workbook(fw, fw.level("lead"), tmp_path / "w.xlsx")
    header = openpyxl.load_workbook(path).worksheets[0].oddHeader
    left = header.left.text.replace("&&", "&")  # "&&" is how a header writes "&"; openpyxl leaves it so
    assert left.startswith("Career & ladder Career") and left.endswith("…") and len(left) == 100
    assert header.right.text == "Lead Assistant"
