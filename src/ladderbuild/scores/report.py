"""What the calibration report shows, worked out from the store; and the CSV and JSON for an HRIS.

The rules the report applies are stated here once and printed in it:

- **Leniency and severity**: a rater who rated at least `MIN_RATED` employees
  is flagged lenient (severe) when the mean of their overall scores is at least
  `LENIENCY_GAP` of a scale point above (below) the mean of everyone else's
  overall scores — and everyone else also rated at least `MIN_RATED`.
- **Far from the level**: a manager's evaluation whose competency ratings
  average at least `FAR_FROM_LEVEL` of a scale point away from the rating that
  means "works at the level's expected stage" (the scale's `expected`).
- **360 feedback** is summarised for employees whom at least `MIN_REVIEWERS`
  peers rated; with fewer, no summary is shown (it would identify the peer).
- **Self against manager**: a self-assessment and a manager's evaluation of
  the same employee in the same review period, compared competency by
  competency where both gave a rating.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .. import scoring
from ..csvsafe import write_csv
from ..resolve import Framework
from .store import Store

MIN_RATED = 3
LENIENCY_GAP = 0.5
FAR_FROM_LEVEL = 0.75
MIN_REVIEWERS = 2


@dataclass
class Distribution:
    """How many overall scores fall in each band, for everyone or for one group."""

    label: str
    counts: list[int]  # per band, in the order of ReportView.bands

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class RaterStats:
    rater: str
    count: int
    mean: float
    spread: float  # standard deviation
    others_mean: float | None
    flag: str = ""  # lenient | severe | ""


@dataclass
class MeritRow:
    employee: str
    employee_id: str
    level: str
    overall: str
    band: str
    position: float | None
    increase: float | None  # percent, when the position in the pay range is known
    range: tuple[float, float]  # the row's lowest and highest increase


class Rows:
    """Rows of the report that grow with the number of files, worked out from the store each time they are
    walked, so a report on 10,000 packets is written without holding them (memory stays flat).

    The template asks `{% if rows %}` and then walks them once: both run the query.
    """

    def __init__(self, make: Callable[[], Iterable]):
        self._make = make

    def __iter__(self) -> Iterator:
        return iter(self._make())

    def __bool__(self) -> bool:
        return next(iter(self), None) is not None


@dataclass
class ReportView:
    framework: Framework
    counts: dict[str, int]
    bands: list[scoring.Band]
    overall: Distribution
    by_rater: list[Distribution]
    by_department: list[Distribution]
    by_level: list[Distribution]
    raters: list[RaterStats]
    self_vs_manager: list[dict]
    peers: Iterable[dict]
    far: Iterable[dict]
    incomplete: Iterable[dict]  # per file: its problems
    merit: Iterable[MeritRow] = ()
    merit_cells: dict = field(default_factory=dict)  # (band id, position index) → employees
    rules: dict = field(default_factory=dict)


def build_view(fw: Framework, store: Store) -> ReportView:
    bands = scoring.bands(fw.meta.evaluation, fw.evaluation_scale)
    overall = Counter()
    groups: dict[str, dict[str, Counter]] = {"rater": defaultdict(Counter), "department": defaultdict(Counter),
                                              "level": defaultdict(Counter)}
    for band, rater, department, level in store.query(
            "SELECT band_id, rater, department, level_title FROM evaluations WHERE overall IS NOT NULL"):
        overall[band] += 1
        groups["rater"][rater][band] += 1
        groups["department"][department][band] += 1
        groups["level"][level][band] += 1

    def distributions(kind: str) -> list[Distribution]:
        return [Distribution(name, [counts.get(b.id, 0) for b in bands])
                for name, counts in sorted(groups[kind].items())]

    return ReportView(
        framework=fw, counts=store.counts(), bands=bands,
        overall=Distribution("", [overall.get(b.id, 0) for b in bands]),
        by_rater=distributions("rater"), by_department=distributions("department"), by_level=distributions("level"),
        raters=rater_stats(store), self_vs_manager=self_vs_manager(store),
        peers=Rows(lambda: peer_summaries(store)), far=Rows(lambda: far_from_level(store, fw)),
        incomplete=Rows(lambda: incomplete(store)), merit=Rows(lambda: merit_rows(store, fw)),
        merit_cells=merit_cells(store, fw),
        rules={"min_rated": MIN_RATED, "gap": LENIENCY_GAP, "far": FAR_FROM_LEVEL, "reviewers": MIN_REVIEWERS,
               "decimals": fw.meta.evaluation.decimals if fw.meta.evaluation else 2,
               "expected": fw.evaluation_scale.expected_value})


def rater_stats(store: Store) -> list[RaterStats]:
    rows = store.query("SELECT rater, count(*), sum(overall_value), sum(overall_value * overall_value) "
                       "FROM evaluations WHERE overall IS NOT NULL GROUP BY rater ORDER BY rater").fetchall()
    total_n = sum(r[1] for r in rows)
    total_s = sum(r[2] for r in rows)
    out = []
    for rater, n, s, squares in rows:
        mean = s / n
        spread = math.sqrt(max(0.0, squares / n - mean * mean))
        others_n = total_n - n
        others = (total_s - s) / others_n if others_n else None
        flag = ""
        if others is not None and n >= MIN_RATED and others_n >= MIN_RATED:
            if mean - others >= LENIENCY_GAP - 1e-9:
                flag = "lenient"
            elif others - mean >= LENIENCY_GAP - 1e-9:
                flag = "severe"
        out.append(RaterStats(rater, n, mean, spread, others, flag))
    return out


def self_vs_manager(store: Store) -> list[dict]:
    rows = store.query(
        """SELECT s.item, max(s.label), count(*), avg(s.value), avg(m.value), avg(s.value - m.value)
           FROM evaluations se
           JOIN ratings s ON s.evaluation = se.id AND s.source = 'competencies' AND s.value IS NOT NULL
           JOIN evaluations me ON me.employee_key = se.employee_key AND me.period = se.period
                AND me.audience = 'manager' AND me.id != se.id
           JOIN ratings m ON m.evaluation = me.id AND m.source = 'competencies' AND m.item = s.item
                AND m.value IS NOT NULL
           WHERE se.audience = 'employee' AND se.employee_key != ''
           GROUP BY s.item ORDER BY avg(s.value - m.value) DESC, max(s.label)""").fetchall()
    return [{"id": item, "label": label, "pairs": n, "self": a, "manager": b, "difference": d}
            for item, label, n, a, b, d in rows]


def peer_summaries(store: Store) -> Iterator[dict]:
    people = store.query(
        """SELECT employee_key, max(employee_name), period, count(*) FROM evaluations
           WHERE audience = 'peer' AND employee_key != '' GROUP BY employee_key, period
           HAVING count(*) >= ? ORDER BY max(employee_name), employee_key, period""", (MIN_REVIEWERS,))
    for key, name, period, reviewers in people:
        items = store.query(
            """SELECT r.item, max(r.label), count(r.value), avg(r.value), min(r.value), max(r.value)
               FROM evaluations e JOIN ratings r ON r.evaluation = e.id
               WHERE e.audience = 'peer' AND e.employee_key = ? AND e.period = ?
               GROUP BY r.item ORDER BY min(r.rowid)""", (key, period)).fetchall()
        yield {"employee": name or key, "period": period, "reviewers": reviewers,
               "items": [{"label": label, "count": n, "mean": mean, "low": low, "high": high}
                         for _item, label, n, mean, low, high in items]}


def far_from_level(store: Store, fw: Framework) -> Iterator[dict]:
    rows = store.query(
        """SELECT employee_name, employee_key, level_title, rater, expected, competency_average, file
           FROM evaluations WHERE audience = 'manager' AND competency_average IS NOT NULL
             AND abs(competency_average - expected) >= ? - 1e-9
           ORDER BY competency_average - expected, employee_name""", (FAR_FROM_LEVEL,))
    return ({"employee": name or key, "level": level, "rater": rater, "expected": expected, "average": avg,
             "direction": "above" if avg > expected else "below", "file": file}
            for name, key, level, rater, expected, avg, file in rows)


def incomplete(store: Store) -> Iterator[dict]:
    """Each file with problems, and its problems (store.problems() comes ordered by file)."""
    for file, problems in itertools.groupby(store.problems(), key=lambda p: p.file):
        problems = list(problems)
        yield {"file": file, "problems": problems, "refused": any(p.severity == "error" for p in problems)}


def _merit_query(store: Store):
    return store.query(
        """SELECT e.employee_name, e.employee_id, e.level_title, e.overall, e.band_id, e.band_label, p.position
           FROM evaluations e LEFT JOIN positions p ON p.employee_id = e.employee_id
           WHERE e.overall IS NOT NULL AND e.audience = 'manager'
           ORDER BY e.employee_name, e.employee_id""")


def position_column(merit, position: float | None) -> int | None:
    """Which column of the merit matrix a position in the pay range (percent) falls in."""
    if position is None:
        return None
    for i, column in enumerate(merit.positions):
        if column.below is None or position < column.below:
            return i
    return len(merit.positions) - 1


def merit_rows(store: Store, fw: Framework) -> Iterator[MeritRow]:
    merit = fw.meta.merit
    if merit is None:
        return
    for name, ident, level, overall, band_id, band_label, position in _merit_query(store):
        row = merit.increases.get(band_id, [])
        column = position_column(merit, position)
        yield MeritRow(name, ident, level, overall, band_label, position,
                       row[column] if row and column is not None else None,
                       (min(row), max(row)) if row else (0.0, 0.0))


def merit_cells(store: Store, fw: Framework) -> dict:
    merit = fw.meta.merit
    if merit is None:
        return {}
    cells: Counter = Counter()
    for _name, _ident, _level, _overall, band_id, _label, position in _merit_query(store):
        cells[(band_id, position_column(merit, position))] += 1
    return dict(cells)


# --------------------------------------------------------------------------- CSV and JSON

SCORE_COLUMNS = ("file", "form", "form_title", "packet", "framework_version", "employee_id", "employee_name",
                 "department", "level", "review_period", "rated_by", "overall", "band", "provisional",
                 "reweighted", "complete", "problems")


def _score_rows(store: Store, fw: Framework, sections: list[str]):
    merit = fw.meta.merit
    rows = store.query(
        """SELECT e.id, e.file, e.form_id, e.form_title, e.packet_id, e.version, e.employee_id, e.employee_name,
                  e.department, e.level_id, e.period, e.rater, e.overall, e.band_label, e.provisional,
                  e.reweighted, (SELECT count(*) FROM problems p WHERE p.evaluation = e.id), e.sections, e.band_id,
                  pos.position
           FROM evaluations e LEFT JOIN positions pos ON pos.employee_id = e.employee_id
           ORDER BY e.employee_name, e.employee_id, e.file, e.id""")
    for row in rows:
        (_id, file, form, title, packet, version, emp_id, name, dept, level, period, rater, overall, band,
         provisional, reweighted, problems, section_json, band_id, position) = row
        by_id = {s["id"]: s["average"] for s in json.loads(section_json)}
        increase = ""
        if merit is not None and overall is not None:
            column = position_column(merit, position)
            row_values = merit.increases.get(band_id, [])
            if column is not None and row_values:
                increase = f"{row_values[column]:g}"
        yield (file, form, title, packet, version, emp_id, name, dept, level, period, rater, overall or "",
               band or "", _yes(provisional), _yes(reweighted), _yes(problems == 0), problems,
               *[_number(by_id.get(s)) for s in sections], *((increase,) if merit is not None else ()))


def _yes(flag) -> str:
    return "yes" if flag else "no"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")


def table_header(fw: Framework) -> tuple[tuple[str, ...], list[str]]:
    """The columns of scores.csv and scores.json, and the ids of the evaluation model's sections."""
    sections = [s.id for s in fw.meta.evaluation.sections] if fw.meta.evaluation else []
    header = (*SCORE_COLUMNS, *[f"section_{s}" for s in sections],
              *(("proposed_increase_percent",) if fw.meta.merit is not None else ()))
    return header, sections


def write_scores_csv(store: Store, fw: Framework, folder: Path) -> Path:
    header, sections = table_header(fw)
    return write_csv(folder / "scores.csv", header, _score_rows(store, fw, sections))


def write_ratings_csv(store: Store, fw: Framework, folder: Path) -> Path:
    return write_csv(
        folder / "ratings.csv",
        ("file", "form", "employee_id", "employee_name", "review_period", "rated_by", "source", "item", "label",
         "rating", "not_applicable"),
        ((file, form, emp_id, name, period, rater, source, item, label, _number(value), _yes(na))
         for file, form, emp_id, name, period, rater, source, item, label, value, na in store.query(
            """SELECT e.file, e.form_id, e.employee_id, e.employee_name, e.period, e.rater, r.source, r.item,
                      r.label, r.value, r.na FROM ratings r JOIN evaluations e ON e.id = r.evaluation
               ORDER BY e.employee_name, e.employee_id, e.file, e.id, r.rowid""")))


def write_problems_csv(store: Store, fw: Framework, folder: Path) -> Path:
    return write_csv(
        folder / "problems.csv", ("file", "severity", "code", "form", "page", "item", "message", "hint"),
        ((p.file, p.severity, p.code, p.form, p.page or "", p.item, p.message, p.hint) for p in store.problems()))


def write_scores_json(store: Store, fw: Framework, folder: Path) -> Path:
    header, sections = table_header(fw)
    return write_json(store, fw, folder / "scores.json", header, sections)


# The tables for an HRIS, by format; each is written on its own (by a worker of the pool, in parallel).
TABLES = {"csv": (write_ratings_csv, write_scores_csv, write_problems_csv), "json": (write_scores_json,)}


def write_json(store: Store, fw: Framework, path: Path, header, sections) -> Path:
    """scores.json, streamed: the framework, the rules, then one object per evaluation and per problem."""
    part = path.with_name(path.name + ".part")
    with open(part, "w", encoding="utf-8") as out:
        out.write('{"framework": ')
        json.dump({"id": fw.id, "title": fw.meta.title, "version": fw.meta.version}, out, ensure_ascii=False)
        out.write(',\n "evaluations": [')
        for n, row in enumerate(_score_rows(store, fw, sections)):
            record = dict(zip(header, row))
            out.write(("," if n else "") + "\n  " + json.dumps(record, ensure_ascii=False))
        out.write('\n ],\n "problems": [')
        for n, p in enumerate(store.problems()):
            record = {"file": p.file, "severity": p.severity, "code": p.code, "form": p.form, "page": p.page,
                      "item": p.item, "message": p.message, "hint": p.hint}
            out.write(("," if n else "") + "\n  " + json.dumps(record, ensure_ascii=False))
        out.write("\n ]\n}\n")
    part.replace(path)
    return path
