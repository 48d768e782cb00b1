"""View models: everything a form template prints, worked out in Python.

A template receives one `DocumentView` (a single form, or a packet of forms)
and only lays it out: which competencies a level expects and at what stage,
the anchor text for that stage, the options of each rating, which ratings
need a comment, the weights of the score worksheet, and the name of every
PDF field are all decided here. User-facing wording stays in the templates
(so it goes through gettext); the views carry facts and keys.

Field names are stable and meaningful (`employee.name`, `rating.vital-signs`,
`comment.vital-signs`, `validation.vital-signs`, `signature.employee.date` …).
The dots make a hierarchy in the PDF, so no name may be the prefix of another
(`a.b` and `a.b.c` cannot both exist). In a packet, fields that describe the
employee and the cycle are shared by every form (type the name once, it
appears everywhere); all other fields get the form's id in front
(`annual.rating.vital-signs`) so the self-assessment and the manager's
evaluation do not overwrite each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import i18n, markdown
from . import identity
from ..model import (
    AttestationSection, CheckInsSection, CompetencyRatingsSection, DecisionSection, EligibilitySection,
    EvidenceChecklistSection, FeedbackSummarySection, FormFile, FormType, GapsSection, GoalsReviewSection,
    HeaderSection, KpiSection,
    MethodLegendSection, NarrativeSection, PacketFile, RatingScale, SignaturesSection, SmartGoalsSection,
    ValidationChecklistSection, ValuesSection, WeightedScoreSection,
)
from ..resolve import Framework, Level

# Header fields that describe the employee or the cycle: one shared PDF field per packet.
HEADER_FIELDS = {
    "employee": "employee.name",
    "employee-id": "employee.id",
    "level": "employee.level",
    "department": "employee.department",
    "hire-date": "employee.hire-date",
    "review-period": "review.period",
    "manager": "manager.name",
    "evaluator": "evaluator.name",
    "reviewer": "reviewer.name",
    "date": "form.date",
    "target-level": "promotion.target-level",
    "validator": "validator.name",
    "peer": "peer.name",
}
SHARED_FIELDS = frozenset({
    "employee.name", "employee.id", "employee.level", "employee.department", "employee.hire-date",
    "review.period", "manager.name", "evaluator.name",
})
# What a personalised packet fills in, from the roster (see roster.py).
PERSONAL_FIELDS = ("employee.name", "employee.id", "employee.level", "employee.department",
                   "employee.hire-date", "review.period", "manager.name", "evaluator.name")

NOT_APPLICABLE = "na"
VALIDATION_RESULTS = ("met", "not-met", "not-observed")


# --------------------------------------------------------------------------- field naming


class FieldNames:
    """Hands out the PDF field names of one form, with its prefix inside a packet."""

    def __init__(self, prefix: str = ""):
        self.prefix = prefix
        self.used: set[str] = set()

    def __call__(self, *parts: str) -> str:
        name = ".".join(parts)
        if name in SHARED_FIELDS:
            return name
        full = self.prefix + name
        # The same name twice in one form (two sections rating the same competency) gets a suffix.
        candidate, n = full, 2
        while candidate in self.used:
            candidate = f"{full}-{n}"
            n += 1
        self.used.add(candidate)
        return candidate


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class HeaderField:
    key: str  # the header field kind, e.g. "employee-id" (templates map it to a label)
    name: str  # PDF field name
    value: str = ""  # pre-filled value (the level's title, …)


@dataclass(frozen=True)
class RatingOption:
    value: str  # export value of the radio button: the scale point's value, or "na"
    label: str
    description: str  # HTML (inline Markdown)
    comment_required: bool = False
    not_applicable: bool = False


@dataclass(frozen=True)
class Rating:
    """One rated line: a radio group over the scale (with N/A where allowed)."""

    field: str
    comment_field: str
    options: tuple[RatingOption, ...]
    required_for: tuple[RatingOption, ...]  # the options that need a written comment
    describe_each: bool = True  # print each point's description beside its button (else once, in a legend)


# Scale descriptions longer than this are printed once per section rather than beside every button,
# so a form with thirty competencies stays a form and not a booklet.
INLINE_DESCRIPTION_LIMIT = 100


@dataclass(frozen=True)
class CompetencyItem:
    id: str
    name: str
    description: str  # HTML
    stage: str  # expected stage label
    anchor: str  # HTML: what the competency looks like at the expected stage
    next_stage: str = ""
    next_anchor: str = ""  # HTML, when the section shows the next stage up
    rating: Rating | None = None


@dataclass(frozen=True)
class DomainGroup:
    id: str
    name: str
    items: tuple


@dataclass(frozen=True)
class ValidationItem:
    id: str
    name: str
    stage: str
    anchor: str  # HTML
    steps: tuple[str, ...]  # HTML (inline)
    step_fields: tuple[str, ...]  # a checkbox per critical step
    methods: tuple[tuple[str, str, str], ...]  # (method id, label, checkbox field)
    result_field: str
    results: tuple[str, ...]
    validator_field: str
    credential_field: str
    initials_field: str
    date_field: str


@dataclass(frozen=True)
class ValueItem:
    id: str
    name: str
    description: str  # HTML
    rating: Rating


@dataclass(frozen=True)
class GoalReviewItem:
    number: int
    goal_field: str
    rating: Rating


@dataclass(frozen=True)
class SmartGoalItem:
    number: int
    goal_field: str
    measure_field: str
    actions_field: str
    competency_field: str
    date_field: str


@dataclass(frozen=True)
class TrainingHint:
    title: str
    format: str
    hours: float | None
    mandatory: bool
    competencies: tuple[str, ...]


@dataclass(frozen=True)
class ScoreRow:
    id: str
    label: str
    weight: float  # percent
    source: str  # "competencies" | "goals" | "values" | "kpis"
    domains: tuple[str, ...]  # names, when the row covers only some domains
    description: str  # HTML
    average_field: str
    weighted_field: str


@dataclass(frozen=True)
class KpiItem:
    id: str
    name: str
    numerator: str
    denominator: str
    target: str
    period: str
    description: str
    result_field: str
    met_field: str


@dataclass(frozen=True)
class Gate:
    """One eligibility condition for promotion, with a 'met' checkbox and a note."""

    kind: str  # last-rating | discipline | training | time-in-level | experience | credential | education | other
    text: str  # the fact to print (a label, a title, a free text …)
    number: float | None = None  # months, a rating value …
    extra: str = ""  # e.g. the scale label of a rating, the level a time must be spent in
    required: bool = True
    met_field: str = ""
    note_field: str = ""


@dataclass(frozen=True)
class EvidenceRow:
    description: str
    count: int
    done_field: str
    reference_field: str


@dataclass(frozen=True)
class PointsRow:
    id: str
    label: str
    points_each: float
    cap: float | None
    examples: tuple[str, ...]
    count_field: str
    points_field: str


@dataclass(frozen=True)
class GapRow:
    """One gap an improvement plan addresses."""

    number: int
    area_field: str  # the competency or area
    expected_field: str  # what the level expects
    observed_field: str  # what was observed: facts and dates


@dataclass(frozen=True)
class CheckInRow:
    number: int
    planned_field: str
    held_field: str
    progress_field: str
    initials_field: str


@dataclass(frozen=True)
class SummaryRow:
    """One value or competency of a 360 summary: how many reviewers rated it, their average, the themes."""

    id: str
    name: str
    reviewers_field: str
    average_field: str
    themes_field: str


@dataclass(frozen=True)
class DecisionOption:
    value: str
    label: str


@dataclass(frozen=True)
class Signer:
    role: str  # employee | evaluator | … (templates map it to a label)
    name_field: str
    signature_field: str
    date_field: str
    acknowledges: bool = False  # the employee signs someone else's evaluation of them: receipt, not agreement


@dataclass
class SectionView:
    """One section of a form; `kind` picks the template, the other fields are what it prints."""

    kind: str
    title: str  # the author's title; empty means the template's default for the kind
    instructions: str  # HTML
    anchor: str  # HTML id (for the outline and the packet's contents)
    data: dict = field(default_factory=dict)


@dataclass
class FormView:
    id: str
    title: str
    type: str
    audience: str
    instructions: str  # HTML
    anchor: str
    sections: list[SectionView]
    level: Level
    target: Level | None = None  # promotion readiness: the level applied for (the form's level)
    sources: tuple[Level, ...] = ()  # promotion readiness: levels with a path into the target


@dataclass
class PacketEntry:
    form: FormView
    pages_anchor: str


@dataclass
class DocumentView:
    """What one PDF prints: a form, or a packet (cover + forms)."""

    title: str  # PDF document title
    lang: str
    paper: str  # "letter" | "a4"
    created: str  # W3C date-time for dcterms.created / modified
    framework_title: str
    framework_version: str
    organisation: str
    effective: str  # ISO date
    level: Level
    forms: list[FormView]
    packet: PacketFile | None = None
    packet_instructions: str = ""  # HTML
    cover_fields: tuple[HeaderField, ...] = ()
    footer_field: str = "employee.name"
    # Text fields pre-filled by name: only the reference (slow) path of personalised packets sets these;
    # the fast path fills the laid-out PDF instead (personal.py).
    values: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)  # what the PDF says it is (identity.py)

    @property
    def keywords(self) -> list[str]:
        """The PDF's keywords: what it is, for document stores and desktop search (not the fingerprint)."""
        return ["ladderbuild"] + [v for k, v in self.metadata.items() if k not in (identity.FIELDS, identity.EMPLOYEE)]


# --------------------------------------------------------------------------- building views


@lru_cache(maxsize=4096)
def _md(text: str, inline: bool = False) -> str:
    """Markdown → HTML, each distinct fragment once.

    Links to other content files become plain text: a PDF is read on paper or far from the
    handbook (personalised packets are not in output/), where a relative link would be broken.
    Web links stay links.
    """
    if not text:
        return ""
    html = markdown.render(text, lambda href: None, inline=inline)
    return _DEAD_LINK.sub(r"\1", html)


_DEAD_LINK = re.compile(r'<a href="#">(.*?)</a>', re.S)


def _anchor(*parts: str) -> str:
    return "-".join(p for p in parts if p)


def rating_view(scale: RatingScale, field_name: str, comment_name: str) -> Rating:
    """A radio group on `scale` (one button per point, and N/A where the scale allows it) and its comment box."""
    options = [RatingOption(str(p.value), p.label, _md(p.description, inline=True), scale.requires_comment(p.value))
               for p in scale.ordered_points]
    if scale.not_applicable.allowed:
        options.append(RatingOption(NOT_APPLICABLE, scale.not_applicable.label,
                                    _md(scale.not_applicable.description, inline=True), False, True))
    return Rating(field_name, comment_name, tuple(options), tuple(o for o in options if o.comment_required),
                  describe_each=describe_each(scale))


def describe_each(scale: RatingScale) -> bool:
    texts = [p.description for p in scale.points] + [scale.not_applicable.description]
    return all(len(t) <= INLINE_DESCRIPTION_LIMIT for t in texts)


def form_view(fw: Framework, form: FormFile, level: Level, prefix: str = "") -> FormView:
    names = FieldNames(prefix)
    anchor_base = prefix.rstrip(".") or form.id
    target, sources = None, ()
    if form.type is FormType.PROMOTION_READINESS:
        target = level
        sources = tuple(src for src, path in fw.paths_into(level) if path.kind.value != "lateral")
    sections = []
    for i, section in enumerate(form.sections, 1):
        view = SectionView(kind=section.kind, title=section.title, instructions=_md(section.instructions),
                           anchor=_anchor("s", anchor_base, str(i), section.kind))
        view.data = _SECTION_BUILDERS[section.kind](fw, form, level, section, names, sources)
        sections.append(view)
    return FormView(id=form.id, title=form.title, type=form.type.value, audience=form.audience.value,
                    instructions=_md(form.instructions), anchor=_anchor("form", anchor_base), sections=sections,
                    level=level, target=target, sources=sources)


def _header(fw, form, level, section: HeaderSection, names, sources):
    fields = []
    for key in section.fields:
        value = ""
        if key == "level":
            value = sources[0].title if form.type is FormType.PROMOTION_READINESS and len(sources) == 1 else (
                "" if form.type is FormType.PROMOTION_READINESS else level.title)
        elif key == "target-level" and form.type is FormType.PROMOTION_READINESS:
            value = level.title
        name = HEADER_FIELDS[key]
        if key == "level" and form.type is FormType.PROMOTION_READINESS:
            name = "promotion.current-level"  # not the shared `employee.level`: it is the level being left
        fields.append(HeaderField(key, names(*name.split(".")), value))
    return {"fields": fields, "promotion": form.type is FormType.PROMOTION_READINESS}


def _groups(fw: Framework, level: Level, domains: list[str], make) -> list[DomainGroup]:
    groups: dict[str, list] = {}
    for exp in fw.expectations(level, domains or None):
        groups.setdefault(exp.competency.domain, []).append(make(exp))
    return [DomainGroup(d.id, d.name, tuple(groups[d.id])) for d in fw.meta.domains if d.id in groups]


def _next_stage(fw: Framework, stage_id: str):
    stages = fw.meta.stages
    index = fw.stage_rank(stage_id)
    return stages[index + 1] if index + 1 < len(stages) else None


def _competency_ratings(fw, form, level, section: CompetencyRatingsSection, names, sources):
    scale = fw.scale(section.scale) if section.scale else fw.evaluation_scale

    def make(exp) -> CompetencyItem:
        comp, stage = exp.competency, exp.stage
        nxt = _next_stage(fw, stage.id) if section.show_next_stage else None
        return CompetencyItem(
            id=comp.id, name=comp.name, description=_md(comp.description, inline=True), stage=stage.label,
            anchor=_md(comp.anchors.get(stage.id, ""), inline=True),
            next_stage=nxt.label if nxt and comp.anchors.get(nxt.id) else "",
            next_anchor=_md(comp.anchors.get(nxt.id, ""), inline=True) if nxt else "",
            rating=rating_view(scale, names("rating", comp.id), names("comment", comp.id)))

    return {"scale": _scale_view(scale), "groups": _groups(fw, level, section.domains, make)}


def _scale_view(scale: RatingScale) -> dict:
    return {
        "legend": not describe_each(scale),
        "label": scale.label,
        "description": _md(scale.description, inline=True),
        "points": [(str(p.value), p.label, _md(p.description, inline=True), scale.requires_comment(p.value))
                   for p in scale.ordered_points],
        "not_applicable": (scale.not_applicable.label, _md(scale.not_applicable.description, inline=True))
        if scale.not_applicable.allowed else None,
    }


def _validation_checklist(fw, form, level, section: ValidationChecklistSection, names, sources):
    def make(exp) -> ValidationItem:
        comp = exp.competency
        method_ids = comp.validation_methods or [m.id for m in fw.meta.validation_methods]
        methods = tuple((m, fw.method(m).label, names("method", comp.id, m)) for m in method_ids)
        return ValidationItem(
            id=comp.id, name=comp.name, stage=exp.stage.label, anchor=_md(comp.anchors.get(exp.stage.id, ""), True),
            steps=tuple(_md(s, inline=True) for s in comp.critical_steps),
            step_fields=tuple(names("step", comp.id, str(n)) for n in range(1, len(comp.critical_steps) + 1)),
            methods=methods,
            result_field=names("validation", comp.id), results=VALIDATION_RESULTS,
            validator_field=names("validator", comp.id, "name"),
            credential_field=names("validator", comp.id, "credential"),
            initials_field=names("validator", comp.id, "initials"),
            date_field=names("validator", comp.id, "date"))

    return {"groups": _groups(fw, level, section.domains, make)}


def _values(fw, form, level, section: ValuesSection, names, sources):
    scale = fw.scale(section.scale) if section.scale else fw.evaluation_scale
    items = [ValueItem(v.id, v.name, _md(v.description, inline=True),
                       rating_view(scale, names("value", v.id, "rating"), names("value", v.id, "comment")))
             for v in fw.meta.values]
    return {"scale": _scale_view(scale), "items": items}


def _goals_review(fw, form, level, section: GoalsReviewSection, names, sources):
    scale = fw.scale(section.scale) if section.scale else fw.evaluation_scale
    items = []
    for n in range(1, section.count + 1):
        rating = rating_view(scale, names("goal", str(n), "rating"), names("goal", str(n), "comment"))
        items.append(GoalReviewItem(n, names("goal", str(n), "text"), rating))
    return {"scale": _scale_view(scale), "items": items}


def _smart_goals(fw, form, level, section: SmartGoalsSection, names, sources):
    items = [SmartGoalItem(n, names("smart", str(n), "goal"), names("smart", str(n), "measure"),
                           names("smart", str(n), "actions"), names("smart", str(n), "competency"),
                           names("smart", str(n), "target-date"))
             for n in range(1, section.count + 1)]
    return {"items": items, "training": training_for(fw, level)}


def training_for(fw: Framework, level: Level) -> list[TrainingHint]:
    """Training linked to the competencies the level expects, with the competencies it serves."""
    serves: dict[str, list[str]] = {}
    for exp in fw.expectations(level):
        for tid in exp.competency.training:
            serves.setdefault(tid, []).append(exp.competency.name)
    known = {t.id for t in fw.training}
    hints = [TrainingHint(t.title, t.format, t.hours, t.mandatory, tuple(serves[t.id]))
             for t in fw.training if t.id in serves and t.id in known]
    return hints


def _weighted_score(fw, form, level, section: WeightedScoreSection, names, sources):
    model = fw.meta.evaluation
    scale = fw.evaluation_scale
    rows = []
    for sec in model.sections if model else []:
        rows.append(ScoreRow(
            id=sec.id, label=sec.label, weight=sec.weight, source=sec.source.value,
            domains=tuple(fw.domain(d).name for d in sec.domains), description=_md(sec.description, inline=True),
            average_field=names("score", sec.id, "average"), weighted_field=names("score", sec.id, "weighted")))
    values = [p.value for p in scale.points]
    return {
        "label": model.label if model else "",
        "rows": rows,
        "formula": _md(model.formula) if model else "",
        "scale_label": scale.label,
        "low": min(values), "high": max(values),
        "total_weight": sum(r.weight for r in rows),
        "total_field": names("score", "total"),
        "not_applicable": scale.not_applicable.label if scale.not_applicable.allowed else "",
    }


def _kpis(fw, form, level, section: KpiSection, names, sources):
    items = [KpiItem(k.id, k.name, k.numerator, k.denominator, k.target, k.period, k.description,
                     names("kpi", k.id, "result"), names("kpi", k.id, "met")) for k in level.kpis]
    return {"items": items}


def _narrative(fw, form, level, section: NarrativeSection, names, sources):
    return {"id": section.id, "prompt": section.prompt, "lines": section.lines,
            "field": names("narrative", section.id)}


def _eligibility(fw, form, level, section: EligibilitySection, names, sources):
    gates: list[Gate] = []

    def add(kind: str, gate_id: str, text: str, **kw) -> None:
        gates.append(Gate(kind, text, met_field=names("gate", gate_id, "met"),
                          note_field=names("gate", gate_id, "note"), **kw))

    req = level.requirements
    if req.time_in_level:
        below = req.time_in_level.level or (fw.level_below(level).id if fw.level_below(level) else "")
        add("time-in-level", "time-in-level", fw.level(below).title if below else "",
            number=req.time_in_level.min_months)
    if req.experience:
        add("experience", "experience", req.experience.description, number=req.experience.min_months)
    for i, cred in enumerate(req.credentials, 1):
        names_ = " / ".join(fw.credential(c).abbreviation or fw.credential(c).name for c in cred.one_of)
        add("credential", f"credential-{i}", names_, required=cred.status.value == "required",
            number=cred.within_months_of_hire, extra=cred.notes)
    for i, text in enumerate(req.education, 1):
        add("education", f"education-{i}", text)
    el = level.eligibility
    if el:
        if el.min_last_rating is not None:
            scale = fw.evaluation_scale
            point = next((p for p in scale.ordered_points if p.value <= el.min_last_rating), None)
            add("last-rating", "last-rating", point.label if point and point.value == el.min_last_rating else "",
                number=el.min_last_rating)
        if el.discipline_lookback_months is not None:
            add("discipline", "discipline", "", number=el.discipline_lookback_months)
        for tid in el.mandatory_training:
            add("training", f"training-{tid}", fw.training_item(tid).title)
        for i, text in enumerate(el.other, 1):
            add("other", f"other-{i}", text)
    return {"gates": gates, "target": level.title, "sources": [s.title for s in sources],
            "time_field": names("promotion", "months-in-level")}


def _evidence(fw, form, level, section: EvidenceChecklistSection, names, sources):
    ev = level.evidence
    rows, points, rule = [], [], None
    if ev:
        for i, item in enumerate(ev.items, 1):
            rows.append(EvidenceRow(item.description, item.count, names("evidence", f"item-{i}", "done"),
                                    names("evidence", f"item-{i}", "reference")))
        if ev.points:
            for cat in ev.points.categories:
                points.append(PointsRow(cat.id, cat.label, cat.points_each, cat.cap, tuple(cat.examples),
                                        names("points", cat.id, "count"), names("points", cat.id, "points")))
            rule = {"minimum_total": ev.points.minimum_total, "minimum_categories": ev.points.minimum_categories}
    return {"description": _md(ev.description) if ev else "", "rows": rows, "points": points, "rule": rule,
            "total_field": names("points", "total"), "categories_field": names("points", "categories")}


def _decision(fw, form, level, section: DecisionSection, names, sources):
    options = [DecisionOption(markdown.slugify(o) or f"option-{i}", o) for i, o in enumerate(section.options, 1)]
    return {"options": options, "field": names("decision", "outcome"),
            "rationale_field": names("decision", "rationale"), "date_field": names("decision", "effective-date"),
            "review_field": names("decision", "next-review")}


def _method_legend(fw, form, level, section: MethodLegendSection, names, sources):
    return {"methods": [(m.id, m.label, m.description) for m in fw.meta.validation_methods]}


def _attestation(fw, form, level, section: AttestationSection, names, sources):
    return {"text": _md(section.text)}


def _signatures(fw, form, level, section: SignaturesSection, names, sources):
    # The employee, manager and evaluator sign with the name already given in the header (one shared field).
    shared_name = {"employee": ("employee", "name"), "manager": ("manager", "name"), "evaluator": ("evaluator", "name")}
    signers = [Signer(s, names(*shared_name.get(s, ("signature", s, "name"))), names("signature", s, "sign"),
                      names("signature", s, "date"),
                      acknowledges=s == "employee" and form.audience.value != "employee")
               for s in section.signers]
    return {"signers": signers}


def _gaps(fw, form, level, section: GapsSection, names, sources):
    rows = [GapRow(n, names("gap", str(n), "area"), names("gap", str(n), "expected"), names("gap", str(n), "observed"))
            for n in range(1, section.count + 1)]
    return {"rows": rows}


def _check_ins(fw, form, level, section: CheckInsSection, names, sources):
    rows = [CheckInRow(n, names("checkin", str(n), "planned"), names("checkin", str(n), "held"),
                       names("checkin", str(n), "progress"), names("checkin", str(n), "initials"))
            for n in range(1, section.count + 1)]
    return {"rows": rows}


def _feedback_summary(fw, form, level, section: FeedbackSummarySection, names, sources):
    if section.source == "competencies":
        subjects = [(e.competency.id, e.competency.name) for e in fw.expectations(level)]
    else:
        subjects = [(v.id, v.name) for v in fw.meta.values]
    rows = [SummaryRow(ident, name, names("summary", ident, "reviewers"), names("summary", ident, "average"),
                       names("summary", ident, "themes")) for ident, name in subjects]
    scale = fw.evaluation_scale
    return {"rows": rows, "source": section.source, "reviewers_field": names("summary", "reviewers"),
            "scale_label": scale.label, "low": min(p.value for p in scale.points),
            "high": max(p.value for p in scale.points)}


_SECTION_BUILDERS = {
    "header": _header,
    "competency-ratings": _competency_ratings,
    "validation-checklist": _validation_checklist,
    "values": _values,
    "goals-review": _goals_review,
    "smart-goals": _smart_goals,
    "weighted-score": _weighted_score,
    "kpis": _kpis,
    "narrative": _narrative,
    "eligibility": _eligibility,
    "evidence": _evidence,
    "decision": _decision,
    "method-legend": _method_legend,
    "attestation": _attestation,
    "signatures": _signatures,
    "gaps": _gaps,
    "check-ins": _check_ins,
    "feedback-summary": _feedback_summary,
}


# --------------------------------------------------------------------------- documents


def _document(fw: Framework, level: Level, created: str, paper: str, title: str, forms: list[FormView], *,
              form: str = "", packet_id: str = "", employee: str = "", **extra) -> DocumentView:
    metadata = identity.document_metadata(
        fw.id, fw.meta.version, level.id, identity.fingerprint(identity.read_back_fields(forms)),
        form=form, packet=packet_id, employee=employee)
    return DocumentView(
        title=title, lang=i18n.html_lang(fw.meta.locale), paper=paper, created=created, framework_title=fw.meta.title,
        framework_version=fw.meta.version, organisation=fw.meta.organisation, effective=fw.meta.effective.isoformat(),
        level=level, forms=forms, metadata=metadata, **extra)


def form_document(fw: Framework, form: FormFile, level: Level, *, created: str, paper: str) -> DocumentView:
    view = form_view(fw, form, level)
    return _document(fw, level, created, paper, f"{form.title} — {level.title}", [view], form=form.id)


def packet_views(fw: Framework, packet: PacketFile, level: Level) -> list[FormView]:
    """The packet's forms, each with its field prefix (the form id; `-2` … for a form bound twice)."""
    seen: dict[str, int] = {}
    views = []
    for form_id in packet.forms:
        seen[form_id] = seen.get(form_id, 0) + 1
        prefix = form_id if seen[form_id] == 1 else f"{form_id}-{seen[form_id]}"
        views.append(form_view(fw, fw.form(form_id), level, prefix=prefix + "."))
    return views


def packet_document(fw: Framework, packet: PacketFile, level: Level, *, created: str, paper: str,
                    values: dict[str, str] | None = None, title: str | None = None,
                    employee: str = "") -> DocumentView:
    views = packet_views(fw, packet, level)
    cover = tuple(HeaderField(key, HEADER_FIELDS[key], level.title if key == "level" else "")
                  for key in ("employee", "employee-id", "level", "manager", "review-period"))
    return _document(fw, level, created, paper, title or f"{packet.title} — {level.title}", views, packet=packet,
                     packet_id=packet.id, employee=employee, packet_instructions=_md(packet.instructions),
                     cover_fields=cover, values=dict(values or {}))
