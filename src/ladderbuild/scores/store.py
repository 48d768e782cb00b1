"""The store: every evaluation read, in a SQLite file, so memory stays flat however many files there are.

A review cycle can bring tens of thousands of forms. Nothing about them is
kept in Python lists: each file's evaluations, ratings and problems go into
a private SQLite database (in the run's staging folder, deleted before the
results are put in place), and the report, the CSV and the JSON are made by
queries that stream their rows. Grouping (per rater, per department, per
level), pairing (a self-assessment with the manager's evaluation of the same
employee and cycle) and duplicates are SQL's job, not hand-kept indexes.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterator

from .evaluate import ERROR, WARNING, Evaluation, FileResult, Problem

SCHEMA = """
CREATE TABLE evaluations (
  id INTEGER PRIMARY KEY, file TEXT, form_id TEXT, form_title TEXT, form_type TEXT, audience TEXT,
  packet_id TEXT, version TEXT, level_id TEXT, level_title TEXT, expected INTEGER,
  employee_key TEXT, employee_id TEXT, employee_name TEXT, department TEXT, period TEXT, rater TEXT,
  overall TEXT, overall_value REAL, band_id TEXT, band_label TEXT, provisional INTEGER, reweighted INTEGER,
  sections TEXT, competency_average REAL);
CREATE TABLE ratings (
  evaluation INTEGER, source TEXT, item TEXT, label TEXT, grp TEXT, value REAL, na INTEGER);
CREATE TABLE problems (
  file TEXT, evaluation INTEGER, severity TEXT, code TEXT, form TEXT, page INTEGER, item TEXT,
  message TEXT, hint TEXT);
CREATE TABLE files (file TEXT, scored INTEGER);
CREATE TABLE positions (employee_id TEXT PRIMARY KEY, position REAL);
"""
INDEXES = """
CREATE INDEX ratings_by_evaluation ON ratings (evaluation, source, item);
CREATE INDEX evaluations_by_employee ON evaluations (employee_key, period, audience);
CREATE INDEX problems_by_file ON problems (file);
CREATE INDEX problems_by_evaluation ON problems (evaluation);
"""


class Store:
    def __init__(self, path: Path, *, create: bool = True):
        """A new, empty store at `path` (deleted by close()); or, with create=False, a reader of a finished
        one, for a worker writing one of the results beside the others."""
        self.path = path
        self.owner = create
        if create:
            self.db = sqlite3.connect(path)
            self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        else:
            self.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)

    def close(self) -> None:
        self.db.close()
        if self.owner:
            self.path.unlink(missing_ok=True)

    # writing --------------------------------------------------------------

    def add(self, result: FileResult) -> None:
        db = self.db
        db.execute("INSERT INTO files VALUES (?, ?)", (result.file, int(not result.refused)))
        db.executemany("INSERT INTO problems VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?)",
                       [(p.file, p.severity, p.code, p.form, p.page, p.item, p.message, p.hint)
                        for p in result.problems])
        for evaluation in result.evaluations:
            self._add_evaluation(evaluation)

    def _add_evaluation(self, e: Evaluation) -> None:
        score = e.score
        competencies = [i.value for i in e.items if i.source == "competencies" and i.value is not None]
        sections = json.dumps([
            {"id": s.id, "label": s.label, "weight": s.weight, "applied_weight": s.applied_weight,
             "average": s.average, "rated": s.rated, "not_applicable": s.not_applicable, "blank": s.blank}
            for s in score.sections]) if score else "[]"
        cursor = self.db.execute(
            "INSERT INTO evaluations VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?)",
            (e.file, e.form_id, e.form_title, e.form_type, e.audience, e.packet_id, e.version, e.level_id,
             e.level_title, e.expected, e.employee_key, e.employee_id, e.employee_name, e.department, e.period,
             e.rater,
             str(score.overall) if score and score.overall is not None else None,
             float(score.overall) if score and score.overall is not None else None,
             score.band.id if score and score.band else None, score.band.label if score and score.band else None,
             int(bool(score and score.provisional)), int(bool(score and score.reweighted)), sections,
             sum(competencies) / len(competencies) if competencies else None))
        ident = cursor.lastrowid
        self.db.executemany("INSERT INTO ratings VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(ident, i.source, i.id, i.label, i.group, i.value, int(i.not_applicable))
                             for i in e.items])
        self.db.executemany("INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [(p.file, ident, p.severity, p.code, p.form, p.page, p.item, p.message, p.hint)
                             for p in e.problems])

    def add_positions(self, positions: Iterator[tuple[str, float]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO positions VALUES (?, ?)", positions)

    def finish(self) -> None:
        """After the last file: index, then find two evaluations of one employee in one cycle."""
        self.db.executescript(INDEXES)
        # Each evaluation of a group is reported once, naming one other file and the group's size: listing
        # every pair would grow with the square of the copies (a folder copied twice over, say).
        duplicates = self.db.execute(
            """SELECT id, file, form_title, employee_name, employee_key, period, n, first, last FROM (
                 SELECT id, file, form_title, employee_name, employee_key, period,
                        count(*) OVER w AS n, min(file) OVER w AS first, max(file) OVER w AS last
                 FROM evaluations
                 WHERE employee_key != ''
                 WINDOW w AS (PARTITION BY employee_key, period, form_id,
                                           CASE WHEN audience = 'peer' THEN rater ELSE '' END))
               WHERE n > 1 ORDER BY id""").fetchall()
        rows = []
        for ident, file, form, name, key, period, count, first, last in duplicates:
            cycle = f"the cycle “{period}”" if period else "a cycle with no review period written"
            other = last if file == first else first
            also = f" (and {count - 2} more)" if count > 2 else ""
            rows.append((file, ident, WARNING, "duplicate", form, None, name or key,
                         f"a second {form} for this employee in {cycle}: {other}{also}",
                         "keep one of them (the report counts each until then)"))
        self.db.executemany("INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self.db.commit()

    # reading --------------------------------------------------------------

    def query(self, sql: str, params=()) -> sqlite3.Cursor:
        return self.db.execute(sql, params)

    def counts(self) -> dict[str, int]:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "files": one("SELECT count(*) FROM files"),
            "refused": one("SELECT count(*) FROM files WHERE scored = 0"),
            "evaluations": one("SELECT count(*) FROM evaluations"),
            "scored": one("SELECT count(*) FROM evaluations WHERE overall IS NOT NULL"),
            "incomplete": one("SELECT count(DISTINCT evaluation) FROM problems WHERE evaluation IS NOT NULL"),
            "errors": one(f"SELECT count(*) FROM problems WHERE severity = '{ERROR}'"),
            "warnings": one(f"SELECT count(*) FROM problems WHERE severity = '{WARNING}'"),
        }

    def problems(self) -> Iterator[Problem]:
        for row in self.db.execute("SELECT file, severity, code, form, page, item, message, hint FROM problems "
                                   "ORDER BY file, evaluation IS NOT NULL, evaluation, page, rowid"):
            file, severity, code, form, page, item, message, hint = row
            yield Problem(severity, code, file, message, hint or "", form or "", page, item or "")
