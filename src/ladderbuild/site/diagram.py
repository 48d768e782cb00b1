"""The ladder diagram: tracks as lanes, levels as boxes, paths as arrows — laid out at build time.

This module only computes geometry (pure functions on the Framework); the
`site/ladder.svg.html` template turns it into inline SVG, so every word on it
goes through the translation function like any other template text.

Rows are seniority, not raw rank: a level sits at least one row above every
level that is promoted into it (a leadership level entered from "MA II" is
drawn above "MA II", even if it is rank 1 in its own track), at least level
with the source of a lateral move, and above the previous level of its track.

Arrows never cross a box. They are routed like wires on a circuit board:
between two lanes runs a vertical *channel*, between two rows of boxes a
horizontal *gap*, and no box stands in either. An arrow leaves its box by
the side facing its target, runs up or down the channel beside it, along a
gap to the channel beside the target, and into the target's side; a move
straight up a lane to the next box is a straight line. Each arrow has its
own track in every channel and gap it uses (tracks are given out like rooms
for meetings that overlap in time), and its own place on each box side, so
lines never lie on top of each other and arrowheads never pile up; a box
grows taller when many arrows meet it. Moves of one kind both ways between
two levels are one line with a head at each end.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from ..model import PathKind
from ..resolve import Framework, Level

BOX_WIDTH = 180
BOX_HEIGHT = 64  # at least; a box with many arrows on one side is taller
LANE_PAD = 10  # between a lane's edge and its boxes
TRACK = 8  # between two arrows side by side in a channel or gap
PORT = 12  # between two arrows meeting one side of a box: more than an arrowhead is wide
MIN_CHANNEL = 28  # width of a channel between two lanes, however few arrows use it
MIN_GAP = 36  # height of a gap between two rows, however few arrows use it
EDGE_GAP = 12  # a gap above the top row or below the bottom one, when no arrow uses it
STACK_GAP = 14  # between boxes stacked in one band
MARGIN_TOP = 48  # room for the lane titles
MARGIN_BOTTOM = 8
CORNER = 5  # radius of an arrow's rounded corners
HEAD_ROOM = 3  # an arrow ends this far from the box, so its head touches the border
CHARS_PER_LINE = 22  # at the 14px label size, what fits in a box without overflowing
LANE_TITLE_CHARS = 26
LINE_HEIGHT = 18  # between two lines of a box's label
GRADE_HEIGHT = 17  # from the label's last line to the grade under it


@dataclass(frozen=True)
class Box:
    level: Level
    x: float
    y: float
    lines: tuple[str, ...]  # the label, wrapped to fit
    grade: str
    row: int  # seniority row (0 = bottom)
    height: float = BOX_HEIGHT

    @property
    def cx(self) -> float:
        return self.x + BOX_WIDTH / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2

    @property
    def width(self) -> int:
        return BOX_WIDTH

    @property
    def text_y(self) -> float:
        """Baseline of the first label line: the label and the grade under it, centred in the box."""
        block = LINE_HEIGHT * len(self.lines) + (GRADE_HEIGHT if self.grade else 0)
        return self.y + (self.height - block) / 2 + 14

    @property
    def grade_y(self) -> float:
        return self.text_y + LINE_HEIGHT * (len(self.lines) - 1) + GRADE_HEIGHT


@dataclass(frozen=True)
class Lane:
    track_id: str
    title: str
    x: float  # the lane's left edge
    width: float

    @property
    def cx(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Arrow:
    """A line on the diagram: one move, or two of one kind between the same levels (`both_ways`)."""

    source: Level
    target: Level
    kind: str  # promotion | lateral | bridge
    points: tuple[tuple[float, float], ...]  # the polyline, source to target, every segment level or upright
    both_ways: bool = False

    @property
    def d(self) -> str:
        """SVG path data: the polyline with rounded corners."""
        return rounded_path(self.points)


@dataclass(frozen=True)
class Move:
    source: Level
    target: Level
    kind: str


@dataclass(frozen=True)
class Ladder:
    width: int
    height: int
    lanes: tuple[Lane, ...]
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    moves: tuple[Move, ...]  # every path, for the text list beside the drawing
    kinds: tuple[str, ...]  # the path kinds that occur, for the legend

    def moves_from(self, level_id: str) -> tuple[Move, ...]:
        return tuple(m for m in self.moves if m.source.id == level_id)


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


# --------------------------------------------------------------------------- layout and routing


@dataclass
class _Edge:
    """An arrow being routed: which sides of which boxes it meets, and through which channels and gap."""

    a: str  # level ids, source and target
    b: str
    kind: str
    both_ways: bool = False
    style: str = ""  # "straight" (up or down its lane), "channel" (one channel) or "gap" (channel, gap, channel)
    side_a: str = ""  # left | right | top | bottom
    side_b: str = ""
    channel_a: int = 0
    channel_b: int = 0
    gap: int = 0
    tracks: dict = field(default_factory=dict)  # ("channel", k) or ("gap", g) → track number


@dataclass(frozen=True)
class _Slot:
    """Where a box stands before coordinates are known."""

    lane: int
    row: int
    place: int  # position in its stack (0 = top)


def layout(fw: Framework) -> Ladder:
    """Place lanes, boxes and arrows.

    Each row is a horizontal band. Levels of one track that share a row (four
    specialty levels entered from the same level, say) are stacked in the
    band, one under the other, and the band grows to hold the tallest stack;
    the other tracks' boxes sit in the middle of the band. Channels and gaps
    are as wide as the arrows in them need.
    """
    row = rows(fw)
    top_row = max(row.values(), default=0)
    lane_of = {t.id: i for i, t in enumerate(fw.tracks)}
    stacks: dict[tuple[int, int], list[str]] = {}
    for lvl in fw.levels:
        stacks.setdefault((lane_of[lvl.track], row[lvl.id]), []).append(lvl.id)
    slot = {lid: _Slot(lane, r, i) for (lane, r), members in stacks.items() for i, lid in enumerate(members)}
    edges = _edges(fw)
    for edge in edges:
        _route(edge, slot, stacks)
    channel_tracks = _assign_tracks(edges, "channel", lambda e: _channel_spans(e, slot))
    gap_tracks = _assign_tracks(edges, "gap", lambda e: _gap_spans(e))
    ports = _ports(edges, slot)  # (level, side) → edge ends, in the order they meet the side

    # sizes
    heights = {lid: max(BOX_HEIGHT, PORT * (max(len(ports.get((lid, s), ())) for s in ("left", "right")) + 1))
               for lid in slot}
    band_height = {r: max((_stack_height([heights[m] for m in members]) for (lane, rr), members in stacks.items()
                           if rr == r), default=BOX_HEIGHT) for r in range(top_row + 1)}
    channels = len(fw.tracks) + 1
    channel_width = [max(MIN_CHANNEL, TRACK * (channel_tracks.get(k, 0) + 1)) for k in range(channels)]
    gap_height = {g: (max(MIN_GAP, TRACK * (gap_tracks[g] + 1)) if g in gap_tracks
                      else (MIN_GAP if 0 < g <= top_row else EDGE_GAP)) for g in range(top_row + 2)}

    # coordinates: channel 0, lane 0, channel 1, lane 1 … ; above the top row down to below the bottom one
    column = BOX_WIDTH + 2 * LANE_PAD
    channel_x, lane_x, x = [], [], 0.0
    for k in range(channels):
        channel_x.append(x)
        x += channel_width[k]
        if k < len(fw.tracks):
            lane_x.append(x)
            x += column
    width = x
    gap_y, band_y, y = {}, {}, float(MARGIN_TOP)
    for r in range(top_row + 1, -1, -1):
        gap_y[r] = y
        y += gap_height[r]
        if r > 0:
            band_y[r - 1] = y
            y += band_height[r - 1]
    height = y + MARGIN_BOTTOM

    boxes: dict[str, Box] = {}
    for (lane, r), members in stacks.items():
        tops = [heights[m] for m in members]
        y = band_y[r] + (band_height[r] - _stack_height(tops)) / 2
        for lid, h in zip(members, tops):
            lvl = fw.level(lid)
            boxes[lid] = Box(lvl, lane_x[lane] + LANE_PAD, y, wrap(lvl.label), lvl.grade, r, h)
            y += h + STACK_GAP

    def track_x(k: int, n: int) -> float:
        return channel_x[k] + (n + 1) * channel_width[k] / (channel_tracks.get(k, 0) + 1)

    def track_y(g: int, n: int) -> float:
        return gap_y[g] + (n + 1) * gap_height[g] / (gap_tracks.get(g, 0) + 1)

    port_at = {}
    for (lid, side), ends in ports.items():
        box = boxes[lid]
        for i, end in enumerate(ends):
            if side in ("left", "right"):
                port_at[end] = (box.x if side == "left" else box.x + BOX_WIDTH, box.y + box.height * (i + 1) / (len(ends) + 1))
            else:
                offset = (i - (len(ends) - 1) / 2) * PORT
                port_at[end] = (box.cx + offset, box.y if side == "top" else box.y + box.height)

    _part_facing_ports(port_at, ports, slot)

    arrows = []
    for edge in edges:
        pa, pb = port_at[(id(edge), "a")], port_at[(id(edge), "b")]
        if edge.style == "straight":
            points = [pa, (pa[0], pb[1])]
        elif edge.style == "channel":
            xk = track_x(edge.channel_a, edge.tracks[("channel", edge.channel_a)])
            points = [pa, (xk, pa[1]), (xk, pb[1]), pb]
        else:
            xa = track_x(edge.channel_a, edge.tracks[("channel", edge.channel_a)])
            xb = track_x(edge.channel_b, edge.tracks[("channel", edge.channel_b)])
            yg = track_y(edge.gap, edge.tracks[("gap", edge.gap)])
            points = [pa, (xa, pa[1]), (xa, yg), (xb, yg), (xb, pb[1]), pb]
        points = _shorten(points, HEAD_ROOM, at_start=edge.both_ways)
        arrows.append(Arrow(fw.level(edge.a), fw.level(edge.b), edge.kind, tuple(points), edge.both_ways))

    lanes = tuple(Lane(t.id, _truncate(t.name, LANE_TITLE_CHARS), lane_x[i] - 4, column + 8)
                  for i, t in enumerate(fw.tracks))
    moves = tuple(Move(lvl, fw.level(p.to), p.kind.value) for lvl in fw.levels for p in lvl.paths if p.to in slot)
    kinds = tuple(k.value for k in PathKind if any(m.kind == k.value for m in moves))
    return Ladder(width=int(width + 0.5), height=int(height + 0.5), lanes=lanes,
                  boxes=tuple(boxes[lvl.id] for lvl in fw.levels), arrows=tuple(arrows), moves=moves, kinds=kinds)


def _stack_height(heights: list[float]) -> float:
    return sum(heights) + STACK_GAP * (len(heights) - 1)


def _edges(fw: Framework) -> list[_Edge]:
    """One edge per path; a path of one kind both ways between two levels is one edge, with two heads."""
    ids = {lvl.id for lvl in fw.levels}
    paths = [(lvl.id, p.to, p.kind.value) for lvl in fw.levels for p in lvl.paths if p.to in ids and p.to != lvl.id]
    seen, edges = set(), []
    for a, b, kind in paths:
        if (a, b, kind) in seen:
            continue
        back = (b, a, kind) in paths
        seen.update({(a, b, kind), (b, a, kind)} if back else {(a, b, kind)})
        edges.append(_Edge(a, b, kind, both_ways=back))
    return edges


def _route(edge: _Edge, slot: dict[str, _Slot], stacks: dict) -> None:
    """Choose the sides, channels and gap of an edge (no coordinates yet)."""
    a, b = slot[edge.a], slot[edge.b]
    if a.lane == b.lane and _neighbours(a, b, stacks):
        edge.style = "straight"
        up = (b.row, -b.place) > (a.row, -a.place)
        edge.side_a, edge.side_b = ("top", "bottom") if up else ("bottom", "top")
        return
    if b.lane > a.lane:
        edge.side_a, edge.side_b, edge.channel_a, edge.channel_b = "right", "left", a.lane + 1, b.lane
    elif b.lane < a.lane:
        edge.side_a, edge.side_b, edge.channel_a, edge.channel_b = "left", "right", a.lane, b.lane + 1
    else:  # round boxes in between, through the channel on the lane's right
        edge.side_a = edge.side_b = "right"
        edge.channel_a = edge.channel_b = a.lane + 1
    if edge.channel_a == edge.channel_b:
        edge.style = "channel"
        return
    edge.style = "gap"
    # along the gap just under the higher of the two rows (under their common row for a move within it)
    edge.gap = max(a.row, b.row)


def _neighbours(a: _Slot, b: _Slot, stacks: dict) -> bool:
    """Whether two boxes of one lane are next to each other, with no box between them."""
    low, high = sorted([a, b], key=lambda s: (s.row, -s.place))
    between = [(r, p) for (lane, r), members in stacks.items() if lane == a.lane
               for p in range(len(members)) if (low.row, -low.place) < (r, -p) < (high.row, -high.place)]
    return not between


def _level(slot: _Slot) -> float:
    """A box's height on a line where gap g is at 2g and row r at 2r + 1 (higher is more senior)."""
    return 2 * slot.row + 1


def _channel_spans(edge: _Edge, slot: dict[str, _Slot]) -> list[tuple[int, float, float]]:
    """(channel, low, high) of each upright run of the edge, in the units of `_level`."""
    a, b = _level(slot[edge.a]), _level(slot[edge.b])
    if edge.style == "channel":
        return [(edge.channel_a, min(a, b), max(a, b))]
    if edge.style == "gap":
        g = 2 * edge.gap
        return [(edge.channel_a, min(a, g), max(a, g)), (edge.channel_b, min(b, g), max(b, g))]
    return []


def _gap_spans(edge: _Edge) -> list[tuple[int, float, float]]:
    """(gap, left channel, right channel) of the edge's level run."""
    if edge.style != "gap":
        return []
    return [(edge.gap, min(edge.channel_a, edge.channel_b), max(edge.channel_a, edge.channel_b))]


def _assign_tracks(edges: list[_Edge], kind: str, spans) -> dict[int, int]:
    """Give each run its track in its channel (or gap): runs whose extents overlap, even at an end,
    get different tracks; the fewest tracks, the longest runs first. Returns the tracks per channel."""
    runs = sorted(((where, low, high, edge) for edge in edges for where, low, high in spans(edge)),
                  key=lambda r: (r[0], -(r[2] - r[1]), r[1], r[3].a, r[3].b))
    used: dict[int, list[list[tuple[float, float]]]] = {}
    for where, low, high, edge in runs:
        tracks = used.setdefault(where, [])
        for n, taken in enumerate(tracks):
            if all(high < lo or low > hi for lo, hi in taken):
                taken.append((low, high))
                edge.tracks[(kind, where)] = n
                break
        else:
            tracks.append([(low, high)])
            edge.tracks[(kind, where)] = len(tracks) - 1
    return {where: len(tracks) for where, tracks in used.items()}


def _ports(edges: list[_Edge], slot: dict[str, _Slot]) -> dict[tuple[str, str], list[tuple[int, str]]]:
    """The ends of the edges on each side of each box, ordered so that lines cross as little as they
    can: on a left or right side, the end whose line goes highest is topmost; on a top or bottom side,
    the end whose other box lies further left is leftmost."""
    found: dict[tuple[str, str], list[tuple[float, tuple[int, str]]]] = {}
    for edge in edges:
        for end, lid, side, other in (("a", edge.a, edge.side_a, edge.b), ("b", edge.b, edge.side_b, edge.a)):
            if side in ("left", "right"):
                toward = 2 * edge.gap if edge.style == "gap" else _level(slot[other])
                key = (-toward, slot[other].place, edge.kind)
            else:
                key = (slot[other].lane, edge.kind)
            found.setdefault((lid, side), []).append((key, (id(edge), end)))
    return {where: [end for _key, end in sorted(ends, key=lambda e: e[0])] for where, ends in found.items()}


def _part_facing_ports(port_at: dict, ports: dict, slot: dict[str, _Slot]) -> None:
    """Move apart two ports that face each other across a channel at one height: their connectors
    would lie on one line. The left one moves up, the right one down, a quarter of the port spacing
    each, so that ports on one side stay more than an arrowhead apart."""
    for _round in range(3):
        facing: dict[int, list[tuple[str, tuple]]] = {}  # channel → (which side of it, port end)
        for (lid, side), ends in ports.items():
            if side == "right":
                facing.setdefault(slot[lid].lane + 1, []).extend(("left", end) for end in ends)
            elif side == "left":
                facing.setdefault(slot[lid].lane, []).extend(("right", end) for end in ends)
        moved = False
        for ends in facing.values():
            lefts = [end for where, end in ends if where == "left"]
            rights = [end for where, end in ends if where == "right"]
            for p, q in itertools.product(lefts, rights):
                if abs(port_at[p][1] - port_at[q][1]) < 2:
                    port_at[p] = (port_at[p][0], port_at[p][1] - PORT / 4)
                    port_at[q] = (port_at[q][0], port_at[q][1] + PORT / 4)
                    moved = True
        if not moved:
            return


def _shorten(points: list[tuple[float, float]], by: float, at_start: bool) -> list[tuple[float, float]]:
    """The polyline with its end (and start) drawn back by `by`, so an arrowhead's tip meets the box."""

    def back(p, q):  # p moved toward q
        (x1, y1), (x2, y2) = p, q
        length = abs(x2 - x1) + abs(y2 - y1)
        if length <= by:
            return p
        return (x1 + (x2 - x1) * by / length, y1 + (y2 - y1) * by / length)

    points = list(points)
    points[-1] = back(points[-1], points[-2])
    if at_start:
        points[0] = back(points[0], points[1])
    return points


def rounded_path(points) -> str:
    """SVG path data of a polyline of level and upright segments, its corners rounded."""
    pts = [points[0]]
    for p in points[1:]:  # drop points that repeat the previous one
        if abs(p[0] - pts[-1][0]) > 0.01 or abs(p[1] - pts[-1][1]) > 0.01:
            pts.append(p)
    out = [f"M{_n(pts[0][0])},{_n(pts[0][1])}"]
    for i in range(1, len(pts) - 1):
        (x0, y0), (x1, y1), (x2, y2) = pts[i - 1], pts[i], pts[i + 1]
        r = min(CORNER, _dist(pts[i - 1], pts[i]) / 2, _dist(pts[i], pts[i + 1]) / 2)
        ax, ay = x1 - r * _sign(x1 - x0), y1 - r * _sign(y1 - y0)
        bx, by = x1 + r * _sign(x2 - x1), y1 + r * _sign(y2 - y1)
        out.append(f"L{_n(ax)},{_n(ay)} Q{_n(x1)},{_n(y1)} {_n(bx)},{_n(by)}")
    out.append(f"L{_n(pts[-1][0])},{_n(pts[-1][1])}")
    return " ".join(out)


def _dist(p, q) -> float:
    return abs(p[0] - q[0]) + abs(p[1] - q[1])


def _sign(v: float) -> int:
    return (v > 0) - (v < 0)


def _n(v: float) -> str:
    return f"{round(v, 2):g}"
