"""The shipped Medical Assistant framework: checks clean and is as complete as the product promises."""

from __future__ import annotations

from collections import Counter

import pytest

from ladderbuild.model import FormType
from ladderbuild.project import load_project


@pytest.fixture(scope="module")
def shipped(repo_root):
    project = load_project(repo_root)
    assert project.diagnostics == [], "\n".join(d.format() for d in project.diagnostics)
    return project.framework


def test_ladder_size(shipped):
    assert len(shipped.levels) >= 8
    assert len(shipped.tracks) >= 4
    assert len({lvl.track for lvl in shipped.levels}) >= 4
    assert {t.kind for t in shipped.tracks} >= {"clinical", "leadership", "education", "bridge"}


def test_specialties_are_specialisms_layered_on_ma_ii_and_senior_ma(shipped):
    """The specialty clinics are specialisms, not copied levels: a Senior MA keeps the specialty."""
    assert {s.id for s in shipped.specialisms} >= {"cardiology", "dermatology", "pediatrics", "ophthalmology"}
    for spec in shipped.specialisms:
        assert spec.levels == ["ma-2", "ma-3"]
        for core in ("ma-2", "ma-3"):
            combined = shipped.level(f"{core}--{spec.id}")
            base = shipped.level(core)
            for comp, stage in spec.competencies.items():
                assert shipped.stage_rank(combined.competencies[comp]) >= shipped.stage_rank(stage)
            assert all(shipped.stage_rank(combined.competencies[c]) >= shipped.stage_rank(s)
                       for c, s in base.competencies.items())
    promotion = next(p for p in shipped.level("ma-2--cardiology").paths if p.to.startswith("ma-3"))
    assert promotion.to == "ma-3--cardiology"


def test_competencies_cover_six_domains_with_every_anchor(shipped):
    assert len(shipped.competencies) >= 24
    per_domain = Counter(c.domain for c in shipped.competencies)
    assert len(per_domain) >= 6
    stages = [s.id for s in shipped.meta.stages]
    assert stages == ["novice", "advanced-beginner", "competent", "proficient", "expert"]
    for comp in shipped.competencies:
        assert list(comp.anchors) == stages or set(comp.anchors) == set(stages), comp.id
        assert all(len(text) > 20 for text in comp.anchors.values()), comp.id


def test_scale_evaluation_and_catalogues(shipped):
    scale = shipped.scale()
    assert [p.value for p in scale.ordered_points] == [4, 3, 2, 1]
    assert scale.not_applicable.allowed
    assert [v for v in (4, 3, 2, 1) if scale.requires_comment(v)] == [4, 2, 1]
    assert sum(s.weight for s in shipped.meta.evaluation.sections) == 100
    abbreviations = " ".join(c.abbreviation for c in shipped.credentials)
    for name in ("CMA (AAMA)", "RMA (AMT)", "CCMA (NHA)", "BLS"):
        assert name in abbreviations
    assert len(shipped.training) >= 10 and len(shipped.glossary) >= 10
    assert {p.id for p in shipped.pages} >= {"how-promotion-works", "faq"}
    assert all(lvl.kpis for lvl in shipped.levels)


def test_forms_and_packets(shipped):
    types = {f.type for f in shipped.forms}
    assert types >= {FormType.ANNUAL_EVALUATION, FormType.SELF_ASSESSMENT, FormType.COMPETENCY_VALIDATION,
                     FormType.PROMOTION_READINESS, FormType.DEVELOPMENT_PLAN}
    assert {p.id for p in shipped.packets} >= {"annual-review", "promotion-application"}


def test_no_placeholder_text(repo_root):
    for path in sorted((repo_root / "content").rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8").lower()
            for word in ("lorem", "ipsum", "todo", "tbd", "placeholder", "xxx"):
                assert word not in text, f"{word!r} in {path}"
