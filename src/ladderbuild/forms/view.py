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

import math
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
    "review.period", "manager.name", "evaluator.name", "promotion.target-level",
})
# What a personalised packet fills in, from the roster (see roster.py).
PERSONAL_FIELDS = ("employee.name", "employee.id", "employee.level", "employee.department",
                   "employee.hire-date", "review.period", "manager.name", "evaluator.name")

NOT_APPLICABLE = "na"
VALIDATION_RESULTS = ("met", "not-met", "not-observed")


# --------------------------------------------------------------------------- field naming


# A lone promotion-readiness form names the level being left apart from the employee's level on other forms;
# in a packet it is the employee's level, shared by every form.
LONE_CURRENT_LEVEL = "promotion.current-level"


def packet_field_name(name: str, prefix: str) -> str:
    """The name the field `name` of a lone form (laid out alone) has in a packet, where the form's fields
    carry `prefix` ("annual.") and the employee's and cycle's fields are shared by every form.

    A packet is assembled from its forms' PDFs (forms/assemble.py), which renames their fields with this:
    the names `FieldNames` and `_header` give a form viewed inside a packet (the packet laid out whole)."""
    if name == LONE_CURRENT_LEVEL:
        return HEADER_FIELDS["level"]
    return name if name in SHARED_FIELDS else prefix + name


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
    describe_each: bool = False  # print each point's description beside its button (else once, in a legend)
    comment_lines: int = 5  # height of the comment box, in lines


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
    statement: str = ""  # HTML: the level's own words for the competency (after, or instead of, the anchor)
    weight: float = 1  # the competency's weight in the average of its section


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

    kind: str  # last-rating | discipline | discipline-severity | since-promotion | since-application | endorsement |
    #            training | time-in-level | experience | experience-years | credential | alternative | education | other
    text: str  # the fact to print (a label, a title, a free text …)
    number: float | None = None  # months, a rating value …
    extra: str = ""  # e.g. the scale label of a rating, the level a time must be spent in
    required: bool = True
    met_field: str = ""
    note_field: str = ""
    units: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (status, unit names) where a credential's status differs


@dataclass(frozen=True)
class EvidenceRow:
    description: str
    count: int
    done_field: str
    reference_field: str


@dataclass(frozen=True)
class PortfolioItem:
    """One line of an itemised points portfolio: an activity and the proof of it."""

    number: int
    date_field: str
    activity_field: str
    units_field: str  # hours or units, as the category counts them
    points_field: str
    proof_field: str  # where the committee finds the proof


@dataclass(frozen=True)
class PointsRow:
    """A points category: its rule, a row per activity, and its subtotal (the cap applied)."""

    id: str
    label: str
    points_each: float | None  # None when points vary by tier or amount
    cap: float | None
    examples: tuple[str, ...]
    count_field: str  # how many activities are listed
    points_field: str  # the category's subtotal, at most `cap`
    items: tuple[PortfolioItem, ...] = ()
    tiers: tuple[tuple[str, float], ...] = ()  # (label, points) when points vary within the category
    per_unit: tuple[float, float, str] | None = None  # (points, per units, unit)
    minimum: float | None = None
    exclusions: tuple[str, ...] = ()


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
    date_hint: str = "MM/DD/YYYY"  # how to write a date in the framework's locale, printed by date fields
    # Text fields pre-filled by name: only the reference (slow) path of personalised packets sets these;
    # the fast path fills the laid-out PDF instead (personal.py).
    values: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)  # what the PDF says it is (identity.py)
    # A packet's cover laid out alone (forms/assemble.py): the page each form starts on, as the contents print it.
    contents_pages: tuple[str, ...] = ()

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


_ANCHOR_KINDS = ("form-", "s-", "legend-s-")  # what every anchor of a form starts with, before its base


def rebase_anchor(name: str, old: str, new: str) -> str:
    """An anchor of a form laid out with anchor base `old` (its id) as the same anchor is named with base `new`
    (a form bound twice in a packet: "annual-2"), so that two copies of a form keep apart in one PDF."""
    for kind in _ANCHOR_KINDS:
        if name == kind + old or name.startswith(kind + old + "-"):
            return kind + new + name[len(kind + old):]
    return name


def rating_view(scale: RatingScale, field_name: str, comment_name: str, section=None) -> Rating:
    """A radio group on `scale` (one button per point, and N/A where the scale allows it) and its comment box,
    laid out as the rating `section` asks (scale descriptions under each rating or in a legend; comment lines)."""
    options = [RatingOption(str(p.value), p.label, _md(p.description, inline=True), scale.requires_comment(p.value))
               for p in scale.ordered_points]
    if scale.not_applicable.allowed:
        options.append(RatingOption(NOT_APPLICABLE, scale.not_applicable.label,
                                    _md(scale.not_applicable.description, inline=True), False, True))
    return Rating(field_name, comment_name, tuple(options), tuple(o for o in options if o.comment_required),
                  describe_each=_describe_each(section),
                  comment_lines=section.comment_lines if section is not None else 5)


def _describe_each(section) -> bool:
    return section is not None and section.scale_descriptions == "each-item"


def is_promotion_packet(fw: Framework, packet: PacketFile) -> bool:
    """A packet for applying to a level: it holds a promotion-readiness form, laid out for the target level."""
    return any(fw.form(f).type is FormType.PROMOTION_READINESS for f in packet.forms)


def promotion_sources(fw: Framework, level: Level) -> tuple[Level, ...]:
    """The levels a promotion (not a lateral move) leads from into `level`."""
    return tuple(src for src, path in fw.paths_into(level) if path.kind.value != "lateral")


def form_view(fw: Framework, form: FormFile, level: Level, prefix: str = "", promotion: bool = False) -> FormView:
    """The view of one form for `level`. With `promotion` (the form is in a promotion packet, laid out for the
    target level) every form's header shows the employee's current level and the target level, as the
    promotion-readiness form's does."""
    names = FieldNames(prefix)
    anchor_base = prefix.rstrip(".") or form.id
    target, sources = None, ()
    promotion = promotion or form.type is FormType.PROMOTION_READINESS
    if promotion:
        target = level
        sources = promotion_sources(fw, level)
    sections = []
    for i, section in enumerate(form.sections, 1):
        view = SectionView(kind=section.kind, title=section.title, instructions=_md(section.instructions),
                           anchor=_anchor("s", anchor_base, str(i), section.kind))
        build = _SECTION_BUILDERS[section.kind]
        view.data = (_header(fw, form, level, section, names, sources, promotion=promotion, in_packet=bool(prefix))
                     if build is _header else build(fw, form, level, section, names, sources))
        sections.append(view)
    return FormView(id=form.id, title=form.title, type=form.type.value, audience=form.audience.value,
                    instructions=_md(form.instructions), anchor=_anchor("form", anchor_base), sections=sections,
                    level=level, target=target, sources=sources)


def _header(fw, form, level, section: HeaderSection, names, sources, promotion: bool = False,
            in_packet: bool = False):
    """The header's fields. For a promotion (`level` is the target) "level" is the level being left, pre-filled
    when one path leads into the target, and the target level is shown beside it on every form."""
    keys = list(section.fields)
    if promotion and "level" in keys and "target-level" not in keys:
        keys.insert(keys.index("level") + 1, "target-level")
    current = sources[0].title if len(sources) == 1 else ""
    fields = []
    for key in keys:
        name, value = HEADER_FIELDS[key], ""
        if key == "level":
            value = current if promotion else ("" if level.role else level.title)  # a role: held at any level
            if promotion and not in_packet:
                name = LONE_CURRENT_LEVEL  # a lone form: not the employee's level on other forms
        elif key == "target-level" and promotion:
            value = level.title
        fields.append(HeaderField(key, names(*name.split(".")), value))
    return {"fields": fields, "promotion": promotion}


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
            anchor=_md(comp.anchors.get(stage.id, ""), inline=True) if exp.shows_anchor else "",
            statement=_md(exp.statement.text, inline=True) if exp.statement else "", weight=comp.weight,
            next_stage=nxt.label if nxt and comp.anchors.get(nxt.id) else "",
            next_anchor=_md(comp.anchors.get(nxt.id, ""), inline=True) if nxt else "",
            rating=rating_view(scale, names("rating", comp.id), names("comment", comp.id), section))

    return {"scale": _scale_view(scale, section), "groups": _groups(fw, level, section.domains, make)}


def _scale_view(scale: RatingScale, section) -> dict:
    """The scale as a legend: printed where it is first used in a document (see `_legend_once`)."""
    return {
        "id": scale.id,
        "legend": not _describe_each(section),
        "legend_anchor": "",  # set by _legend_once: where this document prints the legend
        "first": True,  # this section prints the legend (else it refers to `legend_anchor`)
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
                       rating_view(scale, names("value", v.id, "rating"), names("value", v.id, "comment"), section))
             for v in fw.meta.values]
    return {"scale": _scale_view(scale, section), "items": items}


def _goals_review(fw, form, level, section: GoalsReviewSection, names, sources):
    scale = fw.scale(section.scale) if section.scale else fw.evaluation_scale
    items = []
    for n in range(1, section.count + 1):
        rating = rating_view(scale, names("goal", str(n), "rating"), names("goal", str(n), "comment"), section)
        items.append(GoalReviewItem(n, names("goal", str(n), "text"), rating))
    return {"scale": _scale_view(scale, section), "items": items}


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
    for sec in fw.evaluation_sections(level):  # the level's track may have weights of its own
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
    if req.experience:  # shown in years when written in years
        years = req.experience.min_years is not None
        add("experience-years" if years else "experience", "experience", req.experience.description,
            number=req.experience.min_years if years else req.experience.min_months)
    for i, cred in enumerate(req.credentials, 1):
        names_ = " / ".join(fw.credential(c).abbreviation or fw.credential(c).name for c in cred.one_of)
        unit_names = {u.id: u.name for u in fw.meta.units}
        units = tuple((status, tuple(unit_names.get(u, u) for u, st in cred.by_unit.items() if st.value == status))
                      for status in ("required", "preferred") if status in {st.value for st in cred.by_unit.values()})
        add("credential", f"credential-{i}", names_, required=cred.status.value == "required",
            number=cred.within_months_of_hire, extra=cred.notes, units=units)
    for i, text in enumerate(req.education, 1):
        add("education", f"education-{i}", text)
    for i, alt in enumerate(req.alternatives, 1):
        options = [fw.credential(c).abbreviation or fw.credential(c).name for c in alt.credentials] + alt.education
        add("alternative", f"alternative-{i}", " / ".join(options), required=alt.status.value == "required",
            extra=alt.notes)
    el = level.eligibility
    if el:
        if el.min_last_rating is not None:
            scale = fw.evaluation_scale
            point = next((p for p in scale.ordered_points if p.value <= el.min_last_rating), None)
            add("last-rating", "last-rating", point.label if point and point.value == el.min_last_rating else "",
                number=el.min_last_rating)
        if el.discipline_lookback_months is not None:
            add("discipline", "discipline", "", number=el.discipline_lookback_months)
        if el.discipline is not None:
            severity = next((d.label for d in fw.meta.discipline_levels if d.id == el.discipline.min_severity), "")
            add("discipline-severity" if severity else "discipline", "discipline-severity", severity,
                number=el.discipline.lookback_months)
        if el.months_since_promotion is not None:
            add("since-promotion", "since-promotion", "", number=el.months_since_promotion)
        if el.months_since_application is not None:
            add("since-application", "since-application", "", number=el.months_since_application)
        for i, endorsement in enumerate(el.endorsements, 1):
            add("endorsement", f"endorsement-{i}", endorsement.by, extra=endorsement.description)
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
                unit = cat.per_unit
                items = tuple(PortfolioItem(n, *(names("points", cat.id, f"item-{n}", part) for part in
                                                 ("date", "activity", "units", "points", "proof")))
                              for n in range(1, _item_rows(section, cat, ev.points.minimum_total) + 1))
                points.append(PointsRow(cat.id, cat.label, cat.points_each, cat.cap, tuple(cat.examples),
                                        names("points", cat.id, "count"), names("points", cat.id, "points"), items,
                                        tuple((t.label, t.points) for t in cat.tiers),
                                        (unit.points, unit.units, unit.unit) if unit else None, cat.minimum,
                                        tuple(cat.exclusions)))
            rule = {"minimum_total": ev.points.minimum_total, "minimum_categories": ev.points.minimum_categories,
                    "exclusions": tuple(ev.points.exclusions),
                    "renewal": ev.points.renewal.points_per_year if ev.points.renewal else None}
    return {"description": _md(ev.description) if ev else "", "rows": rows, "points": points, "rule": rule,
            "total_field": names("points", "total"), "categories_field": names("points", "categories")}


def _item_rows(section: EvidenceChecklistSection, category, minimum_total: float) -> int:
    """Rows to list a category's activities in: as the section says, else as many as it takes to reach the
    category's cap (or, uncapped, the minimum total) — more would not count — within 2 to 10."""
    if section.item_rows:
        return section.item_rows
    least = min([t.points for t in category.tiers] + ([category.points_each] if category.points_each else []),
                default=None)
    if least is None:  # points per unit: how many activities it takes depends on their amounts
        return 4
    return max(2, min(10, math.ceil((category.cap or minimum_total) / least)))


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
    for view in forms:
        _legend_once(view)
    metadata = identity.document_metadata(
        fw.id, fw.meta.version, level.id, identity.fingerprint(identity.read_back_fields(forms)),
        form=form, packet=packet_id, employee=employee)
    return DocumentView(
        title=title, lang=i18n.html_lang(fw.meta.locale), paper=paper, created=created, framework_title=fw.meta.title,
        framework_version=fw.meta.version, organisation=fw.meta.organisation, effective=fw.meta.effective.isoformat(),
        level=level, forms=forms, date_hint=i18n.date_hint(fw.meta.locale), metadata=metadata, **extra)


def _legend_once(form: FormView) -> None:
    """Each rating scale's legend is printed once per form: by the first section that rates on it; later
    sections refer to that page instead of printing it again.

    Once per form, not once per packet: a packet is assembled from the PDFs of its forms as they are laid
    out alone (forms/assemble.py), so each form in it is whole, legend included, even when pulled out."""
    printed: dict[str, str] = {}
    for section in form.sections:
        scale = section.data.get("scale")
        if not isinstance(scale, dict) or not scale["legend"]:
            continue
        if scale["id"] in printed:
            scale["first"], scale["legend_anchor"] = False, printed[scale["id"]]
        else:
            scale["legend_anchor"] = printed[scale["id"]] = f"legend-{section.anchor}"


def form_document(fw: Framework, form: FormFile, level: Level, *, created: str, paper: str,
                  promotion: bool = False) -> DocumentView:
    """One form alone. With `promotion`, as a promotion packet binds it: laid out for the level applied for
    (see `form_view`)."""
    view = form_view(fw, form, level, promotion=promotion)
    return _document(fw, level, created, paper, f"{form.title} — {level.title}", [view], form=form.id)


def packet_prefixes(packet: PacketFile) -> list[tuple[str, str]]:
    """(form id, field prefix) of each form the packet binds, in order: the form id, then `-2` … for a form
    bound twice. The prefix without its dot is also the base of the form's anchors in the packet."""
    seen: dict[str, int] = {}
    out = []
    for form_id in packet.forms:
        seen[form_id] = seen.get(form_id, 0) + 1
        out.append((form_id, (form_id if seen[form_id] == 1 else f"{form_id}-{seen[form_id]}") + "."))
    return out


def packet_views(fw: Framework, packet: PacketFile, level: Level) -> list[FormView]:
    """The packet's forms, each with its field prefix (`packet_prefixes`). A promotion packet is laid out for
    the level applied for: every form shows it as the target."""
    promotion = is_promotion_packet(fw, packet)
    return [form_view(fw, fw.form(form_id), level, prefix=prefix, promotion=promotion)
            for form_id, prefix in packet_prefixes(packet)]


def packet_document(fw: Framework, packet: PacketFile, level: Level, *, created: str, paper: str,
                    values: dict[str, str] | None = None, title: str | None = None,
                    employee: str = "", contents_pages: tuple[str, ...] = ()) -> DocumentView:
    # In a promotion packet the current level is the employee's own (filled in, or written by hand).
    views = packet_views(fw, packet, level)
    promotion = is_promotion_packet(fw, packet)
    keys = ("employee", "employee-id", "level", "target-level", "manager", "review-period") if promotion else (
        "employee", "employee-id", "level", "manager", "review-period")
    sources = promotion_sources(fw, level) if promotion else ()
    prefilled = {"target-level": level.title, "level": sources[0].title if len(sources) == 1 else ""} if promotion \
        else {"level": level.title}
    cover = tuple(HeaderField(key, HEADER_FIELDS[key], prefilled.get(key, "")) for key in keys)
    return _document(fw, level, created, paper, title or f"{packet.title} — {level.title}", views, packet=packet,
                     packet_id=packet.id, employee=employee, packet_instructions=_md(packet.instructions),
                     cover_fields=cover, values=dict(values or {}), contents_pages=tuple(contents_pages))
