"""The handbook's evaluation page: the weighted model, the overall rating bands and the merit guide."""

from __future__ import annotations

import re


def _cells(html: str, row_label: str) -> list[str]:
    row = re.search(r'<tr[^>]*><th scope="row">' + re.escape(row_label) + r"</th>(.*?)</tr>", html, re.S)
    assert row, f"no row {row_label!r}"
    return re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))  # cells may carry their label (data-label)


def test_the_ma_handbook_shows_the_weights_the_bands_and_the_merit_guide(sites):
    html = (sites["content"] / "evaluation.html").read_text(encoding="utf-8")
    assert 'href="evaluation.html" aria-current="page"' in html
    assert _cells(html, "Competencies")[-1] == "60%"
    # Bands from framework.yaml, highest first, each up to where the next one starts.
    assert [c for c in _cells(html, "Exceeds expectations")][:1] == ["3.5 – 4"]
    assert _cells(html, "Meets expectations")[0] == "2.75 – 3.49"
    merit = html[html.index('id="merit"'):]
    assert _cells(merit, "Exceeds expectations") == ["5%", "4.5%", "4%", "3%"]
    assert _cells(merit, "Does not meet expectations") == ["0%", "0%", "0%", "0%"]


def test_a_framework_without_a_merit_guide_has_no_merit_table(sites):
    html = (sites["minimal"] / "evaluation.html").read_text(encoding="utf-8")
    assert 'id="weights"' in html and 'id="merit"' not in html
