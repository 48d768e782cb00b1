"""The scoring rule: ratings → section averages → the weighted overall score → its rating band.

One pure module, the only place the rule lives: `ladderbuild scores` applies
it to filled forms, and anything else that computes the weighted score (a
worksheet's formula) follows it. The rules, also printed in the calibration
report and documented in docs/review-cycle.md:

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
from typing import Mapping, Sequence

from .model import EvaluationModel, RatingScale

MET, NOT_MET = "met", "not-met"  # the two answers of an indicator (forms/view.py)


@dataclass(frozen=True)
class Rated:
    """One rated item of a form: a competency, goal, value or indicator."""

    id: str
    value: float | None  # the rating; None when N/A or left blank
    not_applicable: bool = False
    group: str = ""  # a competency's domain (sections may take only some domains)

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
    """The exact mean of the rated items (N/A and blanks left out); None when none is rated."""
    values = [_exact(i.value) for i in items if i.value is not None]
    return sum(values, Fraction(0)) / len(values) if values else None


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
