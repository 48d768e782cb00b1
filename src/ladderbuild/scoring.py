"""The scoring rule: ratings → section averages → the weighted overall score → its rating band.

One pure module, the only place the rule lives: `ladderbuild scores` applies
it to filled forms, and the XLSX worksheets write it as live formulas (their
tests check the formulas' results against `score_level`). What each section
rates comes from the framework's evaluation model (`evaluation_items`): the
competencies the level expects (of the section's domains), the framework's
values, the goals reviewed, the level's indicators. The rules, also printed
in the calibration report and documented in docs/scoring.md:

- **N/A** is left out of an average: it is neither a low nor a high rating.
- **A blank rating** (the form left it empty) is left out as well, but the
  score is then *provisional* and the form is listed as incomplete.
- **A section with no ratings** (all N/A or blank) does not count: its weight
  is shared among the sections that have ratings, in proportion to their
  weights, so the overall score stays on the scale. The score says so.
- **Indicators** (a `kpis` section) are rated met or not met: met counts as
  the scale's top rating, not met as its lowest.
- **Rounding**: averages are kept exact; only the overall score is rounded,
  half up, to the model's `decimals` (2 by default), and its band is read
  from the rounded score. 3.745 → 3.75, never 3.74: the sums are exact
  fractions, not binary floating point.
- **Bands**: the band whose `min` is the highest at or below the score; a
  model without bands uses the nearest point of the scale (halves go up).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Mapping, Sequence

from .model import EvaluationModel, EvaluationSection, EvaluationSource, GoalsReviewSection, RatingScale

if TYPE_CHECKING:  # resolve imports the pipeline's front half; `scores` workers need only the rule
    from .resolve import Framework, Level

DEFAULT_GOALS = 3  # goals reviewed when no form of the level says how many (GoalsReviewSection's default)
MET, NOT_MET = "met", "not-met"  # the two answers of an indicator (forms/view.py)


@dataclass(frozen=True)
class Rated:
    """One rated item of a form: a competency, goal, value or indicator."""

    id: str
    value: float | None  # the rating; None when N/A or left blank
    not_applicable: bool = False
    group: str = ""  # a competency's domain (sections may take only some domains)
    weight: float = 1  # a competency's weight in its section's average (Competency.weight)

    @property
    def blank(self) -> bool:
        return self.value is None and not self.not_applicable


@dataclass(frozen=True)
class SectionScore:
    id: str
    label: str
    weight: float  # as the model gives it, in percent
    applied_weight: float  # the weight used: the model's, or its share of an unscored section's weight
    average: float | None  # None when nothing in the section was rated
    rated: int
    not_applicable: int
    blank: int


@dataclass(frozen=True)
class Band:
    id: str
    label: str


@dataclass(frozen=True)
class Score:
    sections: tuple[SectionScore, ...]
    overall: Decimal | None  # rounded; None when no section has a rating
    band: Band | None
    provisional: bool  # some ratings were left blank
    reweighted: bool  # some section had no ratings and its weight went to the others


def indicator_value(answer: str, scale: RatingScale) -> float | None:
    """An indicator's answer on the rating scale: met is the top rating, not met the lowest."""
    values = [p.value for p in scale.points]
    return {MET: max(values), NOT_MET: min(values)}.get(answer)


def average(items: Sequence[Rated]) -> Fraction | None:
    """The exact mean of the rated items, each by its weight (N/A and blanks left out); None when none is rated."""
    rated = [i for i in items if i.value is not None]
    weights = sum((_exact(i.weight) for i in rated), Fraction(0))
    return sum((_exact(i.value) * _exact(i.weight) for i in rated), Fraction(0)) / weights if rated else None


def _exact(number: float | int | Fraction | Decimal) -> Fraction:
    """A number as an exact fraction, read as written (a weight of 33.3 is 333/10, not the float nearest it)."""
    if isinstance(number, float):
        return Fraction(Decimal(repr(number)))
    return Fraction(number)


def round_half_up(value: Fraction | float | int, decimals: int) -> Decimal:
    """`value` rounded half up to `decimals` places, exactly: 3.745 → 3.75, as on paper."""
    scaled = _exact(value) * 10 ** decimals
    whole = math.floor(scaled + Fraction(1, 2))
    return Decimal(whole).scaleb(-decimals).quantize(Decimal(1).scaleb(-decimals))


def score(model: EvaluationModel, scale: RatingScale, rated: Mapping[str, Sequence[Rated]]) -> Score:
    """Score one evaluation: `rated` holds the items of each source (competencies, goals, values, kpis)."""
    sections = []
    for section in model.sections:
        items = [i for i in rated.get(section.source.value, ())
                 if not section.domains or i.group in section.domains]
        sections.append((section, items, average(items)))
    scored_weight = sum((_exact(s.weight) for s, _, avg in sections if avg is not None), Fraction(0))
    results = []
    total = Fraction(0)
    for section, items, avg in sections:
        applied = _exact(section.weight) * 100 / scored_weight if avg is not None else Fraction(0)
        if avg is not None:
            total += avg * applied / 100
        results.append(SectionScore(
            section.id, section.label, section.weight, float(applied), None if avg is None else float(avg),
            rated=sum(i.value is not None for i in items), not_applicable=sum(i.not_applicable for i in items),
            blank=sum(i.blank for i in items)))
    overall = round_half_up(total, model.decimals) if scored_weight else None
    return Score(
        sections=tuple(results), overall=overall,
        band=band_for(overall, model, scale) if overall is not None else None,
        provisional=any(r.blank for r in results),
        reweighted=bool(scored_weight) and any(r.average is None for r in results))


def band_for(value: Decimal | float, model: EvaluationModel | None, scale: RatingScale) -> Band:
    """The rating band of an overall score (see the module notes)."""
    if model is not None and model.bands:
        ordered = sorted(model.bands, key=lambda b: b.min)
        chosen = ordered[0]
        for band in ordered:
            if _exact(band.min) <= _exact(value):
                chosen = band
        return Band(chosen.id, chosen.label)
    nearest = int(round_half_up(value, 0))
    points = sorted(scale.points, key=lambda p: abs(p.value - nearest))
    return Band(str(points[0].value), points[0].label)


def bands(model: EvaluationModel | None, scale: RatingScale) -> list[Band]:
    """Every band a score can fall in, highest first."""
    if model is not None and model.bands:
        return [Band(b.id, b.label) for b in sorted(model.bands, key=lambda b: -b.min)]
    return [Band(str(p.value), p.label) for p in scale.ordered_points]


# --------------------------------------------------------------------------- what a level's evaluation rates


@dataclass(frozen=True)
class Item:
    """One rated line of an evaluation at a level."""

    source: str  # the EvaluationSource value: competencies | goals | values | kpis
    id: str  # the competency, value or indicator id; the goal's number
    name: str  # its name in the content ("" for goals: they are numbered, and written by the employee)
    group: str = ""  # a competency's domain
    weight: float = 1  # a competency's weight in its section's average


@dataclass(frozen=True)
class ScoredSection:
    """A weighted section of the evaluation model and the items that feed it at one level."""

    section: EvaluationSection
    items: tuple[Item, ...]


def evaluation_model(fw: Framework, default_label: str = "Competencies", level: Level | None = None) -> EvaluationModel:
    """The framework's evaluation model (with the sections and weights of `level`'s track, when it has
    its own); without one, a single section of every competency."""
    if fw.meta.evaluation:
        if level is None:
            return fw.meta.evaluation
        return fw.meta.evaluation.model_copy(update={"sections": fw.evaluation_sections(level)})
    return EvaluationModel(sections=[EvaluationSection(id="competencies", label=default_label, weight=100,
                                                       source=EvaluationSource.COMPETENCIES)])


def goals_count(fw: Framework, level: Level) -> int:
    """How many goals a level's evaluation reviews: the most any of its forms has room for."""
    counts = [s.count for f in fw.forms_for(level) for s in f.sections if isinstance(s, GoalsReviewSection)]
    return max(counts, default=DEFAULT_GOALS)


def evaluation_items(fw: Framework, level: Level, default_label: str = "Competencies") -> list[ScoredSection]:
    """Each weighted section with the items rated for it at `level`, in the model's order."""
    out = []
    for section in evaluation_model(fw, default_label, level).sections:
        source = section.source
        if source is EvaluationSource.COMPETENCIES:
            items = [Item(source.value, e.competency.id, e.competency.name, e.competency.domain, e.competency.weight)
                     for e in fw.expectations(level, section.domains or None)]
        elif source is EvaluationSource.VALUES:
            items = [Item(source.value, v.id, v.name) for v in fw.meta.values]
        elif source is EvaluationSource.GOALS:
            items = [Item(source.value, str(n), "") for n in range(1, goals_count(fw, level) + 1)]
        else:
            items = [Item(source.value, k.id, k.name) for k in level.kpis]
        out.append(ScoredSection(section, tuple(items)))
    return out


def score_level(fw: Framework, level: Level, ratings: Mapping[tuple[str, str], float | None]) -> Score:
    """The score of one evaluation at `level`; `ratings` maps (source, item id) to a value on the evaluation's
    scale, None for N/A. Items missing from `ratings` are not rated yet (blank)."""
    rated: dict[str, dict[str, Rated]] = {}
    for scored in evaluation_items(fw, level):
        for item in scored.items:
            key = (item.source, item.id)
            value = ratings.get(key)
            rated.setdefault(item.source, {})[item.id] = Rated(
                item.id, value, not_applicable=key in ratings and value is None, group=item.group, weight=item.weight)
    return score(evaluation_model(fw, level=level), fw.evaluation_scale,
                 {s: list(v.values()) for s, v in rated.items()})
