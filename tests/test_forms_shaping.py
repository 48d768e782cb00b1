"""Laying out a field line that runs right to left or joins its letters (forms/shaping.py,
fieldfonts.shaped_line). What the reader sees is tested in test_forms_appearance.py, against page
text laid out by WeasyPrint in poppler and PDFium; these are the rules underneath, on cases worked
out by hand from UAX #9."""

from __future__ import annotations

import pytest

from ladderbuild.forms import fieldfonts, shaping
from ladderbuild.forms.appearance import layout


@pytest.mark.parametrize("levels, order", [
    ([0, 0, 0], [0, 1, 2]),
    ([1, 1, 1], [2, 1, 0]),
    ([0, 1, 1, 0], [0, 2, 1, 3]),  # an RTL phrase inside an LTR line
    ([1, 2, 2, 1], [3, 1, 2, 0]),  # a number inside RTL text keeps its own order
    ([1, 2, 1, 2], [3, 2, 1, 0]),
    ([2, 2], [0, 1]),  # nothing odd on the line: nothing reversed
])
def test_runs_are_drawn_in_the_order_of_rule_l2(levels, order):
    assert shaping.visual_order(levels) == order


def test_levels_follow_the_first_strong_letter_and_numbers_follow_the_letters_before_them():
    assert shaping.embedding_levels("abc") == [0, 0, 0]
    assert shaping.embedding_levels("שלום") == [1, 1, 1, 1]
    # Latin then a number inside a Hebrew line: the number follows the Latin word (W7), both left to right
    assert shaping.embedding_levels("שלום Ali 12") == [1] * 5 + [2] * 6
    # a number after Hebrew letters in a Latin line runs right to left with them
    assert shaping.embedding_levels("Dana לוי 3") == [0] * 5 + [1, 1, 1, 1, 2]


def test_which_characters_are_shaped():
    assert all(shaping.needs_shaping(c) for c in "שמحمد١")
    assert not any(shaping.needs_shaping(c) for c in "Zoë Ångström 张伟 Дмитрий 12()")
    assert not shaping.line_needs_shaping("Nguyễn Thị Hương")
    assert shaping.line_needs_shaping("Dana לוי")


def test_brackets_in_right_to_left_text_are_mirrored():
    base = fieldfonts.base_font()
    placed, _width = fieldfonts.shaped_line("(שלום)", base)
    ids = [g.gid for g in placed]
    # drawn from the left: the closing bracket's position holds "(" — the mirror of ")" — and so on
    assert ids[0] == base.glyphs[ord("(")] and ids[-1] == base.glyphs[ord(")")]
    assert [g.font for g in placed[1:-1]] == [placed[1].font] * 4 and placed[1].font.source is not None


def test_arabic_is_drawn_in_joining_forms_from_the_right():
    base = fieldfonts.base_font()
    placed, width = fieldfonts.shaped_line("محمد", base)
    font = placed[0].font
    by_gid = {gid: cp for cp, gid in font.glyphs.items()}
    # from the left: final dal, medial meem, medial hah, initial meem (their presentation forms)
    assert [by_gid[g.gid] for g in placed] == [0xFEAA, 0xFEE4, 0xFEA4, 0xFEE3]
    assert [g.x for g in placed] == sorted(g.x for g in placed) and width > 0
    # the subset keeps the face's glyph ids and carries a width for every glyph shaping may pick
    assert all(g.gid in font.widths for g in placed)


def test_a_long_right_to_left_value_shrinks_to_its_box_like_any_other():
    base = fieldfonts.base_font()
    name = "محمد عبد الله بن عبد العزيز آل سعود"
    wide = layout(name, 400, 14, 0, False, base)
    narrow = layout(name, 120, 14, 0, False, base)
    assert narrow.size < wide.size
    assert fieldfonts.shaped_line(name, base)[1] / 1000 * narrow.size <= 120


def test_a_non_joiner_parts_letters_and_a_joiner_joins_them():
    """Persian names part letters with a zero-width non-joiner; they must not be dropped before shaping."""
    base = fieldfonts.base_font()

    def forms(text: str) -> list[int]:
        placed, _width = fieldfonts.shaped_line(fieldfonts.drawn(text), base)
        by_gid = {gid: cp for cp, gid in placed[0].font.glyphs.items()}
        return [by_gid.get(g.gid) for g in placed]

    assert forms("مم") == [0xFEE2, 0xFEE3]  # joined: final meem on the left, initial on the right
    # parted: both isolated (the isolated form is the letter's own glyph; the non-joiner draws nothing)
    assert [f for f in forms("م\u200cم") if f not in (None, 0x20)] == [0x645, 0x645]
    assert forms("م\u200d")[-1] == 0xFEE3  # a joiner after it: the initial form
