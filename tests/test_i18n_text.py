"""Running text in scripts written without spaces: a line break in the source is not a gap on the page."""

from __future__ import annotations

from markupsafe import Markup

from ladderbuild import i18n, markdown
from ladderbuild.load import parse_yaml

YAML = """\
folded: >-
  能独立管理中高风险客户，
  并承担带教。BMI
  与 Latin
  words

  第二段
plain: 这是
  继续
literal: |
  字面
  保持
indented: >
  列表：
    一、缩进的行
  回到
latin: >-
  English lines
  stay spaced
"""


def test_yaml_line_breaks_between_chinese_characters_join_without_a_space():
    data = parse_yaml(YAML)[0]
    assert data["folded"] == "能独立管理中高风险客户，并承担带教。BMI 与 Latin words\n第二段"
    assert data["plain"] == "这是继续"
    assert data["literal"] == "字面\n保持\n"  # a literal block keeps its line breaks
    assert data["indented"] == "列表：\n  一、缩进的行\n回到\n"  # YAML's own folding, left alone
    assert data["latin"] == "English lines stay spaced"


def test_markdown_soft_breaks_between_chinese_characters_render_as_nothing():
    html = markdown.render("第一行，\n第二行 **粗体**\n继续\nEnglish\nwords 中文\n结尾")
    assert html == "<p>第一行，第二行 <strong>粗体</strong>继续\nEnglish\nwords 中文结尾</p>\n"
    assert markdown.render("한국어\n문장") == "<p>한국어\n문장</p>\n"  # Korean is written with spaces


def test_join_text_joins_pieces_the_way_the_language_does():
    assert i18n.join_text(["客户长期留存率", "（目标值 ≥ 80%）"]) == "客户长期留存率（目标值 ≥ 80%）"
    assert i18n.join_text(["Retention", "(target ≥ 80%)", ""]) == "Retention (target ≥ 80%)"
    assert i18n.join_text(["<b>", Markup("<i>斜</i>"), "体"]) == Markup("&lt;b&gt; <i>斜</i>体")
