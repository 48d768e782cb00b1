"""The ladder diagram: tracks as lanes, levels as boxes, paths as arrows — laid out at build time.

This module only computes geometry (pure functions on the Framework); the
`site/ladder.svg.html` template turns it into inline SVG, so every word on it
goes through the translation function like any other template text.

Rows are seniority, not raw rank: a level sits at least one row above every
level that is promoted into it (a leadership level entered from "MA II" is
drawn above "MA II", even if it is rank 1 in its own track), at least level
with the source of a lateral move, and above the previous level of its track.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import PathKind
from ..resolve import Framework, Level

LANE_WIDTH = 220
BOX_WIDTH = 180
BOX_HEIGHT = 64
ROW_GAP = 48  # between the bands of two rows: room for the arrows
STACK_GAP = 14  # between boxes stacked in one band
MARGIN_TOP = 56  # room for the lane titles
MARGIN_BOTTOM = 24
CHARS_PER_LINE = 22  # at the 14px label size, what fits in a box without overflowing
LANE_TITLE_CHARS = 26


@dataclass(frozen=True)
class Box:
    level: Level
    x: float
    y: float
    lines: tuple[str, ...]  # the label, wrapped to fit
    grade: str
    row: int  # seniority row (0 = bottom)

    @property
    def cx(self) -> float:
        return self.x + BOX_WIDTH / 2

    @property
    def cy(self) -> float:
        return self.y + BOX_HEIGHT / 2

    @property
    def width(self) -> int:
        return BOX_WIDTH

    @property
    def height(self) -> int:
        return BOX_HEIGHT

    @property
    def text_y(self) -> float:
        """Baseline of the first label line: the label block is centred above the grade line."""
        block = 18 * (len(self.lines) - 1)
        room = BOX_HEIGHT - (16 if self.grade else 0)
        return self.y + room / 2 - block / 2 + 5 + (2 if self.grade else 0)

    @property
    def grade_y(self) -> float:
        return self.y + BOX_HEIGHT - 10


@dataclass(frozen=True)
class Lane:
    track_id: str
    title: str
    x: float
    width: int = LANE_WIDTH

    @property
    def cx(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Arrow:
    source: Level
    target: Level
    kind: str  # promotion | lateral | bridge
    d: str  # SVG path data


@dataclass(frozen=True)
class Ladder:
    width: int
    height: int
    lanes: tuple[Lane, ...]
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    kinds: tuple[str, ...]  # the path kinds that occur, for the legend


def rows(fw: Framework) -> dict[str, int]:
    """Each level's row (0 = bottom): the lowest rows that satisfy the seniority constraints.

    Track order and promotion/bridge paths always hold (validation guarantees
    they have no cycle). A lateral move asks for its target to sit no lower
    than its source; that wish is kept only while it fits with the others (two
    levels with lateral moves both ways end up side by side; a lateral move back
    down a promotion path is simply drawn downwards).
    """
    firm: list[tuple[str, str, int]] = []  # (lower, upper, minimum gap)
    for track in fw.tracks:
        in_track = fw.levels_in_track(track.id)
        for below, above in zip(in_track, in_track[1:]):
            firm.append((below.id, above.id, 1 if above.rank > below.rank else 0))
    lateral: list[tuple[str, str, int]] = []
    ids = {lvl.id for lvl in fw.levels}
    for lvl in fw.levels:
        for path in lvl.paths:
            if path.to in ids:
                (lateral if path.kind is PathKind.LATERAL else firm).append(
                    (lvl.id, path.to, 0 if path.kind is PathKind.LATERAL else 1))
    row = _relax(ids, firm)
    assert row is not None, "promotion paths form a cycle; validation should have refused them"
    for wish in lateral:
        lower, upper, gap = wish
        if row[upper] >= row[lower] + gap:  # already holds: the smallest rows stay as they are
            firm.append(wish)
            continue
        attempt = _relax(ids, firm + [wish])
        if attempt is not None:
            firm.append(wish)
            row = attempt
    return row


def _relax(ids: set[str], constraints: list[tuple[str, str, int]]) -> dict[str, int] | None:
    """Smallest rows meeting every (lower, upper, gap) constraint; None when they cannot all hold."""
    row = {i: 0 for i in sorted(ids)}
    for _ in range(len(row) + 1):
        moved = False
        for lower, upper, gap in constraints:
            if row[upper] < row[lower] + gap:
                row[upper] = row[lower] + gap
                moved = True
        if not moved:
            return row
    return None  # still moving after one pass per level: the constraints go round in a circle


def wrap(text: str, width: int = CHARS_PER_LINE, max_lines: int = 2) -> tuple[str, ...]:
    """Greedy word wrap; a label that still does not fit ends with an ellipsis (the full title is the tooltip).

    Text without spaces (Chinese) wraps by characters, counting each wide
    character as two narrow ones. Each character is measured once, and the
    words after the last line that can be shown are not looked at: the work
    is bounded by the width of the box, not the length of the text.
    """
    words = text.split() if " " in text else list(text)
    joiner = " " if " " in text else ""
    lines: list[str] = []
    current, current_width = "", 0
    overflow = False
    for word in words:
        word_width = _display_width(word)
        if not current:
            current, current_width = word, word_width
        elif current_width + len(joiner) + word_width <= width:
            current, current_width = f"{current}{joiner}{word}", current_width + len(joiner) + word_width
        elif len(lines) + 1 == max_lines:
            overflow = True  # a further line: the last one shown ends with an ellipsis
            break
        else:
            lines.append(current)
            current, current_width = word, word_width
    if current:
        lines.append(current)
    if overflow:
        lines[-1] = _truncate(lines[-1] + joiner + "…", width)
    return tuple(_truncate(line, width) for line in lines)


def _display_width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _truncate(line: str, width: int) -> str:
    """`line` cut to `width` with an ellipsis, measuring each character once (a name can be long)."""
    if _display_width(line) <= width:
        return line
    room, used = width - _display_width("…"), 0
    for cut, char in enumerate(line):
        used += _display_width(char)
        if used > room:
            return line[:cut].rstrip() + "…"
    return line.rstrip() + "…"  # pragma: no cover - unreachable: the line was wider than `width`


def layout(fw: Framework) -> Ladder:
    """Place lanes, boxes and arrows.

    Each row is a horizontal band. Levels of one track that share a row (four
    specialty levels entered from the same level, say) are stacked in the
    band, one under the other, and the band grows to hold the tallest stack;
    the other tracks' boxes sit in the middle of the band.
    """
    row = rows(fw)
    top_row = max(row.values(), default=0)
    lanes = tuple(Lane(t.id, _truncate(t.name, LANE_TITLE_CHARS), i * LANE_WIDTH)
                  for i, t in enumerate(fw.tracks))
    lane_x = {lane.track_id: lane.x for lane in lanes}
    stacks: dict[tuple[str, int], list[Level]] = {}
    for lvl in fw.levels:
        stacks.setdefault((lvl.track, row[lvl.id]), []).append(lvl)
    depth = {r: max((len(v) for (_t, rr), v in stacks.items() if rr == r), default=1) for r in range(top_row + 1)}
    band_top: dict[int, float] = {}
    y = MARGIN_TOP
    for r in range(top_row, -1, -1):  # the most senior row at the top
        band_top[r] = y
        y += _stack_height(depth[r]) + ROW_GAP
    height = y - ROW_GAP + MARGIN_BOTTOM
    boxes: dict[str, Box] = {}
    for (track, r), members in stacks.items():
        offset = (_stack_height(depth[r]) - _stack_height(len(members))) / 2
        for i, lvl in enumerate(members):
            boxes[lvl.id] = Box(lvl, lane_x[track] + (LANE_WIDTH - BOX_WIDTH) / 2,
                                band_top[r] + offset + i * (BOX_HEIGHT + STACK_GAP), wrap(lvl.label), lvl.grade, r)
    arrows = tuple(
        Arrow(lvl, fw.level(path.to), path.kind.value, arrow_path(boxes[lvl.id], boxes[path.to]))
        for lvl in fw.levels for path in lvl.paths if path.to in boxes
    )
    kinds = tuple(k.value for k in PathKind if any(a.kind == k.value for a in arrows))
    return Ladder(
        width=max(1, len(lanes)) * LANE_WIDTH,
        height=int(height),
        lanes=lanes,
        boxes=tuple(boxes[lvl.id] for lvl in fw.levels),
        arrows=arrows,
        kinds=kinds,
    )


def _stack_height(count: int) -> float:
    return count * BOX_HEIGHT + (count - 1) * STACK_GAP


def arrow_path(a: Box, b: Box) -> str:
    """SVG path data for an arrow from box `a` to box `b`, leaving and entering at the box edges.

    A move to another lane goes side to side (rightward a little above the
    middle, leftward a little below, so moves both ways do not overlap); a move
    up one row in the lane goes straight up; a move that would cross boxes in
    its own lane bows out to the right of them.
    """
    half_w, half_h = BOX_WIDTH / 2, BOX_HEIGHT / 2
    if abs(a.cx - b.cx) >= 1:  # to another lane: side to side, so stacked boxes are never crossed
        direction = 1 if b.cx > a.cx else -1
        shift = -6 * direction
        x1, y1 = a.cx + direction * half_w, a.cy + shift
        x2, y2 = b.cx - direction * (half_w + 4), b.cy + shift
        if abs(y1 - y2) < 1:
            return f"M{x1:g},{y1:g} L{x2:g},{y2:g}"
        mid = (x1 + x2) / 2
        return f"M{x1:g},{y1:g} C{mid:g},{y1:g} {mid:g},{y2:g} {x2:g},{y2:g}"
    if abs(a.row - b.row) > 1 or a.row == b.row:
        # Skips rows in its own lane (or moves within a stack): go round the right of the boxes in between.
        x1, x2 = a.cx + half_w, b.cx + half_w + 4
        bow = x1 + 24
        return f"M{x1:g},{a.cy:g} C{bow:g},{a.cy:g} {bow:g},{b.cy:g} {x2:g},{b.cy:g}"
    sign = -1 if b.cy < a.cy else 1
    return f"M{a.cx:g},{a.cy + sign * half_h:g} L{b.cx:g},{b.cy - sign * (half_h + 4):g}"
