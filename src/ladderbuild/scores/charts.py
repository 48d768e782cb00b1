"""Geometry of the report's inline SVG charts, worked out in Python so the template only draws.

Each chart is drawn beside a table holding the same numbers: the SVG is a
picture of the table (hidden from screen readers, which read the table), so
the report needs no script, no font and no network, on screen and on paper.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 600  # viewBox units; the SVG scales to its container
ROW = 22
LABEL = 170  # room for the row's label on the left
GAP = 6


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    band: int  # index of the band (its colour)
    count: int


@dataclass(frozen=True)
class Row:
    label: str
    y: float
    segments: tuple[Segment, ...]
    total: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    rows: tuple[Row, ...]


def bars(distributions, scale_to_largest: bool = True) -> Chart:
    """One horizontal bar per distribution, split by band. With `scale_to_largest`, bar lengths compare
    counts (the longest bar is the largest group); otherwise every bar is 100 % (shares within a group)."""
    largest = max((d.total for d in distributions), default=0) or 1
    plot = WIDTH - LABEL - GAP
    rows = []
    for i, dist in enumerate(distributions):
        length = plot * (dist.total / largest if scale_to_largest else 1.0) if dist.total else 0.0
        x = float(LABEL + GAP)
        segments = []
        for band, count in enumerate(dist.counts):
            if not count:
                continue
            width = length * count / dist.total
            segments.append(Segment(round(x, 2), round(width, 2), band, count))
            x += width
        rows.append(Row(dist.label, i * (ROW + GAP), tuple(segments), dist.total))
    return Chart(WIDTH, max(ROW, len(rows) * (ROW + GAP) - GAP), LABEL, tuple(rows))


def single(counts: list[int], labels: list[str]) -> Chart:
    """One bar per band (the overall distribution), each in its band's colour."""
    largest = max(counts, default=0) or 1
    plot = WIDTH - LABEL - GAP
    rows = []
    for i, (count, label) in enumerate(zip(counts, labels)):
        width = plot * count / largest
        segments = (Segment(float(LABEL + GAP), round(width, 2), i, count),) if count else ()
        rows.append(Row(label, i * (ROW + GAP), segments, count))
    return Chart(WIDTH, max(ROW, len(rows) * (ROW + GAP) - GAP), LABEL, tuple(rows))
