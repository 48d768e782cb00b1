"""Read filled forms back: `ladderbuild scores`.

Pipeline, one module per stage: find and read each PDF (read.py, pikepdf) →
match it to the framework by its metadata and read its fields through the
form views: completeness and scores by the evaluation model (evaluate.py,
with the rule in ../scoring.py) → keep every result in a SQLite store
(store.py) → the calibration report, CSV and JSON from queries
(report.py, charts.py, templates/scores/) → written into a staged folder
(run.py). The results hold employee data: they are written only where `-o`
points, never into the handbook's output/.
"""
