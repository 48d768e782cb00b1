"""Hiring: a job description and an interview guide per level, as facts for the handbook and the PDFs.

A job description is the level as a recruiter posts it — summary,
responsibilities, requirements, credentials, experience, the competencies it
expects, reports to, grade and pay differential — plus what only a job
description says (schedule, overtime status, physical demands, working
conditions, a closing statement): framework.yaml's `job_description:` gives
the defaults, a level's own `job_description:` replaces them key by key.

An interview guide asks, for each competency the level expects, the questions
the competency carries, with what a strong answer shows at the stage the level
expects (or, where the authors wrote none for that stage, the nearest stage
below it; a question with nothing at or below is for higher levels). Its PDF
adds a scoring sheet: a rating per competency on the interview scale, the
average, and the outcome.

Views here are facts; Markdown comes in already rendered by the caller's
`md` (the handbook links content files, PDFs don't), so this module serves both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from markupsafe import Markup

from .model import Experience, InterviewQuestion, JobDescription, RatingScale, Stage, TimeInLevel
from .resolve import Framework, Level

if TYPE_CHECKING:  # site/ imports this module for its pages
    from .site.views import CredentialNeed

Md = Callable[[str], Markup]


# --------------------------------------------------------------------------- job descriptions


@dataclass(frozen=True)
class CompetencyLine:
    id: str
    name: str
    stage: str


@dataclass(frozen=True)
class JobView:
    level: Level
    track: str  # the track's name
    summary: Markup
    responsibilities: tuple[str, ...]
    scope_notes: tuple[str, ...]
    credentials: tuple[CredentialNeed, ...]
    experience: Experience | None
    time_in_level: TimeInLevel | None
    time_in_level_of: Level | None  # the level the time must be spent in
    education: tuple[str, ...]
    other: tuple[str, ...]
    competencies: tuple[tuple[str, tuple[CompetencyLine, ...]], ...]  # (domain name, lines)
    reports_to: tuple[str, ...]
    grade: str
    pay_differential: str
    schedule: str
    exempt: bool | None
    physical_demands: tuple[str, ...]
    working_conditions: tuple[str, ...]
    statement: Markup


def job_terms(fw: Framework, level: Level) -> JobDescription:
    """The framework's job-description defaults with every key the level sets (non-empty) in their place."""
    own = {key: value for key, value in level.job_description if value not in ("", [], None)}
    return fw.meta.job_description.model_copy(update=own)


def job_view(fw: Framework, level: Level, md: Md, md_level: Md | None = None) -> JobView:
    """`md` renders Markdown from framework.yaml, `md_level` (default `md`) Markdown from the level's file:
    their relative links start from different folders."""
    from .site.views import credential_needs

    md_level = md_level or md
    terms = job_terms(fw, level)
    own = {key for key, value in level.job_description if value not in ("", [], None)}
    req = level.requirements
    groups: dict[str, list[CompetencyLine]] = {}
    for e in fw.expectations(level):
        groups.setdefault(e.competency.domain, []).append(CompetencyLine(e.competency.id, e.competency.name, e.stage.label))
    til = req.time_in_level
    return JobView(
        level=level,
        track=fw.track(level.track).name,
        summary=(md_level if "summary" in own else md)(terms.summary) if terms.summary else md_level(level.summary),
        responsibilities=tuple(level.responsibilities),
        scope_notes=tuple(level.scope_notes),
        credentials=credential_needs(fw, req.credentials),
        experience=req.experience,
        time_in_level=til,
        time_in_level_of=(fw.level(til.level) if til.level else fw.level_below(level)) if til else None,
        education=tuple(req.education),
        other=tuple(req.other),
        competencies=tuple((d.name, tuple(groups[d.id])) for d in fw.meta.domains if d.id in groups),
        reports_to=tuple(level.reports_to),
        grade=level.grade,
        pay_differential=level.pay_differential,
        schedule=terms.schedule,
        exempt=terms.exempt,
        physical_demands=tuple(terms.physical_demands),
        working_conditions=tuple(terms.working_conditions),
        statement=(md_level if "statement" in own else md)(terms.statement),
    )


# --------------------------------------------------------------------------- interview guides


@dataclass(frozen=True)
class QuestionView:
    number: int  # 1, 2 … through the guide
    question: str
    strong_answer: str  # what a strong answer shows at `answer_stage`
    answer_stage: Stage
    follow_ups: tuple[str, ...]
    notes_field: str = ""  # the PDF's notes box


@dataclass(frozen=True)
class CompetencyQuestions:
    id: str
    name: str
    domain: str
    stage: Stage  # the stage the level expects
    questions: tuple[QuestionView, ...]
    rating_field: str = ""  # the PDF scoring sheet's radio group


@dataclass(frozen=True)
class InterviewView:
    level: Level
    instructions: Markup
    competencies: tuple[CompetencyQuestions, ...]
    scale: RatingScale
    outcomes: tuple[str, ...]

    @property
    def questions(self) -> int:
        return sum(len(c.questions) for c in self.competencies)


def strong_answer_for(fw: Framework, question: InterviewQuestion, stage_id: str) -> tuple[Stage, str] | None:
    """The guidance written for `stage_id`, else for the nearest stage below it; None if none at or below."""
    for stage in reversed(fw.meta.stages[:fw.stage_rank(stage_id) + 1]):
        if question.strong_answer.get(stage.id):
            return stage, question.strong_answer[stage.id]
    return None


def interview_view(fw: Framework, level: Level, md: Md, field: Callable[..., str] | None = None) -> InterviewView | None:
    """The level's interview guide; None when no competency it expects has a question for it.
    `field(*parts)` names the PDF's fields (forms.view.FieldNames); without it, the guide has none."""
    name = field or (lambda *_parts: "")
    competencies = []
    number = 0
    for e in fw.expectations(level):
        questions = []
        for i, q in enumerate(e.competency.interview_questions, 1):
            found = strong_answer_for(fw, q, e.stage.id)
            if found is None:
                continue
            number += 1
            questions.append(QuestionView(number, q.question, found[1], found[0], tuple(q.follow_ups),
                                          name("notes", e.competency.id, str(i))))
        if questions:
            competencies.append(CompetencyQuestions(e.competency.id, e.competency.name,
                                                    fw.domain(e.competency.domain).name, e.stage, tuple(questions),
                                                    name("rating", e.competency.id)))
    if not competencies:
        return None
    settings = fw.meta.interviews
    return InterviewView(level, md(settings.instructions), tuple(competencies),
                         fw.scale(settings.scale) if settings.scale else fw.evaluation_scale,
                         tuple(settings.outcomes))


def has_interview(fw: Framework, level: Level) -> bool:
    return interview_view(fw, level, lambda text: Markup("")) is not None


# --------------------------------------------------------------------------- PDFs


@dataclass(frozen=True)
class HiringDocument:
    """What a job description or interview guide PDF prints, with what forms/document.html expects."""

    title: str
    lang: str
    paper: str
    created: str
    framework_title: str
    framework_version: str
    organisation: str
    effective: str
    job: JobView | None = None
    guide: InterviewView | None = None
    fields: dict | None = None  # the interview guide's own field names, by purpose
    footer_field: str = "candidate.name"
    values: dict | None = None  # nothing is pre-filled (forms/macros.html's text() asks)
    # No identity metadata (forms/identity.py): `ladderbuild scores` reads evaluations, not hiring papers.
    metadata: dict = field(default_factory=dict)
    keywords: tuple[str, ...] = ("ladderbuild",)
    date_hint: str = "MM/DD/YYYY"  # how to write a date in the framework's locale (forms/macros.html's date())


def _document(fw: Framework, level: Level, title: str, paper: str, **kw) -> HiringDocument:
    from . import i18n
    from .forms.html import created_date

    return HiringDocument(title=f"{title} — {level.title}", lang=i18n.html_lang(fw.meta.locale), paper=paper,
                          created=created_date(fw), framework_title=fw.meta.title,
                          framework_version=fw.meta.version, organisation=fw.meta.organisation,
                          effective=fw.meta.effective.isoformat(), date_hint=i18n.date_hint(fw.meta.locale), **kw)


def _pdf_markdown(text: str) -> Markup:
    from .forms.view import _md  # PDF Markdown: links to content files become text (see there)

    return Markup(_md(text))


def job_pdf_html(fw: Framework, level: Level, *, paper: str, templates=None) -> str:
    from . import i18n
    from .forms.html import environment

    title = i18n.translations_for(fw.meta.locale).gettext("Job description")
    doc = _document(fw, level, title, paper, job=job_view(fw, level, _pdf_markdown))
    return environment(templates, fw.meta.locale).get_template("hiring/job-description.html").render(doc=doc, fw=fw)  # fw: the framework's vocabulary


def interview_pdf_html(fw: Framework, level: Level, *, paper: str, templates=None) -> str | None:
    """The interview guide's PDF as HTML; None when the level has no questions."""
    from . import i18n
    from .forms.html import environment
    from .forms.view import FieldNames

    names = FieldNames()
    guide = interview_view(fw, level, _pdf_markdown, names)
    if guide is None:
        return None
    fields = {purpose: names(*name.split(".")) for purpose, name in (
        ("position", "interview.position"), ("interviewer", "interviewer.name"), ("date", "interview.date"),
        ("average", "score.average"), ("outcome", "interview.outcome"), ("comments", "interview.comments"),
        ("signature", "signature.interviewer.sign"))}
    title = i18n.translations_for(fw.meta.locale).gettext("Interview guide")
    doc = _document(fw, level, title, paper, guide=guide, fields=fields)
    return environment(templates, fw.meta.locale).get_template("hiring/interview-guide.html").render(doc=doc, fw=fw)  # fw: the framework's vocabulary


def pdf_tasks(fw: Framework, root, *, templates=None, paper: str | None = None) -> list:
    """A render task (forms.pdf.Task) for every level's job description and interview guide."""
    from . import urls
    from .forms.pdf import Task

    paper = paper or fw.meta.paper
    tasks = []
    for level in fw.all_levels:
        tasks.append(Task(root / urls.job_pdf(level.id), job_pdf_html(fw, level, paper=paper, templates=templates)))
        html = interview_pdf_html(fw, level, paper=paper, templates=templates)
        if html is not None:
            tasks.append(Task(root / urls.interview_pdf(level.id), html))
    return tasks
