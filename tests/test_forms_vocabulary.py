"""A framework's own words (framework.yaml `vocabulary:`) on its forms, as in its handbook: an
engineering ladder that says "Skill" for competency and "Band" for level gets "Skill ratings",
"Rate each skill …" and "Current band" on every form, packet, job description and interview guide,
not the defaults."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from ladderbuild.forms.html import form_html, packet_html
from ladderbuild.project import load_project
from test_forms_support import project_dir

VOCABULARY = """vocabulary:
  competency: Skill
  competencies: Skills
  level: Band
  grade: Pay band
"""
# The interface phrases the forms print, by default, with "competency", "level" or "grade" in them.
DEFAULT_PHRASES = re.compile(r"(?i)competenc|current level|target level|\bLevel:|\bGrade\b|\b(this|the) level")


@pytest.fixture(scope="module")
def renamed(tmp_path_factory):
    root = tmp_path_factory.mktemp("vocabulary") / "project"
    shutil.copytree(project_dir("forms-all"), root)
    framework = root / "content" / "framework.yaml"
    framework.write_text(framework.read_text(encoding="utf-8") + VOCABULARY, encoding="utf-8")
    # The content's own words follow the vocabulary too (they are the author's, not ladderbuild's).
    for path, old_text, new_text in [("framework.yaml", "label: Competencies", "label: Skills"),
                                     ("framework.yaml", "the level", "the band"),  # the scale's descriptions
                                     ("forms/validation.yaml", "Competency validation", "Skill validation"),
                                     ("forms/promotion.yaml", "the target level", "the next band"),
                                     # and a gaps section (an improvement plan's), which forms-all lacks
                                     ("forms/plan.yaml", "  - kind: smart-goals\n",
                                      "  - kind: gaps\n    count: 1\n  - kind: smart-goals\n")]:
        file = root / "content" / path
        text = file.read_text(encoding="utf-8")
        assert old_text in text, (path, old_text)
        file.write_text(text.replace(old_text, new_text), encoding="utf-8")
    project = load_project(root)
    assert not project.errors, "\n".join(d.format() for d in project.errors)
    return project.framework


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S)))


def every_document(fw):
    from ladderbuild.hiring import interview_pdf_html, job_pdf_html

    for level in fw.levels:
        yield f"job description ({level.id})", job_pdf_html(fw, level, paper="letter")
        guide = interview_pdf_html(fw, level, paper="letter")
        if guide is not None:
            yield f"interview guide ({level.id})", guide
        for form in fw.forms_for(level):
            yield f"{form.id} ({level.id})", form_html(fw, form, level, paper="letter")
        for packet in fw.packets_for(level):
            yield f"{packet.id} ({level.id})", packet_html(fw, packet, level, paper="letter")


def test_every_form_and_packet_speaks_the_framework_words(renamed):
    seen = set()
    for name, html in every_document(renamed):
        text = text_of(html)
        found = DEFAULT_PHRASES.search(text)
        assert found is None, f"{name}: “{text[max(0, found.start() - 60):found.end() + 60]}”"
        seen |= {phrase for phrase in ("Skill ratings", "Rate each skill", "Skill validation", "Skill developed",
                                       "Skill or area", "No skills are expected", "Current band", "Target band",
                                       "Band:", "Average of the skill ratings", "this band's skills",
                                       "Time in band", "rate each skill on the scoring sheet")
                 if phrase in text}
    # each renamed phrase was printed somewhere (forms-all has every kind of section)
    assert seen >= {"Skill ratings", "Rate each skill", "Skill validation", "Skill developed", "Skill or area",
                    "Current band", "Band:", "Average of the skill ratings", "this band's skills", "Time in band",
                    "rate each skill on the scoring sheet"}, seen


def test_the_printed_form_says_them_too(renamed, tmp_path):
    """The same words in the PDF a manager prints, read back by poppler."""
    from ladderbuild.forms.pdf import render_pdf

    level = next(lvl for lvl in renamed.levels if any(f.id == "annual" for f in renamed.forms_for(lvl)))
    form = next(f for f in renamed.forms_for(level) if f.id == "annual")
    pdf = tmp_path / "annual.pdf"
    pdf.write_bytes(render_pdf(form_html(renamed, form, level, paper="letter")))
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    text = re.sub(r"\s+", " ", text)
    assert "Skill ratings" in text and "Rate each skill" in text and "Band:" in text
    assert not DEFAULT_PHRASES.search(text), DEFAULT_PHRASES.search(text)


def test_the_calibration_report_says_them_too(renamed, tmp_path):
    """`ladderbuild scores`' report, for HR: the same words (an empty cycle shows every heading)."""
    from ladderbuild.scores.run import write_report
    from ladderbuild.scores.store import Store

    store = Store(tmp_path / "store.sqlite")
    try:
        store.finish()
        write_report(renamed, store, tmp_path, None)
    finally:
        store.close()
    text = text_of((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert "Rated far from their band" in text and "per skill" in text and "skill ratings average" in text
    found = re.search(r"(?i)competenc|\b(by|the|their) level", text)
    assert found is None, text[max(0, found.start() - 60):found.end() + 60]
