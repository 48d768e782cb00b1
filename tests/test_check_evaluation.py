"""`check` on the parts of framework.yaml that `scores` relies on: rating bands, the expected rating and
the merit matrix — each mistake an exact code at its line."""

from __future__ import annotations

from helpers import diagnostics, edit, line_of, only

BANDS = """\
evaluation:
  bands:
    - {id: high, label: High, min: 3.5}
    - {id: middle, label: Middle, min: 2.5}
    - {id: low, label: Low, min: 1}
"""
MERIT = """\
merit:
  positions:
    - {id: lower, label: Lower half, below: 50}
    - {id: upper, label: Upper half}
  increases:
    high: [4, 3]
    middle: [2, 1.5]
    low: [0, 0]
domains:
"""


def _with(project, bands: str = BANDS, merit: str = MERIT):
    edit(project, "framework.yaml", "evaluation:\n", bands)
    edit(project, "framework.yaml", "domains:\n", merit)
    return project


def test_bands_and_a_merit_matrix_that_fit_pass(project_copy):
    assert not [d for d in diagnostics(_with(project_copy())) if d.severity.value == "error"]


def test_bands_that_leave_low_scores_without_a_band(project_copy):
    project = _with(project_copy(), bands=BANDS.replace("min: 1}", "min: 1.5}"))
    found = only(diagnostics(project), "invalid-value")
    assert "no band holds scores below 1.5" in found.message and found.hint == "let the lowest band start at `min: 1`"
    assert found.line == line_of(project, "framework.yaml", "min: 1.5")


def test_a_merit_matrix_without_a_row_for_a_band_and_with_an_unknown_one(project_copy):
    project = _with(project_copy(), merit=MERIT.replace("    low: [0, 0]\n", "    lo: [0, 0]\n"))
    found = diagnostics(project)
    unknown = only(found, "unknown-reference")
    assert "`lo`" in unknown.message and "`low`" in unknown.hint
    missing = only(found, "missing-field")
    assert "no row for the rating band `low`" in missing.message


def test_a_row_with_the_wrong_number_of_increases(project_copy):
    project = _with(project_copy(), merit=MERIT.replace("middle: [2, 1.5]", "middle: [2]"))
    found = only(diagnostics(project), "invalid-value")
    assert "has 1 increase(s) but there are 2 positions" in found.message
    assert found.line == line_of(project, "framework.yaml", "middle: [2]")


def test_positions_must_rise_and_only_the_last_is_open(project_copy):
    project = _with(project_copy(), merit=MERIT.replace("label: Upper half}", "label: Upper half, below: 40}"))
    found = only(diagnostics(project), "invalid-value")
    assert "the last position `upper` has `below: 40`" in found.message


def test_a_merit_matrix_needs_bands(project_copy):
    project = project_copy()
    edit(project, "framework.yaml", "domains:\n", MERIT)
    found = only(diagnostics(project), "invalid-value")
    assert "needs rating bands" in found.message


def test_the_expected_rating_must_be_on_the_scale(project_copy):
    project = project_copy()
    edit(project, "framework.yaml", "    comment_required:\n", "    expected: 7\n    comment_required:\n")
    found = only(diagnostics(project), "invalid-value")
    assert "has no rating 7" in found.message
    assert found.line == line_of(project, "framework.yaml", "expected: 7")
