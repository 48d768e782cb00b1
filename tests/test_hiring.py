"""Job descriptions and interview guides: the PDFs read back (text and fields), the handbook pages, and
the content keys that feed them."""

from __future__ import annotations

import io
import pytest
from conftest import REPO
from helpers import diagnostics, edit, line_of, only
from pypdf import PdfReader

from ladderbuild import hiring
from ladderbuild.forms.pdf import render_pdf
from ladderbuild.project import load_project

ZH = REPO / "examples" / "health-manager-zh"


def pdf(html: str) -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(html)))


def text_of(reader: PdfReader) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture(scope="module")
def ma():
    return load_project(REPO).framework


def test_a_job_description_pdf_says_what_a_recruiter_posts(ma):
    level = ma.level("ma-2--cardiology")  # a level with a specialism is a job of its own
    text = text_of(pdf(hiring.job_pdf_html(ma, level, paper="letter")))
    assert level.title in text and "Job description" in text
    assert " ".join(level.summary.split()) in text
    for responsibility in level.responsibilities[:3]:
        assert " ".join(responsibility.split())[:60] in text
    assert "Grade" in text and level.grade in text
    assert level.pay_differential in text
    assert "Reports to" in text and level.reports_to[0] in text
    assert "Experience" in text and "At least" in text
    terms = ma.meta.job_description
    assert terms.physical_demands[0][:50] in text and terms.working_conditions[0][:50] in text
    assert "Non-exempt (eligible for overtime pay)" in text
    assert "equal opportunity employer" in text
    for e in ma.expectations(level)[:3]:
        assert e.competency.name in text


def test_a_level_replaces_the_framework_terms_key_by_key(ma):
    supervisor = hiring.job_terms(ma, ma.level("ma-supervisor"))
    assert supervisor.exempt is True and supervisor.schedule.startswith("Full-time, Monday to Friday")
    assert supervisor.physical_demands == ma.meta.job_description.physical_demands  # not set by the level
    assert hiring.job_terms(ma, ma.level("ma-2")).exempt is False
    text = text_of(pdf(hiring.job_pdf_html(ma, ma.level("ma-supervisor"), paper="a4")))
    assert "Exempt (not eligible for overtime pay)" in text


def test_the_interview_guide_asks_the_questions_of_the_expected_competencies_with_a_scoring_sheet(ma):
    level = ma.level("ma-2")
    html = hiring.interview_pdf_html(ma, level, paper="letter")
    reader = pdf(html)
    text = text_of(reader)
    asked = [(e, q) for e in ma.expectations(level) for q in e.competency.interview_questions]
    assert len(asked) >= 10
    for expectation, question in asked:
        assert " ".join(question.question.split())[:60] in text
        assert " ".join(question.strong_answer[expectation.stage.id].split())[:60] in text
    assert "Scoring sheet" in text and "Recommend hiring" in text
    fields = reader.get_fields()
    ratings = [name for name in fields if name.startswith("rating.")]
    assert set(ratings) == {f"rating.{e.competency.id}" for e, _q in asked}
    states = {str(s) for s in fields["rating.vital-signs"].get("/_States_", [])}
    assert {"/1", "/2", "/3", "/4", "/na"} <= states
    assert "candidate.name" in fields and "interview.outcome" in fields and "score.average" in fields
    assert any(name.startswith("notes.vital-signs.") for name in fields)


def test_the_guidance_is_the_expected_stage_or_the_nearest_below(ma):
    vitals = ma.competency("vital-signs").interview_questions[0]
    stage, text = hiring.strong_answer_for(ma, vitals, "expert")  # nothing written for expert
    assert stage.id == "proficient" and text == vitals.strong_answer["proficient"]
    assert hiring.strong_answer_for(ma, vitals, "competent")[0].id == "competent"
    assert hiring.strong_answer_for(ma, vitals, "novice") is None  # a question for higher levels


def test_a_level_without_questions_has_no_guide(project_copy):
    project = project_copy()
    path = project / "content/competencies/vital-signs.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("interview_questions:")], encoding="utf-8")
    fw = load_project(project).framework
    assert not any(hiring.has_interview(fw, lvl) for lvl in fw.levels)
    assert hiring.interview_pdf_html(fw, fw.level("lead"), paper="letter") is None


def test_a_strong_answer_for_a_stage_that_does_not_exist_is_located(project_copy):
    project = project_copy()
    edit(project, "competencies/vital-signs.yaml", "      competent: Follows", "      competant: Follows")
    found = only(diagnostics(project), "unknown-stage")
    assert found.file.endswith("competencies/vital-signs.yaml")
    assert found.line == line_of(project, "competencies/vital-signs.yaml", "competant: Follows")
    assert "did you mean `competent`" in found.hint


def test_the_chinese_guide_and_job_description():
    fw = load_project(ZH).framework
    level = fw.level("health-manager-2")
    text = text_of(pdf(hiring.interview_pdf_html(fw, level, paper="a4")))
    assert "面试指南" in text and "评分表" in text and "建议录用" in text
    job = text_of(pdf(hiring.job_pdf_html(fw, level, paper="a4")))
    assert "岗位说明书" in job and "工作环境" in job and level.title in job


def test_the_handbook_pages_and_the_level_page_link(sites):
    root = sites["content"]
    job = (root / "jobs/ma-2.html").read_text(encoding="utf-8")
    assert "Job description: Medical Assistant II" in job and "Physical demands" in job
    assert 'href="../competencies/vital-signs.html"' in job
    guide = (root / "interviews/ma-2.html").read_text(encoding="utf-8")
    assert "A strong answer at Competent shows" in guide and "Tell me about a time a blood pressure" in guide
    assert "<textarea" not in guide and "<input type=\"radio\"" not in guide  # no form fields on the web
    level = (root / "levels/ma-2.html").read_text(encoding="utf-8")
    for href in ("../jobs/ma-2.html", "../interviews/ma-2.html", "../worksheets/ma-2.xlsx", "../worksheets/ma-2.csv"):
        assert f'href="{href}"' in level
    downloads = (root / "downloads.html").read_text(encoding="utf-8")
    assert 'href="api/v1/framework.json"' in downloads and 'href="worksheets/ma-1.xlsx"' in downloads
    assert (root / "worksheets/ma-1.xlsx").is_file() and (root / "api/v1/levels/ma-1.json").is_file()
