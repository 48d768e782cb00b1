"""Scoring: the one rule that turns ratings into a weighted score, for every output that scores.

The rule, documented for people in docs/scoring.md:

1. A rating is the value of a point of the evaluation's scale. N/A and items not
   rated yet are left out.
2. A section's score is the mean of its ratings, not rounded.
3. A section with no rating at all (every item N/A, or nothing to rate at the
   level) is left out of the overall score, and the weights of the sections that
   remain are scaled up to total 100, so the overall score stays on the scale.
4. The overall score is Σ(section score × weight) ÷ Σ(weights of the scored
   sections), rounded to two decimals with halves away from zero, as a
   spreadsheet's ROUND does. Nothing is rounded before that.

What each section rates comes from the framework's evaluation model
(`evaluation_items`): the competencies the level expects (of the section's
domains), the framework's values, the goals reviewed, the level's indicators.
The XLSX worksheets write this rule as live formulas; `ladderbuild scores`
reads the same items off filled forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Mapping

from .model import EvaluationSection, EvaluationSource, GoalsReviewSection
from .resolve import Framework, Level

DEFAULT_GOALS = 3  # goals reviewed when no form of the level says how many (GoalsReviewSection's default)
PLACES = 2  # decimals of the overall score


@dataclass(frozen=True)
class Item:
    """One rated line of an evaluation."""

    source: str  # the EvaluationSource value: competencies | goals | values | kpis
    id: str  # the competency, value or indicator id; the goal's number
    name: str  # its name in the content ("" for goals: they are numbered, and written by the employee)


@dataclass(frozen=True)
class ScoredSection:
    """A weighted section of the evaluation model and the items that feed it at one level."""

    section: EvaluationSection
    items: tuple[Item, ...]


@dataclass(frozen=True)
class SectionScore:
    id: str
    weight: float
    average: float | None  # None: nothing rated, so the section is left out
    rated: int


@dataclass(frozen=True)
class Score:
    sections: tuple[SectionScore, ...]
    overall: float | None  # rounded to PLACES; None when no section has a rating


def evaluation_sections(fw: Framework, default_label: str = "Competencies") -> tuple[EvaluationSection, ...]:
    """The framework's weighted sections; without an evaluation model, one section of every competency."""
    if fw.meta.evaluation:
        return tuple(fw.meta.evaluation.sections)
    return (EvaluationSection(id="competencies", label=default_label, weight=100,
                              source=EvaluationSource.COMPETENCIES),)


def goals_count(fw: Framework, level: Level) -> int:
    """How many goals a level's evaluation reviews: the most any of its forms has room for."""
    counts = [s.count for f in fw.forms_for(level) for s in f.sections if isinstance(s, GoalsReviewSection)]
    return max(counts, default=DEFAULT_GOALS)


def evaluation_items(fw: Framework, level: Level, default_label: str = "Competencies") -> list[ScoredSection]:
    """Each weighted section with the items rated for it at `level`, in the model's order."""
    out = []
    for section in evaluation_sections(fw, default_label):
        source = section.source
        if source is EvaluationSource.COMPETENCIES:
            items = [Item(source.value, e.competency.id, e.competency.name)
                     for e in fw.expectations(level, section.domains or None)]
        elif source is EvaluationSource.VALUES:
            items = [Item(source.value, v.id, v.name) for v in fw.meta.values]
        elif source is EvaluationSource.GOALS:
            items = [Item(source.value, str(n), "") for n in range(1, goals_count(fw, level) + 1)]
        else:
            items = [Item(source.value, k.id, k.name) for k in level.kpis]
        out.append(ScoredSection(section, tuple(items)))
    return out


def average(ratings: Iterable[float | None]) -> float | None:
    """The mean of the ratings given; None (N/A, not rated) is left out. None when nothing is rated."""
    given = [float(r) for r in ratings if r is not None]
    return sum(given) / len(given) if given else None


def round_score(value: float, places: int = PLACES) -> float:
    """`value` rounded to `places` decimals, halves away from zero, as spreadsheets round.

    Spreadsheets round the decimal number shown to 15 significant digits, so 2.675 (stored as
    2.67499999…) rounds to 2.68; Python's round() would give 2.67.
    """
    exact = Decimal(f"{value:.15g}")
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def weighted_score(sections: Iterable[tuple[str, float, Iterable[float | None]]]) -> Score:
    """The score of (section id, weight, ratings) triples, by the rule above."""
    scored = []
    for section_id, weight, ratings in sections:
        ratings = list(ratings)
        scored.append(SectionScore(section_id, weight, average(ratings), sum(r is not None for r in ratings)))
    counted = [s for s in scored if s.average is not None]
    total_weight = sum(s.weight for s in counted)
    overall = (round_score(sum(s.average * s.weight for s in counted) / total_weight)
               if counted and total_weight else None)
    return Score(tuple(scored), overall)


def score_level(fw: Framework, level: Level, ratings: Mapping[tuple[str, str], float | None]) -> Score:
    """The score of one evaluation at `level`; `ratings` maps (source, item id) to a value, None for N/A.
    Items missing from `ratings` are not rated yet."""
    return weighted_score((s.section.id, s.section.weight, [ratings.get((i.source, i.id)) for i in s.items])
                          for s in evaluation_items(fw, level))
