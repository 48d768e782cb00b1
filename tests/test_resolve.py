"""Inheritance and the questions the Framework answers for templates and forms."""

from __future__ import annotations

from helpers import edit
from ladderbuild.project import load_project


def framework(path):
    project = load_project(path)
    assert project.framework is not None, "\n".join(d.format() for d in project.diagnostics)
    return project.framework


def test_inheritance_merges_expectations_and_accumulates_lists(minimal_project):
    fw = framework(minimal_project)
    a2 = fw.level("assistant-2")
    assert a2.competencies == {"vital-signs": "competent", "scheduling": "novice"}
    assert a2.responsibilities == ["Rooms patients", "Orients new staff"]
    assert [k.id for k in a2.kpis] == ["intake-complete"]
    assert [r.one_of for r in a2.requirements.credentials] == [["bls"], ["cma"]]
    # Paths belong to the level alone, never inherited.
    assert [p.to for p in a2.paths] == ["lead"]
    lead = fw.level("lead")
    assert lead.paths == [] and lead.eligibility is None
    assert lead.competencies == {"vital-signs": "expert", "scheduling": "expert"}


def test_restated_credential_replaces_the_inherited_one(project_copy):
    project = project_copy()
    edit(project, "levels/lead.md", "summary: Leads the team.",
         "summary: Leads the team.\nrequirements:\n  credentials:\n    - one_of: [cma]\n      status: preferred")
    lead = framework(project).level("lead")
    assert [(r.one_of, r.status.value) for r in lead.requirements.credentials] == [
        (["bls"], "required"), (["cma"], "preferred")]


def test_changes_from_the_level_below(minimal_project):
    fw = framework(minimal_project)
    assert fw.changes_from_below(fw.level("assistant-1")) is None
    changes = fw.changes_from_below(fw.level("assistant-2"))
    assert changes.below.id == "assistant-1"
    assert [(c.competency.id, c.before.id, c.after.id) for c in changes.raised] == [
        ("vital-signs", "novice", "competent")]
    assert changes.new_competencies == () and changes.lowered == ()
    assert changes.new_responsibilities == ("Orients new staff",)
    assert [r.one_of for r in changes.new_credentials] == [["cma"]]
    lead_changes = fw.changes_from_below(fw.level("lead"))
    assert lead_changes.below.id == "assistant-2"
    assert {c.competency.id for c in lead_changes.raised} == {"vital-signs", "scheduling"}


def test_lookups_order_and_applicability(minimal_project):
    fw = framework(minimal_project)
    assert [lvl.id for lvl in fw.levels] == ["assistant-1", "assistant-2", "lead"]
    assert [c.id for c in fw.competencies] == ["vital-signs", "scheduling"]  # domain order
    assert [lvl.id for lvl in fw.levels_in_track("clinical")] == ["assistant-1", "assistant-2"]
    assert [(lvl.id, s.id) for lvl, s in fw.levels_expecting(fw.competency("scheduling"))] == [
        ("assistant-1", "novice"), ("assistant-2", "novice"), ("lead", "expert")]
    assert [f.id for f in fw.forms_for(fw.level("lead"))] == ["annual", "self"]
    assert [p.id for p in fw.packets_for(fw.level("lead"))] == ["annual-review"]
    assert [src.id for src, _ in fw.paths_into(fw.level("lead"))] == ["assistant-2"]
    scale = fw.evaluation_scale
    assert [p.value for p in scale.ordered_points] == [4, 3, 2, 1]
    assert [v for v in (4, 3, 2, 1) if scale.requires_comment(v)] == [4, 2, 1]


def test_a_restated_indicator_with_another_target_is_whats_new(project_copy, tmp_path):
    project = project_copy()
    edit(project, "levels/assistant-2.md", "responsibilities:\n",
         "kpis:\n  - id: intake-complete\n    name: Intake completeness\n    numerator: Visits with complete intake\n"
         "    denominator: All visits\n    target: \"≥ 98%\"\nresponsibilities:\n")
    fw = framework(project)
    changes = fw.changes_from_below(fw.level("assistant-2"))
    assert changes.new_kpis == ()
    assert [(t.indicator.id, t.before, t.indicator.target) for t in changes.new_targets] == [
        ("intake-complete", "≥ 95%", "≥ 98%")]
    assert fw.changes_from_below(fw.level("lead")).new_targets == ()  # Lead inherits 98 %: no change

    from conftest import build_site

    page = (build_site(project, tmp_path / "site") / "levels/assistant-2.html").read_text(encoding="utf-8")
    whats_new = page[page.index('id="whats-new"'):page.index("</section>", page.index('id="whats-new"'))]
    assert "<summary>1 indicator with a new target</summary>" in whats_new
    assert "<li>Intake completeness: ≥ 95% → <strong>≥ 98%</strong></li>" in whats_new


def test_list_items_are_matched_by_identity_in_whats_new(repo_root):
    """MA II restates MA I's national credential without the 12-month deadline and raises the rooming
    target: one changed credential and one new target, not an item removed and another added."""
    fw = framework(repo_root)
    changes = fw.changes_from_below(fw.level("ma-2"))
    [credential] = changes.changed_credentials
    assert credential.before.one_of == credential.after.one_of == ["cma", "rma", "ccma", "ncma"]
    assert credential.before.within_months_of_hire == 12 and credential.after.within_months_of_hire is None
    assert not any(set(r.one_of) & {"cma"} for r in changes.new_credentials)
    assert [(t.indicator.id, t.before, t.indicator.target) for t in changes.new_targets] == [
        ("intake-completeness", "≥ 95%", "≥ 97%")]
    assert changes.experience == (0, 12)

