"""Worksheets: an XLSX per level for self-tracking and promotion cases, and a CSV of the same rows.

One row per item the level is rated on — every competency it expects (area,
expected stage, the anchor for that stage), then the values, goals and
indicators its evaluation model scores — with a rating cell whose drop-down
offers the evaluation scale (and N/A where the scale allows it), and columns
for evidence and its date. Below the rows, the weighted score of
scoring.py's rule as live formulas, so the sheet scores itself as people
rate. Every cell but the ones to fill in is locked; the page is set up to
print landscape, one page wide, the header row repeated.

Written with XlsxWriter (`strings_to_formulas` off: content text can never
become a formula). Its document dates come from the framework, never the
clock, so the same content gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from . import i18n, urls
from .csvsafe import write_csv
from .markdown import plain_text
from .resolve import Framework, Level
from .scoring import evaluation_items, evaluation_model

COLUMNS = ("area", "item", "expected", "anchor", "rating", "meaning", "evidence", "date")
WIDTHS = {"area": 22, "item": 30, "expected": 16, "anchor": 60, "rating": 9, "meaning": 24, "evidence": 40,
          "date": 12}
FIRST_ROW = 6  # 0-based row of the first item; the header row is just above it


@dataclass(frozen=True)
class Row:
    """One rated line of the worksheet (and of the CSV)."""

    source: str  # competencies | values | goals | kpis
    id: str
    area: str  # the competency's domain, or the evaluation section that rates it
    item: str
    expected: str  # the expected stage; an indicator's target
    anchor: str  # what it looks like at that stage; a value's description; an indicator's definition
    fill_anchor: bool = False  # the anchor cell is for the person to write in (a goal)


@dataclass(frozen=True)
class Labels:
    """The words a worksheet adds, in the framework's language."""

    sheet: str
    scale_sheet: str
    columns: dict
    goal: str  # "Goal %(number)s"
    name: str
    period: str
    instructions: str
    scale_columns: tuple[str, str, str]
    score_columns: tuple[str, ...]
    overall: str
    rule: str  # %(decimals)s: the evaluation's decimals
    met: str
    not_met: str
    choose_met: str
    target: str
    choose: str
    choose_title: str
    page: str
    score_title: str
    competencies: str  # the one section of a framework without an evaluation model


def labels(locale: str) -> Labels:
    _ = i18n.translations_for(locale).gettext
    return Labels(
        sheet=_("Worksheet"), scale_sheet=_("Scale"),
        columns={"area": _("Area"), "item": _("Item"), "expected": _("Expected"), "anchor": _("What it looks like"),
                 "rating": _("Rating"), "meaning": _("Meaning"), "evidence": _("Evidence"), "date": _("Date")},
        goal=_("Goal %(number)s"), name=_("Name"), period=_("Review period"),
        instructions=_("Rate each row with the drop-down in the Rating column (the Scale sheet says what each "
                       "rating means); N/A leaves a row out of the score. Note the evidence and its date. "
                       "The score below updates as you rate."),
        scale_columns=(_("Rating"), _("Label"), _("Description")),
        score_columns=(_("Section"), _("Weight"), _("Rated"), _("Average rating"), _("Counted weight"),
                       _("Share of the score")),
        overall=_("Overall score"),
        rule=_("Each section scores the average of its ratings, leaving out N/A. An indicator that is met counts "
               "as the top rating, one that is not met as the lowest. A section with no rating is left out and "
               "the weights of the others are scaled up in proportion. The overall score is the sum of the "
               "shares, rounded half up to %(decimals)s decimals."),
        met=_("Met"), not_met=_("Not met"),
        target=_("Target %(target)s: %(numerator)s ÷ %(denominator)s"),
        choose=_("Choose a rating from the list; see the Scale sheet for what each one means."),
        choose_title=_("Rating"),
        choose_met=_("Choose the top rating if the indicator's target was met, the lowest if it was not."),
        page=_("Page %(page)s of %(pages)s") % {"page": "&P", "pages": "&N"},
        score_title=_("Weighted score"),
        competencies=_("Competencies"),
    )


def rows(fw: Framework, level: Level, words: Labels) -> list[Row]:
    """Every rated line at `level`: the competencies it expects (all of them, scored or not), then the
    other items its evaluation model rates, each once."""
    out = [Row("competencies", e.competency.id, fw.domain(e.competency.domain).name, e.competency.name,
               e.stage.label, e.competency.anchors.get(e.stage.id, "")) for e in fw.expectations(level)]
    seen = {(r.source, r.id) for r in out}
    values = {v.id: v for v in fw.meta.values}
    kpis = {k.id: k for k in level.kpis}
    for scored in evaluation_items(fw, level, words.competencies):
        for item in scored.items:
            if (item.source, item.id) in seen:
                continue
            seen.add((item.source, item.id))
            area = scored.section.label
            if item.source == "values":
                out.append(Row("values", item.id, area, item.name, "", plain_text(values[item.id].description)))
            elif item.source == "goals":
                out.append(Row("goals", item.id, area, words.goal % {"number": item.id}, "", "", fill_anchor=True))
            elif item.source == "kpis":
                k = kpis[item.id]
                definition = words.target % {"target": k.target, "numerator": k.numerator, "denominator": k.denominator}
                out.append(Row("kpis", item.id, area, item.name, k.target, definition))
    return out


def csv_rows(fw: Framework, level: Level, words: Labels) -> tuple[list[str], list[list[str]]]:
    """The CSV's header and rows: the worksheet's rows with their ids, and empty cells to fill in."""
    header = ["id"] + [words.columns[c] for c in COLUMNS if c != "meaning"]
    return header, [[f"{r.source}/{r.id}", r.area, r.item, r.expected, r.anchor, "", "", ""]
                    for r in rows(fw, level, words)]


def created(fw: Framework) -> dt.datetime:
    """The workbook's creation date: SOURCE_DATE_EPOCH when set, else the framework's effective date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime.combine(fw.meta.effective, dt.time(0, 0))


def _text(value: str) -> str:
    """A string literal in a formula."""
    return '"' + value.replace('"', '""') + '"'


def _runs(rows_: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers → (first, last) of each run of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in sorted(rows_):
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def write_workbook(fw: Framework, level: Level, path: Path, paper: str | None = None) -> Path:
    """Write the level's XLSX worksheet to `path`."""
    import xlsxwriter
    from xlsxwriter.utility import quote_sheetname, xl_col_to_name, xl_rowcol_to_cell

    words = labels(fw.meta.locale)
    items = rows(fw, level, words)
    scale = fw.evaluation_scale
    path.parent.mkdir(parents=True, exist_ok=True)
    # in_memory: no temporary file per part (removing them was half the time of a workbook)
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False, "in_memory": True})
    book.set_properties({"title": f"{level.title} — {words.sheet}", "subject": fw.meta.title,
                         "author": fw.meta.organisation, "company": fw.meta.organisation,
                         "comments": f"{fw.meta.title} {fw.meta.version}", "created": created(fw)})
    fmt = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "muted": book.add_format({"font_color": "#555555"}),
        "label": book.add_format({"bold": True}),
        "input": book.add_format({"locked": False, "bottom": 1, "bg_color": "#FFFDE7"}),
        "head": book.add_format({"bold": True, "bg_color": "#E8EEF4", "bottom": 1, "text_wrap": True,
                                 "valign": "top"}),
        "cell": book.add_format({"text_wrap": True, "valign": "top"}),
        "fill": book.add_format({"text_wrap": True, "valign": "top", "locked": False, "bg_color": "#FFFDE7"}),
        "rating": book.add_format({"locked": False, "bg_color": "#FFFDE7", "align": "center", "valign": "top",
                                   "border": 1}),
        "date": book.add_format({"locked": False, "bg_color": "#FFFDE7", "valign": "top",
                                 "num_format": "yyyy-mm-dd"}),
        "percent": book.add_format({"num_format": "0.##%"}),
        "number": book.add_format({"num_format": "0.00"}),
        "total": book.add_format({"bold": True, "num_format": "0.00", "top": 1}),
        "total_label": book.add_format({"bold": True, "top": 1}),
        "note": book.add_format({"text_wrap": True, "valign": "top", "font_color": "#555555"}),
    }
    sheet = book.add_worksheet(words.sheet[:31])
    scale_sheet = book.add_worksheet(words.scale_sheet[:31])
    col = {name: i for i, name in enumerate(COLUMNS)}

    # The scale: what each rating means, and the list the drop-downs offer.
    for c, text in enumerate(words.scale_columns):
        scale_sheet.write_string(0, c, text, fmt["head"])
    points = [(p.value, p.label, plain_text(p.description)) for p in scale.ordered_points]
    for r, (value, label, description) in enumerate(points, 1):
        scale_sheet.write_number(r, 0, value)
        scale_sheet.write_string(r, 1, label, fmt["cell"])
        scale_sheet.write_string(r, 2, description, fmt["cell"])
    last_scale_row = len(points)
    if scale.not_applicable.allowed:
        last_scale_row += 1
        scale_sheet.write_string(last_scale_row, 0, scale.not_applicable.label)
        scale_sheet.write_string(last_scale_row, 1, scale.not_applicable.label, fmt["cell"])
        scale_sheet.write_string(last_scale_row, 2, plain_text(scale.not_applicable.description), fmt["cell"])
    scale_sheet.set_column(0, 0, 9)
    scale_sheet.set_column(1, 1, 30)
    scale_sheet.set_column(2, 2, 80)
    scale_sheet.protect("", {"format_columns": True, "format_rows": True})
    quoted = quote_sheetname(scale_sheet.name)
    choices = f"={quoted}!$A$2:$A${last_scale_row + 1}"
    meanings = f"{quoted}!$A$2:$B${last_scale_row + 1}"

    # The head: who and when, and how to use the sheet.
    sheet.write_string(0, 0, level.title, fmt["title"])
    sheet.write_string(1, 0, f"{fw.meta.title} · {fw.meta.version}", fmt["muted"])
    sheet.write_string(2, 0, words.name, fmt["label"])
    sheet.write_blank(2, 1, None, fmt["input"])
    sheet.write_string(2, 2, words.period, fmt["label"])
    sheet.write_blank(2, 3, None, fmt["input"])
    sheet.write_string(3, 0, words.instructions, fmt["muted"])
    header = FIRST_ROW - 1
    for name, c in col.items():
        sheet.write_string(header, c, words.columns[name], fmt["head"])
        sheet.set_column(c, c, WIDTHS[name])

    row_of: dict[tuple[str, str], int] = {}
    indicator_rows: list[int] = []
    best, worst = scale.top_value, min(p.value for p in scale.points)
    for r, item in enumerate(items, FIRST_ROW):
        row_of[(item.source, item.id)] = r
        sheet.write_string(r, col["area"], item.area, fmt["cell"])
        sheet.write_string(r, col["item"], item.item, fmt["cell"])
        sheet.write_string(r, col["expected"], item.expected, fmt["cell"])
        if item.fill_anchor:
            sheet.write_blank(r, col["anchor"], None, fmt["fill"])
        else:
            sheet.write_string(r, col["anchor"], item.anchor, fmt["cell"])
        sheet.write_blank(r, col["rating"], None, fmt["rating"])
        rating = xl_rowcol_to_cell(r, col["rating"])
        if item.source == "kpis":  # met or not met, as on the forms: the scale's top or lowest rating
            indicator_rows.append(r)
            meaning = f'IF({rating}={best},{_text(words.met)},IF({rating}={worst},{_text(words.not_met)},""))'
        else:
            meaning = f'IFERROR(VLOOKUP({rating},{meanings},2,FALSE),"")'
        sheet.write_formula(r, col["meaning"], f'=IF({rating}="","",{meaning})', fmt["cell"], "")
        sheet.write_blank(r, col["evidence"], None, fmt["fill"])
        sheet.write_blank(r, col["date"], None, fmt["date"])
    last_item = FIRST_ROW + len(items) - 1
    if items:
        rated_rows = [r for r in range(FIRST_ROW, last_item + 1) if r not in indicator_rows]
        not_applicable = [scale.not_applicable.label] if scale.not_applicable.allowed else []
        for rows_, source, message in ((rated_rows, choices, words.choose),
                                       (indicator_rows, [best, worst, *not_applicable], words.choose_met)):
            for first, last in _runs(rows_):
                sheet.data_validation(first, col["rating"], last, col["rating"], {
                    "validate": "list", "source": source, "input_title": words.choose_title[:32],
                    "input_message": message[:255], "error_title": words.choose_title[:32],
                    "error_message": message[:255]})
        sheet.data_validation(FIRST_ROW, col["date"], last_item, col["date"], {
            "validate": "date", "criteria": ">=", "value": dt.date(1900, 1, 1), "ignore_blank": True})

    # The weighted score, by scoring.py's rule, as formulas over the rating cells.
    rating_col = xl_col_to_name(col["rating"])
    top = last_item + 2 if items else FIRST_ROW + 1
    sheet.write_string(top, 0, fw.meta.evaluation.label if fw.meta.evaluation else words.score_title, fmt["label"])
    for c, text in enumerate(words.score_columns):
        sheet.write_string(top + 1, c, text, fmt["head"])
    sections = evaluation_items(fw, level, words.competencies)
    decimals = evaluation_model(fw, level=level).decimals
    first, last = top + 2, top + 1 + len(sections)
    counted = f"$E${first + 1}:$E${last + 1}"
    for r, scored in enumerate(sections, first):
        cells = ",".join(f"{rating_col}{a + 1}" if a == b else f"{rating_col}{a + 1}:{rating_col}{b + 1}"
                         for a, b in _runs([row_of[(i.source, i.id)] for i in scored.items]))
        sheet.write_string(r, 0, scored.section.label, fmt["cell"])
        sheet.write_number(r, 1, scored.section.weight / 100, fmt["percent"])
        average, weight = f"D{r + 1}", f"B{r + 1}"
        if cells:
            sheet.write_formula(r, 2, f"=COUNT({cells})", None, 0)
            if all(i.weight == 1 for i in scored.items):
                mean = f"SUM({cells})/COUNT({cells})"
            else:  # competencies weighted unequally: each rating by its weight, over the weights rated
                refs = [(f"{rating_col}{row_of[(i.source, i.id)] + 1}", f"{i.weight:g}") for i in scored.items]
                mean = (f"({'+'.join(f'IF(ISNUMBER({c}),{c}*{w},0)' for c, w in refs)})"
                        f"/({'+'.join(f'IF(ISNUMBER({c}),{w},0)' for c, w in refs)})")
            sheet.write_formula(r, 3, f'=IF(COUNT({cells})=0,"",{mean})', fmt["number"], "")
        else:  # nothing to rate at this level: the section is left out
            sheet.write_number(r, 2, 0)
            sheet.write_string(r, 3, "")
        sheet.write_formula(r, 4, f'=IF({average}="",0,{weight})', fmt["percent"], 0)
        sheet.write_formula(r, 5, f'=IF({average}="","",{average}*{weight}/SUM({counted}))', fmt["number"], "")
    total = last + 1
    sheet.write_string(total, 0, words.overall, fmt["total_label"])
    for c in (1, 2, 4):
        sheet.write_blank(total, c, None, fmt["total_label"])
    sheet.write_formula(total, 3, f'=IF(SUM({counted})=0,"",ROUND(SUM(F{first + 1}:F{last + 1}),{decimals}))',
                        fmt["total"], "")
    sheet.write_blank(total, 5, None, fmt["total_label"])
    sheet.merge_range(total + 1, 0, total + 1, 5, words.rule % {"decimals": decimals}, fmt["note"])
    sheet.set_row(total + 1, 45)

    sheet.freeze_panes(FIRST_ROW, 0)
    sheet.protect("", {"format_columns": True, "format_rows": True})
    sheet.set_landscape()
    sheet.set_paper(9 if (paper or fw.meta.paper) == "a4" else 1)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header)
    sheet.print_area(0, 0, total + 1, len(COLUMNS) - 1)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    # & starts a header code; Excel drops a header longer than 255 characters, so long titles are cut
    escape = lambda text: _shorten(text, 100).replace("&", "&&")  # noqa: E731
    sheet.set_header(f"&L{escape(fw.meta.title)}&R{escape(level.title)}")
    sheet.set_footer(f"&C{escape(words.page).replace('&&P', '&P').replace('&&N', '&N')}")  # keep the page codes
    sheet.activate()
    book.close()
    return path


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def write_csv_file(fw: Framework, level: Level, path: Path) -> Path:
    header, body = csv_rows(fw, level, labels(fw.meta.locale))
    return write_csv(path, header, body)


def write_worksheets(fw: Framework, root: Path, paper: str | None = None) -> list[str]:
    """Every level's XLSX and CSV under `root`; the paths written, relative to it."""
    written = []
    for level in fw.all_levels:
        for relative, write in ((urls.worksheet(level.id), lambda p: write_workbook(fw, level, p, paper)),
                                (urls.worksheet_csv(level.id), lambda p: write_csv_file(fw, level, p))):
            write(root / relative)
            written.append(relative)
    return written
