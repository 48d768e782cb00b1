"""The ladder diagram's geometry: no arrow passes through a box, no two arrows share a line, no two
arrowheads pile up — on the shipped frameworks and on generated ones of every shape."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from conftest import FIXTURES, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ladderbuild.model import FrameworkFile, LevelPath, PathKind, Track
from ladderbuild.project import load_project
from ladderbuild.resolve import Framework, Level
from ladderbuild.site import diagram


def segments(arrow):
    return list(zip(arrow.points, arrow.points[1:]))


def crosses(segment, box, inset=1.0) -> bool:
    """Whether an upright or level segment enters the box (its border counts as outside)."""
    (x1, y1), (x2, y2) = segment
    left, right = box.x + inset, box.x + box.width - inset
    top, bottom = box.y + inset, box.y + box.height - inset
    return max(x1, x2) > left and min(x1, x2) < right and max(y1, y2) > top and min(y1, y2) < bottom


def shared_stretch(s, t) -> float:
    """How long two segments lie on one line together (0 if they only cross or touch)."""
    (ax1, ay1), (ax2, ay2) = s
    (bx1, by1), (bx2, by2) = t
    if abs(ay1 - ay2) < 0.5 and abs(by1 - by2) < 0.5 and abs(ay1 - by1) < 0.5:  # both level, one height
        return min(max(ax1, ax2), max(bx1, bx2)) - max(min(ax1, ax2), min(bx1, bx2))
    if abs(ax1 - ax2) < 0.5 and abs(bx1 - bx2) < 0.5 and abs(ax1 - bx1) < 0.5:  # both upright, one place
        return min(max(ay1, ay2), max(by1, by2)) - max(min(ay1, ay2), min(by1, by2))
    return 0.0


def heads(arrow):
    """Where the arrowheads of an arrow are: its end, and its start when it points both ways."""
    return [arrow.points[-1]] + ([arrow.points[0]] if arrow.both_ways else [])


def check_geometry(fw: Framework) -> diagram.Ladder:
    ladder = diagram.layout(fw)
    box_of = {b.level.id: b for b in ladder.boxes}
    problems = []
    for arrow in ladder.arrows:
        name = f"{arrow.source.id} → {arrow.target.id}"
        for s in segments(arrow):
            (x1, y1), (x2, y2) = s
            if abs(x1 - x2) > 0.01 and abs(y1 - y2) > 0.01:
                problems.append(f"{name}: a slanted segment {s}")
            for box in ladder.boxes:
                if crosses(s, box):
                    problems.append(f"{name}: passes through {box.level.id}")
        for level, point in ((arrow.source, arrow.points[0]), (arrow.target, arrow.points[-1])):
            box = box_of[level.id]
            x, y = point
            near = (box.x - 4 <= x <= box.x + box.width + 4) and (box.y - 4 <= y <= box.y + box.height + 4)
            if not near:
                problems.append(f"{name}: ends away from {level.id} at {point}")
    for a, b in itertools.combinations(ladder.arrows, 2):
        for s, t in itertools.product(segments(a), segments(b)):
            if shared_stretch(s, t) > 1:
                problems.append(f"{a.source.id} → {a.target.id} and {b.source.id} → {b.target.id} share a line at {s}")
    tips = [(tip, f"{a.source.id} → {a.target.id}") for a in ladder.arrows for tip in heads(a)]
    for (p, n), (q, m) in itertools.combinations(tips, 2):
        if abs(p[0] - q[0]) + abs(p[1] - q[1]) < 8:
            problems.append(f"arrowheads of {n} and {m} pile up at {p} and {q}")
    drawn = {(a.source.id, a.target.id, a.kind) for a in ladder.arrows}
    drawn |= {(a.target.id, a.source.id, a.kind) for a in ladder.arrows if a.both_ways}
    for lvl in fw.levels:
        for path in lvl.paths:
            if (lvl.id, path.to, path.kind.value) not in drawn:
                problems.append(f"{lvl.id} → {path.to} ({path.kind.value}) is not drawn")
    assert not problems, "\n".join(problems[:30])
    return ladder


@pytest.mark.parametrize("project", [REPO, REPO / "examples" / "health-manager-zh", FIXTURES / "minimal"],
                         ids=["content", "zh", "minimal"])
def test_no_arrow_passes_through_a_box_on_the_shipped_frameworks(project):
    ladder = check_geometry(load_project(project).framework)
    assert ladder.arrows


def test_moves_both_ways_are_one_line_with_two_heads():
    fw = load_project(REPO).framework
    ladder = check_geometry(fw)
    both = [frozenset((a.source.id, a.target.id)) for a in ladder.arrows if a.both_ways]
    two_way = {frozenset((lvl.id, p.to)) for lvl in fw.levels for p in lvl.paths
               if any(q.to == lvl.id for q in fw.level(p.to).paths)}
    assert two_way and sorted(map(sorted, both)) == sorted(map(sorted, two_way))  # one line for each pair
    # the text list beside the drawing keeps every move, one a line
    assert len(ladder.moves) == sum(len(lvl.paths) for lvl in fw.levels)


def test_a_box_many_arrows_meet_grows_taller_so_their_heads_keep_apart():
    # level 0 (track 0) is met by a move from each of eight levels of track 1
    fw = _framework(2, [(0, 0)] + [(1, n) for n in range(8)], [(i, 0, "lateral") for i in range(1, 9)])
    ladder = check_geometry(fw)
    box = next(b for b in ladder.boxes if b.level.id == "l0")
    assert box.height > diagram.BOX_HEIGHT


# --------------------------------------------------------------------------- generated frameworks


def _framework(tracks: int, levels: list[tuple[int, int]], paths: list[tuple[int, int, str]]) -> Framework:
    """A framework of `tracks` tracks; levels as (track, seniority); paths as (from, to, kind) between levels."""
    meta = FrameworkFile(title="T", organisation="O", version="1", effective=dt.date(2026, 1, 1),
                         stages=[{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
                         scales=[{"id": "s", "label": "S", "points": [{"value": 1, "label": "1"}, {"value": 2, "label": "2"}]}],
                         domains=[{"id": "d", "name": "D"}])
    track_list = tuple(Track(id=f"t{i}", name=f"Track {i}") for i in range(tracks))
    rank_in_track: dict[int, int] = {}
    made = []
    for i, (track, seniority) in sorted(enumerate(levels), key=lambda x: (x[1][0], x[1][1], x[0])):
        rank_in_track[track] = rank_in_track.get(track, 0) + 1
        made.append((i, track, rank_in_track[track]))
    by_index = {}
    for i, track, rank in made:
        out = [LevelPath(to=f"l{b}", kind=PathKind(kind)) for a, b, kind in paths if a == i]
        by_index[i] = Level(id=f"l{i}", title=f"Level {i} with a longer title", track=f"t{track}", rank=rank,
                            summary="s", paths=out)
    ordered = tuple(sorted(by_index.values(), key=lambda lvl: (int(lvl.track[1:]), lvl.rank, lvl.id)))
    return Framework(meta=meta, tracks=track_list, levels=ordered, competencies=())


@st.composite
def frameworks(draw):
    tracks = draw(st.integers(1, 5))
    count = draw(st.integers(1, 12))
    levels = [(draw(st.integers(0, tracks - 1)), draw(st.integers(0, 6))) for _ in range(count)]
    # Promotions and bridges go to a more senior level (as validation requires: no cycles); lateral
    # moves go anywhere. Seniority orders each track too, so the two never disagree.
    order = sorted(range(count), key=lambda i: (levels[i][1], levels[i][0], i))
    position = {i: n for n, i in enumerate(order)}
    paths = []
    for _ in range(draw(st.integers(0, 24))):
        a, b = draw(st.integers(0, count - 1)), draw(st.integers(0, count - 1))
        if a == b:
            continue
        kind = draw(st.sampled_from(["promotion", "lateral", "bridge"]))
        if kind != "lateral" and position[a] > position[b]:
            a, b = b, a
        if levels[a][0] == levels[b][0] and kind != "lateral" and levels[a][1] == levels[b][1]:
            continue
        if (a, b, kind) not in paths:
            paths.append((a, b, kind))
    return _framework(tracks, levels, paths)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frameworks())
def test_no_arrow_passes_through_a_box_on_any_framework(fw):
    try:
        diagram.rows(fw)
    except AssertionError:  # a cycle the generator made through a track's own order: validation refuses it
        return
    check_geometry(fw)
