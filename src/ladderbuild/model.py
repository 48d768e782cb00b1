"""The content model: what a career framework can say, as typed immutable data.

Pydantic models rather than dataclasses because they give, for free, the two
things authors need most: error locations as paths into the data (which the
loader maps back to file:line:col) and a JSON Schema for editor autocomplete.
Every model forbids unknown keys, so a typo is a diagnostic, not a silent no-op.

Source models mirror the files in content/; `Framework` (in resolve.py) holds
them after validation, with inheritance applied and references resolved.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from .i18n import N_

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1)]
MARKDOWN = "markdown"  # marks the fields whose text is Markdown (validate.py checks their links)
Markdown = Annotated[str, MARKDOWN]  # Markdown source; rendered by the markdown module


def markdown_fields(model: BaseModel, path: tuple = ()):
    """(data path, text) of every non-empty Markdown field in `model` and the models inside it."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if MARKDOWN in info.metadata:
            if value:
                yield path + (name,), value
        elif isinstance(value, BaseModel):
            yield from markdown_fields(value, path + (name,))
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from markdown_fields(item, path + (name, i))
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, BaseModel):
                    yield from markdown_fields(item, path + (name, key))


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


# --------------------------------------------------------------------------- framework.yaml


class Owner(Model):
    name: Text
    role: str = ""
    email: str = ""


class Stage(Model):
    """A proficiency stage a competency is rated against (e.g. Benner's novice → expert)."""

    id: Id
    label: Text
    description: Markdown = ""


class ScalePoint(Model):
    value: int
    label: Text
    description: Markdown = ""


class NotApplicable(Model):
    allowed: bool = True
    label: str = N_("N/A")  # defaults in English are translated for the framework's locale (resolve.py)
    description: str = ""


class CommentRule(Model):
    """When a rating must come with a written comment."""

    top: bool = False  # the highest rating on the scale
    at_or_below: int | None = None  # any rating at or below this value
    values: list[int] = []  # any of these exact values

    def requires_comment(self, value: int, top_value: int) -> bool:
        return (
            (self.top and value == top_value)
            or (self.at_or_below is not None and value <= self.at_or_below)
            or value in self.values
        )


class RatingScale(Model):
    id: Id
    label: Text
    description: Markdown = ""
    points: list[ScalePoint] = Field(min_length=2)  # listed highest first or lowest first; sorted on use
    not_applicable: NotApplicable = NotApplicable(allowed=False)
    comment_required: CommentRule = CommentRule()
    expected: int | None = None  # the rating that means "works at the level's expected stage"

    @property
    def expected_value(self) -> int:
        """`expected`, or the middle of the scale (the upper middle of an even one: 3 on 1–4, 3 on 1–5)."""
        if self.expected is not None:
            return self.expected
        values = sorted(p.value for p in self.points)
        return values[len(values) // 2]

    @property
    def ordered_points(self) -> list[ScalePoint]:
        """Highest rating first, the way forms print them."""
        return sorted(self.points, key=lambda p: -p.value)

    @property
    def top_value(self) -> int:
        return max(p.value for p in self.points)

    def requires_comment(self, value: int) -> bool:
        return self.comment_required.requires_comment(value, self.top_value)


class EvaluationSource(str, Enum):
    """What feeds a weighted section of the evaluation."""

    COMPETENCIES = "competencies"  # the competency ratings (optionally only some domains)
    GOALS = "goals"  # the goals review
    VALUES = "values"  # the values / behaviours ratings
    KPIS = "kpis"  # the level's indicators


class EvaluationSection(Model):
    id: Id
    label: Text
    weight: float = Field(gt=0, le=100)
    source: EvaluationSource
    domains: list[Id] = []  # with source=competencies: only these domains (empty = all)
    description: Markdown = ""


class TrackWeights(Model):
    """Other weights for the levels of some tracks (a manager track weighted unlike individual contributors)."""

    tracks: list[Id] = Field(min_length=1)
    sections: list[EvaluationSection] = Field(min_length=1)


class RatingBand(Model):
    """A named range of overall scores (e.g. 3.50 and above: "Exceeds expectations")."""

    id: Id
    label: Text
    min: float  # the lowest overall score in the band; a band ends where the next one up begins
    description: Markdown = ""


class EvaluationModel(Model):
    """Weighted sections or dimensions; the weights must total 100."""

    label: Text = N_("Weighted evaluation")
    scale: Id | None = None  # rating scale the score is computed on (default: the first scale)
    sections: list[EvaluationSection] = Field(min_length=1)
    by_track: list[TrackWeights] = []  # these tracks use their own sections and weights
    formula: Markdown = ""  # optional explanation printed on forms; a default is generated
    decimals: int = Field(default=2, ge=0, le=4)  # the overall score is rounded (half up) to this many places
    bands: list[RatingBand] = []  # overall rating bands; default: the nearest point of the scale

    def sections_for(self, track: str) -> list[EvaluationSection]:
        return next((t.sections for t in self.by_track if track in t.tracks), self.sections)


class MeritPosition(Model):
    """A column of the merit matrix: a slice of the pay range, by the employee's position in it."""

    id: Id
    label: Text
    below: float | None = None  # positions (in % of the range) below this value; the last column has none


class MeritMatrix(Model):
    """Overall rating band × position in the pay range → proposed increase in percent."""

    label: Text = N_("Merit increase guide")
    description: Markdown = ""
    positions: list[MeritPosition] = Field(min_length=1)  # lowest position in the range first
    increases: dict[Id, list[Annotated[float, Field(ge=0, le=100)]]]  # band id → increase % per position


class Domain(Model):
    id: Id
    name: Text
    description: Markdown = ""


class Value(Model):
    """An organisational value or expected behaviour, rated on evaluations."""

    id: Id
    name: Text
    description: Markdown = ""


class ValidationMethod(Model):
    id: Id
    label: Text
    description: str = ""


DEFAULT_VALIDATION_METHODS = (
    ValidationMethod(id="demonstration", label=N_("Demonstration"),
                     description=N_("The validator shows the skill; the employee observes.")),
    ValidationMethod(id="return-demonstration", label=N_("Return demonstration"),
                     description=N_("The employee performs the skill for the validator after instruction.")),
    ValidationMethod(id="observation", label=N_("Direct observation"),
                     description=N_("The validator watches the employee perform the skill in real work.")),
    ValidationMethod(id="test", label=N_("Written or online test"), description=N_("A scored knowledge test.")),
    ValidationMethod(id="case-study", label=N_("Case study"),
                     description=N_("The employee talks through how they would handle a realistic case.")),
    ValidationMethod(id="simulation", label=N_("Simulation"),
                     description=N_("The skill is performed in a simulated scenario or skills lab.")),
)


class DisciplineLevel(Model):
    """A severity of disciplinary action; `discipline_levels` lists them from the mildest up."""

    id: Id
    label: Text


class Unit(Model):
    """A unit or department where requirements may differ (a credential required only in some units)."""

    id: Id
    name: Text


class Vocabulary(Model):
    """The framework's own words for labels that differ between fields; empty keys use ladderbuild's
    (translated) default. An engineering ladder says "Theme" where a clinical one says "Domain"."""

    level: str = ""  # default "Level"
    levels: str = ""  # default "Levels"
    track: str = ""  # default "Track"
    competency: str = ""  # default "Competency"
    competencies: str = ""  # default "Competencies"
    domain: str = ""  # default "Domain"
    stage: str = ""  # default "Expected stage"
    responsibilities: str = ""  # default "Responsibilities"
    scope_notes: str = ""  # default "Scope of practice"
    credentials: str = ""  # default "Credentials"
    credentials_none: str = ""  # default "None required"
    experience: str = ""  # default "Experience"
    education: str = ""  # default "Education"
    reports_to: str = ""  # default "Reports to"
    pay_differential: str = ""  # default "Pay differential"
    grade: str = ""  # default "Grade"
    indicators: str = ""  # default "Indicators"
    evidence: str = ""  # default "Evidence"
    eligibility: str = ""  # default "Eligibility to apply"
    specialism: str = ""  # default "Specialism"
    specialisms: str = ""  # default "Specialisms"
    role: str = ""  # default "Role"
    roles: str = ""  # default "Roles"
    unit: str = ""  # default "Unit"
    track_kinds: dict[Id, Text] = {}  # track kind id → how it is called


class JobDescription(Model):
    """What a level's job description says beyond the level itself. In framework.yaml: the defaults
    for every level; in a level: its own, each key given replacing the framework's."""

    summary: Markdown = ""  # the opening paragraph (default: the level's summary)
    schedule: str = ""  # e.g. "Full-time, Monday to Friday, some Saturdays"
    exempt: bool | None = None  # exempt from overtime pay (true) or not (false); unsaid when absent
    physical_demands: list[Text] = []
    working_conditions: list[Text] = []
    statement: Markdown = ""  # a closing statement, e.g. on equal opportunity


class InterviewSettings(Model):
    """How the interview guides score answers (framework.yaml `interviews:`)."""

    scale: Id | None = None  # the rating scale of the scoring sheet (default: the evaluation's)
    instructions: Markdown = ""  # printed at the top of every guide
    outcomes: list[Text] = [N_("Recommend hiring"), N_("Recommend with reservations"), N_("Do not recommend")]


class FrameworkFile(Model):
    """content/framework.yaml"""

    id: Id | None = None  # written into every PDF, so `scores` knows its forms; default: from the title
    title: Text
    organisation: Text
    version: Text
    effective: dt.date
    locale: str = "en"
    paper: Literal["letter", "a4"] = "letter"
    summary: Markdown = ""
    owners: list[Owner] = []
    stages: list[Stage] = Field(min_length=2)
    scales: list[RatingScale] = Field(min_length=1)
    evaluation: EvaluationModel | None = None
    merit: MeritMatrix | None = None
    domains: list[Domain] = Field(min_length=1)
    values: list[Value] = []
    validation_methods: list[ValidationMethod] = list(DEFAULT_VALIDATION_METHODS)
    discipline_levels: list[DisciplineLevel] = []  # mildest first
    units: list[Unit] = []
    points_categories: list[PointsCategory] = []  # evidence categories shared by several levels
    vocabulary: Vocabulary = Vocabulary()
    job_description: JobDescription = JobDescription()
    interviews: InterviewSettings = InterviewSettings()
    # Spellings search treats as one: variants ("immunization", "immunisation"), abbreviations
    # ("ECG", "EKG", "electrocardiogram"); each glossary term and its aliases are a group too.
    synonyms: list[Annotated[list[Text], Field(min_length=2)]] = []


# --------------------------------------------------------------------------- catalogues


class Track(Model):
    """A pathway (lane on the ladder diagram); levels are ordered in it by `rank`."""

    id: Id
    name: Text
    kind: Id = "other"  # any id; shown with the framework's `vocabulary.track_kinds` label
    description: Markdown = ""


class Credential(Model):
    id: Id
    name: Text
    abbreviation: str = ""
    issuer: str = ""
    description: Markdown = ""
    renewal_months: int | None = Field(default=None, gt=0)  # renewal cycle
    renewal_notes: str = ""


class Training(Model):
    id: Id
    title: Text
    provider: str = ""
    format: str = ""  # e.g. "e-learning", "skills lab", "classroom"
    hours: float | None = Field(default=None, ge=0)
    mandatory: bool = False
    renewal_months: int | None = Field(default=None, gt=0)
    description: Markdown = ""


class GlossaryEntry(Model):
    term: Text
    id: Id | None = None  # defaults to the slug of the term
    definition: Markdown
    aliases: list[Text] = []  # other spellings linked to this entry


class ChangelogEntry(Model):
    version: Text
    date: dt.date
    summary: Markdown = ""
    changes: list[Text] = []
    ref: Text | None = None  # the git revision holding this version's content (default: tag v<version>)


# --------------------------------------------------------------------------- competencies


class InterviewQuestion(Model):
    """A question for candidates about a competency, and what a strong answer shows at each stage."""

    question: Text
    strong_answer: dict[Id, Text] = {}  # stage id → what a strong answer shows from a candidate at that stage
    follow_ups: list[Text] = []


class Competency(Model):
    """content/competencies/<id>.yaml"""

    id: Id
    name: Text
    domain: Id
    description: Markdown
    anchors: dict[Id, Text]  # stage id → what the competency looks like at that stage
    evidence_examples: list[Text] = []
    validation_methods: list[Id] = []
    critical_steps: list[Text] = []  # printed on the competency validation checklist
    training: list[Id] = []
    order: int = 100  # position within its domain; ties in the locale's alphabetical order
    weight: float = Field(default=1, gt=0)  # weight of its rating in the competency average
    interview_questions: list[InterviewQuestion] = []


# --------------------------------------------------------------------------- levels


class CredentialStatus(str, Enum):
    REQUIRED = "required"
    PREFERRED = "preferred"


class CredentialRequirement(Model):
    """One credential requirement; `one_of` lists the credentials accepted for it."""

    one_of: list[Id] = Field(min_length=1)
    status: CredentialStatus = CredentialStatus.REQUIRED
    within_months_of_hire: int | None = Field(default=None, ge=0)  # deadline after hire/promotion
    by_unit: dict[Id, CredentialStatus] = {}  # unit id → status there (`status` applies elsewhere)
    notes: str = ""


class Alternative(Model):
    """A requirement met by any one of several credentials or kinds of education ("a BSN or a CCRN")."""

    credentials: list[Id] = []
    education: list[Text] = []
    status: CredentialStatus = CredentialStatus.REQUIRED
    notes: str = ""


class Experience(Model):
    """Experience in months or in years (shown the way it is written); exactly one of the two."""

    min_months: int | None = Field(default=None, ge=0)
    min_years: float | None = Field(default=None, ge=0)
    description: str = ""

    @model_validator(mode="after")
    def _one_unit(self):
        if (self.min_months is None) == (self.min_years is None):
            raise ValueError("give either `min_months` or `min_years`")
        return self

    @property
    def months(self) -> float:
        return self.min_months if self.min_months is not None else self.min_years * 12


class TimeInLevel(Model):
    min_months: int = Field(ge=0)
    level: Id | None = None  # the level the time must be spent in (default: the level below)


class Requirements(Model):
    credentials: list[CredentialRequirement] = []
    alternatives: list[Alternative] = []
    experience: Experience | None = None
    time_in_level: TimeInLevel | None = None
    education: list[Text] = []
    other: list[Text] = []


class DisciplineGate(Model):
    lookback_months: int = Field(ge=0)
    min_severity: Id | None = None  # a `discipline_levels` id: actions of it or worse count (default: any)


class Endorsement(Model):
    """Someone who must support the application (the manager, a committee)."""

    by: Text
    description: str = ""


class Eligibility(Model):
    """Gates an employee must pass before applying for this level."""

    min_last_rating: float | None = None  # on the evaluation's scale
    discipline_lookback_months: int | None = Field(default=None, ge=0)  # no corrective action in this window
    discipline: DisciplineGate | None = None  # no action of a severity or higher in a window
    months_since_promotion: int | None = Field(default=None, ge=0)
    months_since_application: int | None = Field(default=None, ge=0)  # since the last application turned down
    endorsements: list[Endorsement] = []
    mandatory_training: list[Id] = []
    other: list[Text] = []


class EvidenceItem(Model):
    description: Text
    count: int = Field(default=1, ge=1)


class PointsTier(Model):
    """Points that vary within a category: a committee member 3, its chair 5."""

    label: Text
    points: float = Field(gt=0)


class PointsPerUnit(Model):
    """Points for an amount: 1 point per 5 contact hours."""

    points: float = Field(default=1, gt=0)
    units: float = Field(default=1, gt=0)
    unit: Text


class PointsCategory(Model):
    """A kind of activity that earns points. A level may use a category of the framework's
    `points_categories` by its id alone, setting only its own `cap` and `minimum`."""

    id: Id
    label: str = ""  # required unless the framework defines the category
    points_each: float | None = Field(default=None, gt=0)
    tiers: list[PointsTier] = []
    per_unit: PointsPerUnit | None = None
    cap: float | None = Field(default=None, gt=0)  # most points that count from this category
    minimum: float | None = Field(default=None, gt=0)  # fewest points that must come from it
    examples: list[Text] = []
    exclusions: list[Text] = []  # what does not count here

    @property
    def most_per_item(self) -> float | None:
        """The most one item can earn (None when it depends on an amount)."""
        values = [t.points for t in self.tiers] + ([self.points_each] if self.points_each else [])
        return max(values) if values else None


class PointsRenewal(Model):
    """Points a year needed to keep the level once reached."""

    points_per_year: float = Field(gt=0)
    description: str = ""


class EvidencePoints(Model):
    minimum_total: float = Field(gt=0)
    minimum_categories: int = Field(default=1, ge=1)
    categories: list[PointsCategory] = Field(min_length=1)
    exclusions: list[Text] = []  # what never counts, in any category
    renewal: PointsRenewal | None = None


class Evidence(Model):
    """Portfolio rules: counted items, points, or both."""

    description: Markdown = ""
    items: list[EvidenceItem] = []
    points: EvidencePoints | None = None


class Indicator(Model):
    """A level-specific KPI: numerator / denominator against a target."""

    id: Id
    name: Text
    numerator: Text
    denominator: Text
    target: Text  # e.g. "≥ 95%"
    period: str = ""  # e.g. "quarterly"
    description: str = ""


class PathKind(str, Enum):
    PROMOTION = "promotion"
    LATERAL = "lateral"
    BRIDGE = "bridge"


class LevelPath(Model):
    """A move from this level to another: promotion, lateral move or bridge to another profession."""

    to: Id
    kind: PathKind = PathKind.PROMOTION
    criteria: list[Text] = []


class Statement(Model):
    """What a competency looks like at one level, in that level's own words."""

    text: Markdown
    replaces_anchor: bool = False  # print instead of the stage's anchor (default: after it)


class Removals(Model):
    """Inherited items a level drops (to replace one, remove it and add the new wording)."""

    responsibilities: list[Text] = []
    scope_notes: list[Text] = []
    competencies: list[Id] = []
    kpis: list[Id] = []
    credentials: list[Id] = []
    education: list[Text] = []
    other: list[Text] = []  # `requirements.other` items


class LevelFile(Model):
    """Front matter of content/levels/<id>.md; the Markdown body is the level's description."""

    id: Id
    title: Text
    short_title: str = ""
    track: Id
    rank: int = Field(ge=1)  # seniority step within the track, also the row on the diagram
    grade: str = ""
    entry: bool = False  # people are hired into this level (start of the ladder)
    inherits: Id | None = None  # take expectations from this level; state only what changes
    summary: Text
    responsibilities: list[Text] = []
    scope_notes: list[Text] = []
    requirements: Requirements = Requirements()
    eligibility: Eligibility | None = None
    evidence: Evidence | None = None
    competencies: dict[Id, Text] = {}  # competency id → expected stage id (checked against the stages)
    statements: dict[Id, Statement] = {}  # competency id → this level's own statement
    remove: Removals = Removals()  # inherited items this level drops
    kpis: list[Indicator] = []
    paths: list[LevelPath] = []
    reports_to: list[Text] = []
    pay_differential: str = ""
    job_description: JobDescription = JobDescription()


class SpecialismFile(Model):
    """content/specialisms/<id>.yaml: expectations layered onto several core levels.

    A person is at (level, specialism): the level's expectations, with the specialism's
    competencies added and its stages raised where they are higher than the level's own.
    """

    id: Id
    name: Text
    short_name: str = ""
    summary: Text
    description: Markdown = ""
    levels: list[Id] = Field(min_length=1)  # the core levels it applies to
    competencies: dict[Id, Text] = {}  # competency id → stage (adds, or raises; never lowers)
    statements: dict[Id, Statement] = {}
    responsibilities: list[Text] = []
    scope_notes: list[Text] = []
    requirements: Requirements = Requirements()  # added to each level's own
    kpis: list[Indicator] = []
    criteria: list[Text] = []  # how to join it
    reports_to: list[Text] = []
    pay_differential: str = ""


class RoleFile(Model):
    """content/roles/<id>.yaml: a role held alongside a level (tech lead, charge nurse, preceptor).

    The person keeps their level and its expectations; the role adds its own.
    """

    id: Id
    title: Text
    summary: Text
    description: Markdown = ""
    levels: list[Id] = []  # levels whose holders may take the role (empty: any)
    responsibilities: list[Text] = []
    competencies: dict[Id, Text] = {}  # competency id → stage expected in the role
    statements: dict[Id, Statement] = {}
    requirements: Requirements = Requirements()
    kpis: list[Indicator] = []
    criteria: list[Text] = []  # how the role is given
    term_months: int | None = Field(default=None, gt=0)  # how long it is held before review
    pay_differential: str = ""


# --------------------------------------------------------------------------- pages


class PageFile(Model):
    """Front matter of content/pages/<id>.md"""

    title: Text
    id: Id | None = None  # defaults to the file name
    summary: str = ""
    order: int = 100  # position in the navigation


# --------------------------------------------------------------------------- forms and packets


class FormType(str, Enum):
    ANNUAL_EVALUATION = "annual-evaluation"
    SELF_ASSESSMENT = "self-assessment"
    COMPETENCY_VALIDATION = "competency-validation"
    PROMOTION_READINESS = "promotion-readiness"
    DEVELOPMENT_PLAN = "development-plan"
    NINETY_DAY_REVIEW = "ninety-day-review"
    PEER_FEEDBACK = "peer-feedback"
    IMPROVEMENT_PLAN = "improvement-plan"  # a performance improvement plan (PIP)
    FEEDBACK_SUMMARY = "feedback-summary"  # the manager's summary of 360 / peer feedback


class SectionBase(Model):
    title: str = ""  # a default per kind is used when empty
    instructions: Markdown = ""


class HeaderSection(SectionBase):
    kind: Literal["header"]
    fields: list[Literal["employee", "employee-id", "level", "department", "hire-date", "review-period",
                        "evaluator", "reviewer", "manager", "date", "target-level", "validator", "peer"]] = [
        "employee", "employee-id", "level", "department", "review-period", "evaluator"]


class CompetencyRatingsSection(SectionBase):
    """Each competency expected at the level, its anchor, a rating and a comment."""

    kind: Literal["competency-ratings"]
    scale: Id | None = None
    scale_descriptions: Literal["legend", "each-item"] = "legend"  # scale text once per form, or under every rating
    comment_lines: int = Field(default=5, ge=1, le=30)  # height of each comment box, in lines of text
    domains: list[Id] = []  # only these domains (empty = all)
    show_next_stage: bool = False  # also print the anchor of the next stage up


class ValidationChecklistSection(SectionBase):
    kind: Literal["validation-checklist"]
    domains: list[Id] = []


class ValuesSection(SectionBase):
    kind: Literal["values"]
    scale: Id | None = None
    scale_descriptions: Literal["legend", "each-item"] = "legend"  # scale text once per form, or under every rating
    comment_lines: int = Field(default=5, ge=1, le=30)  # height of each comment box, in lines of text


class GoalsReviewSection(SectionBase):
    kind: Literal["goals-review"]
    count: int = Field(default=3, ge=1, le=10)
    scale: Id | None = None
    scale_descriptions: Literal["legend", "each-item"] = "legend"  # scale text once per form, or under every rating
    comment_lines: int = Field(default=5, ge=1, le=30)  # height of each comment box, in lines of text


class SmartGoalsSection(SectionBase):
    kind: Literal["smart-goals"]
    count: int = Field(default=3, ge=1, le=10)


class GapsSection(SectionBase):
    """The specific gaps an improvement plan addresses: area, what is expected, what was observed."""

    kind: Literal["gaps"]
    count: int = Field(default=3, ge=1, le=10)


class CheckInsSection(SectionBase):
    """Planned check-in meetings: planned date, date held, progress, initials."""

    kind: Literal["check-ins"]
    count: int = Field(default=4, ge=1, le=12)


class FeedbackSummarySection(SectionBase):
    """Several reviewers' ratings summarised per value or competency: how many, the average, themes."""

    kind: Literal["feedback-summary"]
    source: Literal["values", "competencies"] = "values"


class WeightedScoreSection(SectionBase):
    kind: Literal["weighted-score"]


class KpiSection(SectionBase):
    kind: Literal["kpis"]


class NarrativeSection(SectionBase):
    """A titled free-text box (strengths, areas to improve, employee comments …)."""

    kind: Literal["narrative"]
    id: Id
    prompt: str = ""
    lines: int = Field(default=5, ge=1, le=30)


class EligibilitySection(SectionBase):
    kind: Literal["eligibility"]


class EvidenceChecklistSection(SectionBase):
    kind: Literal["evidence"]
    # rows to list activities in, per points category (default: enough to reach its cap or the minimum, at most 10)
    item_rows: int | None = Field(default=None, ge=1, le=30)


class DecisionSection(SectionBase):
    kind: Literal["decision"]
    options: list[Text] = [N_("Approved"), N_("Deferred"), N_("Not approved")]


class MethodLegendSection(SectionBase):
    kind: Literal["method-legend"]


class AttestationSection(SectionBase):
    kind: Literal["attestation"]
    text: Text


Signer = Literal["employee", "evaluator", "reviewer", "hr", "validator", "committee-chair", "manager", "peer"]


class SignaturesSection(SectionBase):
    kind: Literal["signatures"]
    signers: list[Signer] = ["employee", "evaluator", "reviewer", "hr"]


FormSection = Annotated[
    Union[
        HeaderSection, CompetencyRatingsSection, ValidationChecklistSection, ValuesSection,
        GoalsReviewSection, SmartGoalsSection, WeightedScoreSection, KpiSection, NarrativeSection,
        EligibilitySection, EvidenceChecklistSection, DecisionSection, MethodLegendSection,
        AttestationSection, SignaturesSection, GapsSection, CheckInsSection, FeedbackSummarySection,
    ],
    Field(discriminator="kind"),
]
SECTION_KINDS = (
    "header", "competency-ratings", "validation-checklist", "values", "goals-review", "smart-goals",
    "weighted-score", "kpis", "narrative", "eligibility", "evidence", "decision", "method-legend",
    "attestation", "signatures", "gaps", "check-ins", "feedback-summary",
)


class Audience(str, Enum):
    MANAGER = "manager"
    EMPLOYEE = "employee"
    VALIDATOR = "validator"
    COMMITTEE = "committee"
    PEER = "peer"


class FormFile(Model):
    """content/forms/<id>.yaml"""

    id: Id
    title: Text
    type: FormType
    audience: Audience = Audience.MANAGER
    levels: Literal["all"] | list[Id] = "all"
    tracks: list[Id] = []  # restrict `levels: all` to these tracks
    roles: list[Id] = []  # also (or, without `levels`, only) one form per role
    instructions: Markdown = ""
    sections: list[FormSection] = Field(min_length=1)


class PacketFile(Model):
    """content/packets/<id>.yaml"""

    id: Id
    title: Text
    cycle: str = ""  # e.g. "Annual review, January–March"
    instructions: Markdown = ""
    forms: list[Id] = Field(min_length=1)  # in the order they are bound
    levels: Literal["all"] | list[Id] = "all"


# Which model validates each kind of document the loader produces.
DOCUMENT_MODELS: dict[str, type] = {
    "framework": FrameworkFile,
    "tracks": Track,
    "credentials": Credential,
    "training": Training,
    "glossary": GlossaryEntry,
    "changelog": ChangelogEntry,
    "level": LevelFile,
    "competency": Competency,
    "page": PageFile,
    "form": FormFile,
    "packet": PacketFile,
    "specialism": SpecialismFile,
    "role": RoleFile,
}
# Kinds whose file is a list of entries of the model (the others hold one entry).
LIST_KINDS = frozenset({"tracks", "credentials", "training", "glossary", "changelog"})

FrameworkFile.model_rebuild()  # it refers to PointsCategory, defined with the levels
