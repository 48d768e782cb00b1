"""What the format can say beyond one ladder (issue 16), seen where people see it.

The software engineering example (examples/software-engineering) is the framework from outside
healthcare: per-level statements, a specialism, a role, removal of inherited items and its own
vocabulary. Each item is checked on the built handbook, on the form views and in `check`.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from helpers import diagnostics, edit, line_of, only
from ladderbuild import urls
from ladderbuild.diagnostics import Severity
from ladderbuild.forms import form_tasks
from ladderbuild.forms.view import form_view
from ladderbuild.project import load_project

REPO = Path(__file__).resolve().parents[1]
SE = REPO / "examples" / "software-engineering"


@pytest.fixture(scope="module")
def se():
    project = load_project(SE)
    assert project.diagnostics == [], "\n".join(d.format() for d in project.diagnostics)
    return project.framework


def page(sites, name: str, path: str) -> str:
    return (sites[name] / path).read_text(encoding="utf-8")


def text_of(html: str) -> str:
    """The page's text as a reader sees it (tags dropped, spaces collapsed)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace(" .", ".")


def row_of(html: str, competency_id: str) -> str:
    """The expectations table row of one competency on a level page."""
    match = re.search(r'<tr[^>]*>\s*<th scope="row"[^>]*><a href="[^"]*competencies/%s\.html">.*?</tr>' % competency_id,
                      html, re.S)
    assert match, competency_id
    return match.group()


# --------------------------------------------------------------------------- 1. statements per level


def test_a_statement_follows_the_anchor_or_replaces_it_on_the_level_page(sites):
    staff = page(sites, "se", urls.level("staff-engineer"))
    code = row_of(staff, "code-quality")
    assert "Leads Code quality for the team" in code  # the stage's anchor …
    assert "Sets the code quality bar for a group of teams" in code  # … then the level's own words
    delivery = row_of(staff, "delivery")
    assert "Unblocks delivery across teams" in delivery
    assert "Leads Delivery for the team" not in delivery  # replaces_anchor
    # Senior and Staff expect the same stage in code quality, yet no longer read the same.
    senior = page(sites, "se", urls.level("senior-engineer"))
    assert "Sets the code quality bar" not in row_of(senior, "code-quality")


def test_statements_reach_compare_and_forms(sites, se):
    data = json.loads(re.search(r'<script type="application/json" id="compare-data">(.*?)</script>',
                                page(sites, "se", urls.COMPARE), re.S).group(1))
    assert data["levels"]["staff-engineer"]["statements"]["delivery"].startswith("Unblocks delivery")
    form = form_view(se, se.form("annual-review"), se.level("staff-engineer"))
    items = {i.id: i for s in form.sections if s.kind == "competency-ratings"
             for g in s.data["groups"] for i in g.items}
    assert "Sets the code quality bar" in items["code-quality"].statement and items["code-quality"].anchor
    assert "Unblocks delivery" in items["delivery"].statement and items["delivery"].anchor == ""


def test_a_statement_for_a_competency_the_level_does_not_expect_is_reported(project_copy):
    project = project_copy()
    edit(project, "levels/assistant-2.md", "competencies:\n  vital-signs: competent",
         "statements:\n  scheduling:\n    text: Books for the whole team.\n"
         "competencies:\n  vital-signs: competent")
    found = diagnostics(project)
    assert not any(d.code == "statement-without-expectation" for d in found)  # inherited from assistant-1
    edit(project, "levels/assistant-2.md", "  scheduling:\n    text:", "  triage:\n    text:")
    bad = only(diagnostics(project), "unknown-reference")
    assert bad.line == line_of(project, "levels/assistant-2.md", "triage:")


# --------------------------------------------------------------------------- 2. specialisms


def test_a_specialism_is_layered_on_several_levels_without_copying_them(se, sites):
    combined = se.level("senior-engineer--site-reliability")
    assert combined.core == "senior-engineer" and combined.specialism == "site-reliability"
    assert combined.competencies["incident-response"] == "leading"
    assert combined.competencies["code-quality"] == se.level("senior-engineer").competencies["code-quality"]
    assert "Takes part in the production on-call rota" in combined.responsibilities
    promotion = next(p for p in combined.paths if p.to.startswith("staff-engineer"))
    assert promotion.to == "staff-engineer--site-reliability"  # promotion keeps the specialism
    html = page(sites, "se", urls.level(combined.id))
    assert "Incident response" in row_of(html, "incident-response") and "Acts as incident commander" in html
    core = page(sites, "se", urls.level("senior-engineer"))
    assert 'href="senior-engineer--site-reliability.html"' in core
    assert "Site reliability" in page(sites, "se", urls.specialism("site-reliability"))
    matrix = page(sites, "se", urls.MATRIX)
    assert "Senior · SRE" in matrix or "Senior Engineer · Site reliability" in matrix


def test_forms_and_packets_exist_per_combination(se, tmp_path):
    made = {t.path.relative_to(tmp_path).as_posix() for t in form_tasks(se, tmp_path)}
    assert "forms/annual-review--staff-engineer--site-reliability.pdf" in made
    assert "packets/annual--senior-engineer--site-reliability.pdf" in made
    form = form_view(se, se.form("annual-review"), se.level("senior-engineer--site-reliability"))
    rated = {i.id for s in form.sections if s.kind == "competency-ratings" for g in s.data["groups"] for i in g.items}
    assert {"incident-response", "observability", "code-quality"} <= rated


def test_a_specialism_naming_an_unknown_level_is_reported(project_copy):
    project = project_copy()
    (project / "content/specialisms").mkdir()
    (project / "content/specialisms/night.yaml").write_text(
        "id: night\nname: Night clinic\nsummary: Evening hours.\nlevels: [assistant-2, assistant-9]\n"
        "competencies:\n  vital-signs: expert\n", encoding="utf-8")
    bad = only(diagnostics(project), "unknown-reference")
    assert (bad.file, bad.line) == ("content/specialisms/night.yaml", 4) and "assistant-9" in bad.message
    (project / "content/specialisms/night.yaml").write_text(
        "id: night\nname: Night clinic\nsummary: Evening hours.\nlevels: [assistant-2]\n"
        "statements:\n  scheduling:\n    text: Runs the evening schedule.\n", encoding="utf-8")
    assert not [d for d in diagnostics(project) if d.severity is Severity.ERROR]  # expected at assistant-2
    edit(project, "levels/assistant-1.md", "  scheduling: novice\n", "")
    found = only(diagnostics(project), "statement-without-expectation")
    assert (found.file, found.line) == ("content/specialisms/night.yaml", 6)


# --------------------------------------------------------------------------- 3. roles


def test_a_role_is_held_alongside_a_level_with_its_own_page_and_forms(se, sites, tmp_path):
    html = page(sites, "se", urls.role("tech-lead"))
    role = text_of(html)
    assert "Runs the team's design reviews" in role
    assert "technical decisions to product and design partners" in role
    assert "Tech lead review" in role
    assert 'href="../roles/tech-lead.html"' in page(sites, "se", urls.level("senior-engineer"))
    assert "roles/tech-lead.html" not in page(sites, "se", urls.level("engineer-1"))
    made = {t.path.relative_to(tmp_path).as_posix() for t in form_tasks(se, tmp_path)}
    assert "forms/tech-lead-review--role-tech-lead.pdf" in made
    assert not any(m.startswith("forms/tech-lead-review--engineer") for m in made)  # not a level form
    form = form_view(se, se.form("tech-lead-review"), se.role_levels[0])
    rated = {i.id for s in form.sections if s.kind == "competency-ratings" for g in s.data["groups"] for i in g.items}
    assert rated == {"system-design", "communication"}


# --------------------------------------------------------------------------- 4. inheritance that removes


def test_a_child_level_removes_and_replaces_inherited_items(se, sites):
    principal = text_of(page(sites, "se", urls.level("principal-engineer")))
    assert "Ships to production with support" not in principal
    assert "Ships to production independently" not in principal
    assert "Shapes the organisation's architecture" in principal
    assert "Scopes their own work" not in principal and "Chooses which problems" in principal
    manager = se.level("engineering-manager")
    assert "code-quality" not in manager.competencies
    assert not manager.requirements.credentials
    assert manager.reports_to == ["Director of engineering"]
    assert se.level("staff-engineer").reports_to == []  # reports_to is not inherited


def test_a_removal_that_matches_nothing_inherited_is_located_with_a_hint(project_copy):
    project = project_copy()
    edit(project, "levels/assistant-2.md", "responsibilities:\n  - Orients new staff",
         "remove:\n  responsibilities:\n    - Measures vital sign\n"
         "responsibilities:\n  - Orients new staff")
    parent = (project / "content/levels/assistant-1.md").read_text()
    inherited = re.search(r"responsibilities:\n  - (.*)\n", parent).group(1)
    found = only(diagnostics(project), "not-inherited")
    assert found.file == "content/levels/assistant-2.md"
    assert found.line == line_of(project, "levels/assistant-2.md", "- Measures vital sign")
    assert "did you mean" in found.hint or inherited in found.hint
    edit(project, "levels/assistant-2.md", "inherits: assistant-1\n", "")
    assert only(diagnostics(project), "nothing-to-remove").line == line_of(project, "levels/assistant-2.md", "remove:")


# --------------------------------------------------------------------------- 5. structured gates


def test_gates_are_worded_on_the_level_page(sites):
    senior = text_of(page(sites, "se", urls.level("senior-engineer")))
    assert "No written warning or more serious disciplinary action in the last 12 months" in senior
    assert "At least 12 months since the last promotion" in senior
    assert "At least 6 months since the last application that was not approved" in senior
    assert "Endorsed by: Promotion committee" in senior
    assert "At least 4 years" in senior and "48 months" not in senior  # years as written
    first = text_of(page(sites, "se", urls.level("engineer-1")))
    assert "Completion of a recognised coding bootcamp" in first and "One of" in first


def test_each_gate_has_its_own_line_and_fields_on_the_promotion_form(se):
    form = form_view(se, se.form("promotion-case"), se.level("senior-engineer"))
    gates = next(s for s in form.sections if s.kind == "eligibility").data["gates"]
    kinds = [g.kind for g in gates]
    assert {"discipline-severity", "since-promotion", "since-application", "endorsement",
            "experience-years"} <= set(kinds)
    assert kinds.count("endorsement") == 2
    assert len({g.met_field for g in gates}) == len(gates)  # a box each
    years = next(g for g in gates if g.kind == "experience-years")
    assert years.number == 4


def test_experience_in_months_and_years_at_once_is_an_error(project_copy):
    project = project_copy()
    (project / "content/levels/assistant-2.md").write_text(
        (project / "content/levels/assistant-2.md").read_text().replace(
            "  time_in_level:", "  experience:\n    min_months: 12\n    min_years: 1\n  time_in_level:"))
    found = only(diagnostics(project), "invalid-value")
    assert "min_years" in found.message and found.line == line_of(project, "levels/assistant-2.md", "experience:") + 1


def test_an_unknown_discipline_severity_is_reported(project_copy):
    project = project_copy()
    edit(project, "levels/assistant-2.md", "  discipline_lookback_months: 12",
         "  discipline:\n    lookback_months: 12\n    min_severity: final")
    edit(project, "framework.yaml", "domains:", "discipline_levels:\n  - {id: written, label: written warning}\ndomains:")
    found = only(diagnostics(project), "unknown-reference")
    assert found.line == line_of(project, "levels/assistant-2.md", "min_severity")


# --------------------------------------------------------------------------- 6. points portfolios


@pytest.fixture
def points_project(project_copy):
    project = project_copy()
    edit(project, "framework.yaml", "domains:", """points_categories:
  - id: committee
    label: Committee work
    tiers: [{label: Member, points: 3}, {label: Chair, points: 5}]
  - id: hours
    label: Continuing education
    per_unit: {points: 1, units: 5, unit: contact hours}
domains:""")
    edit(project, "levels/assistant-2.md", """      - id: quality
        label: Quality work
        points_each: 3""", """      - id: quality
        label: Quality work
        points_each: 3
      - id: committee
        cap: 10
        minimum: 3
      - id: hours
        exclusions: [Mandatory annual training]
    exclusions: [Work required by the job description]
    renewal: {points_per_year: 6}""")
    return project


def test_tiers_units_shared_categories_exclusions_and_renewal(points_project, tmp_path):
    from conftest import build_site

    project = load_project(points_project)
    assert not project.errors, [d.format() for d in project.errors]
    level = project.framework.level("assistant-2")
    cats = {c.id: c for c in level.evidence.points.categories}
    assert cats["committee"].label == "Committee work" and cats["committee"].cap == 10  # shared + own cap
    assert [t.points for t in cats["committee"].tiers] == [3, 5]
    html = text_of((build_site(points_project, tmp_path / "out") / urls.level("assistant-2")).read_text())
    assert "Chair: 5" in html and "1 per 5 contact hours" in html
    assert "at least 3 points from this category" in html
    assert "Does not count: Mandatory annual training" in html
    assert "Work required by the job description" in html
    assert "at least 6 points a year" in html


def test_check_warns_when_a_cap_is_below_one_items_points(points_project):
    edit(points_project, "levels/assistant-2.md", "        cap: 10\n", "        cap: 4\n")
    found = only(diagnostics(points_project), "cap-below-item")
    assert found.severity is Severity.WARNING and "5 points" in found.message
    assert found.line == line_of(points_project, "levels/assistant-2.md", "cap: 4")


def test_a_category_without_points_is_an_error(points_project):
    edit(points_project, "levels/assistant-2.md", "      - id: hours\n", "      - id: reading\n        label: Reading\n")
    assert only(diagnostics(points_project), "missing-points").line == line_of(
        points_project, "levels/assistant-2.md", "- id: reading")


# --------------------------------------------------------------------------- 7. credentials by unit


def test_a_credential_required_in_some_units_and_preferred_elsewhere(project_copy, tmp_path):
    from conftest import build_site

    project = project_copy()
    edit(project, "framework.yaml", "domains:", "units:\n  - {id: icu, name: Intensive care}\n"
                                                "  - {id: ed, name: Emergency department}\ndomains:")
    edit(project, "levels/assistant-2.md", "    - one_of: [cma]\n      within_months_of_hire: 12",
         "    - one_of: [cma]\n      within_months_of_hire: 12\n    - one_of: [bls]\n      status: preferred\n"
         "      by_unit: {icu: required, ed: required}")
    html = text_of((build_site(project, tmp_path / "out") / urls.level("assistant-2")).read_text())
    assert "required in Intensive care, Emergency department" in html
    fw = load_project(project).framework
    from ladderbuild.model import FormFile
    form = FormFile.model_validate({"id": "p", "title": "P", "type": "promotion-readiness",
                                    "sections": [{"kind": "eligibility"}]})
    gate = next(g for s in form_view(fw, form, fw.level("assistant-2")).sections for g in s.data["gates"]
                if g.kind == "credential" and "BLS" in g.text)
    assert gate.units == (("required", ("Intensive care", "Emergency department")),) and not gate.required
    edit(project, "levels/assistant-2.md", "by_unit: {icu: required, ed: required}", "by_unit: {icu: required, or: required}")
    found = only(diagnostics(project), "unknown-reference")
    assert "unit `or`" in found.message


# --------------------------------------------------------------------------- 8. weights per track and competency


def test_weights_per_track_reach_the_score_worksheet(se):
    manager = form_view(se, se.form("annual-review"), se.level("engineering-manager"))
    ic = form_view(se, se.form("annual-review"), se.level("senior-engineer"))

    def weights(form):
        return [(r.label, r.weight) for s in form.sections if s.kind == "weighted-score" for r in s.data["rows"]]

    assert weights(manager) == [("Skills", 50), ("Team goals", 50)]
    assert weights(ic) == [("Skills", 70), ("Goals", 30)]


def test_a_domain_in_no_weighted_section_is_warned_about(project_copy):
    project = project_copy()
    text = (project / "content/framework.yaml").read_text()
    assert "source: competencies" in text
    (project / "content/framework.yaml").write_text(
        text.replace("source: competencies", "source: competencies\n      domains: [clinical]", 1))
    found = only(diagnostics(project), "unweighted-domain")
    assert found.severity is Severity.WARNING and "`admin`" in found.message


def test_competency_weight_is_shown_where_the_rating_is_given(se, sites):
    assert "counts ×2 in the average" in text_of(page(sites, "se", urls.competency("system-design")))
    form = form_view(se, se.form("annual-review"), se.level("senior-engineer"))
    items = {i.id: i for s in form.sections if s.kind == "competency-ratings" for g in s.data["groups"] for i in g.items}
    assert items["system-design"].weight == 2 and items["code-quality"].weight == 1


def test_competency_weight_is_a_number_above_zero(project_copy):
    project = project_copy()
    edit(project, "competencies/scheduling.yaml", "domain: admin", "domain: admin\nweight: 0")
    found = only(diagnostics(project), "invalid-value")
    assert found.line == line_of(project, "competencies/scheduling.yaml", "weight: 0")


# --------------------------------------------------------------------------- 9. vocabulary


def test_the_frameworks_own_words_replace_ladderbuilds(sites):
    comp = text_of(page(sites, "se", urls.competency("code-quality")))
    assert "Theme: Technical skill" in comp and "Domain" not in comp
    level = page(sites, "se", urls.level("engineer-2"))
    assert "<h3>Scope</h3>" in level and "Scope of practice" not in level
    assert "Signals" in level or "signals" in page(sites, "se", urls.level("engineer-1"))
    home = text_of(page(sites, "se", urls.HOME))
    assert "Engineering ladder Individual contributor" in home  # the track kind, in the framework's words
    # The MA ladder keeps its clinical words, from its own framework.yaml.
    assert "<h3>Scope of practice</h3>" in page(sites, "content", urls.level("ma-2"))


HEALTHCARE_WORDS = re.compile(r"\b(patients?|clinical|clinic|scope of practice|nurs\w*|medical|physician|"
                              r"health\w*|hospital)\b", re.I)


def test_no_healthcare_words_are_hard_coded_in_templates_or_interface_text():
    from babel.messages.extract import extract_from_dir

    found, seen = [], 0
    for folder in (REPO / "templates", REPO / "src" / "ladderbuild"):
        method_map = [("**/scaffold/**", "ignore"), ("**.py", "python"), ("**.html", "jinja2")]
        options = {"**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}
        for filename, _line, message, _comments, _context in extract_from_dir(
                folder, method_map, options_map=options, keywords={"_": None, "N_": None, "gettext": None,
                                                                    "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}):
            seen += 1
            for text in (message if isinstance(message, tuple) else (message,)):
                if text and HEALTHCARE_WORDS.search(text):
                    found.append(f"{filename}: {text}")
    assert seen > 300, "the interface text was not found"
    assert not found, "\n".join(found)


# --------------------------------------------------------------------------- 10. smaller things


def test_anchors_render_inline_markdown(sites):
    level = page(sites, "se", urls.level("engineer-1"))
    assert "<code>code-quality</code>" in row_of(level, "code-quality")
    assert "`code-quality`" not in level
    assert "<code>code-quality</code>" in page(sites, "se", urls.competency("code-quality"))


def test_typographic_quotes_and_dashes():
    from ladderbuild import markdown

    assert markdown.render('He said "yes" -- twice...') == "<p>He said “yes” – twice…</p>\n"


def test_a_link_to_a_form_file_is_text_not_a_dead_link(sites):
    html = page(sites, "se", urls.page("how-promotion-works"))
    assert 'href="#"' not in html
    assert "promotion case form" in html


def test_hints_list_stages_in_scale_order(project_copy):
    project = project_copy()
    edit(project, "levels/assistant-2.md", "  vital-signs: competent", "  vital-signs: masterful")
    hint = only(diagnostics(project), "unknown-stage").hint
    stages = re.findall(r"`([a-z-]+)`", hint)
    assert stages == ["novice", "competent", "expert"], hint  # the scale's order, not the alphabet's


def test_an_indentation_slip_gets_an_indentation_hint(project_copy):
    project = project_copy()
    edit(project, "competencies/scheduling.yaml", "domain: admin", "  domain: admin")
    found = only(diagnostics(project), "yaml-syntax")
    assert "indented" in found.hint and "quote" not in found.hint.split("(")[0]


def test_a_body_heading_named_like_a_section_keeps_on_this_page_working(sites):
    html = page(sites, "se", urls.level("engineer-1"))  # its description has "## Evidence"
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "every id on the page is unique"
    assert re.search(r'<h2 id="evidence-2">Evidence</h2>', html)
    for target in re.findall(r'<nav class="toc".*?</nav>', html, re.S)[0:1]:
        for anchor in re.findall(r'href="#([^"]+)"', target):
            assert anchor in ids


def test_the_glossary_does_not_link_inside_proper_names(project_copy, tmp_path):
    from conftest import build_site

    project = project_copy()
    (project / "content/glossary.yaml").write_text(
        "- term: Medical Assistant\n  definition: A trained member of the care team.\n", encoding="utf-8")
    edit(project, "levels/assistant-2.md", "Works independently.",
         "A Registered Medical Assistant works independently, like any medical assistant.")
    html = (build_site(project, tmp_path / "out") / urls.level("assistant-2")).read_text()
    assert "Registered Medical Assistant works" in html  # not linked inside the credential's name
    assert re.search(r'any <a class="term"[^>]*>medical assistant</a>', html)


def test_credentials_page_lists_one_of_options_as_such(sites):
    html = text_of(page(sites, "content", urls.CREDENTIALS))
    cma = html[html.index("Certified Medical Assistant"):]
    cma = cma[:cma.index("Registered Medical Assistant")] if "Registered Medical Assistant" in cma else cma
    assert "One of the accepted options for:" in cma
    assert "Required for:" not in cma  # CMA is one of four accepted credentials, not required itself


def test_build_elsewhere_writes_no_cache_into_the_project(project_copy, tmp_path, monkeypatch):
    from ladderbuild.build import BuildOptions, build

    project = project_copy()
    monkeypatch.delenv("LADDERBUILD_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    build(load_project(project), tmp_path / "elsewhere", BuildOptions(pdf=False))
    assert not (project / ".ladderbuild-cache").exists()
    caches = list((tmp_path / "xdg" / "ladderbuild").iterdir())
    assert len(caches) == 1 and (caches[0] / ".gitignore").read_text().splitlines()[-1] == "*"
    # Built into the project's own output/, the cache is in the project and ignores itself.
    build(load_project(project), project / "output", BuildOptions(pdf=False))
    assert (project / ".ladderbuild-cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_points_rules_reach_the_portfolio_form(points_project):
    from ladderbuild.forms.html import form_html
    from ladderbuild.model import FormFile

    fw = load_project(points_project).framework
    form = FormFile.model_validate({"id": "portfolio", "title": "Portfolio", "type": "promotion-readiness",
                                    "sections": [{"kind": "evidence"}]})
    html = text_of(form_html(fw, form, fw.level("assistant-2"), paper="letter"))
    assert "Chair: 5" in html and "1 per 5 contact hours" in html
    assert "at least 3 points from this category" in html and "Mandatory annual training" in html
    assert "Never counts: Work required by the job description" in html
    assert "at least 6 points a year" in html


def test_scores_use_the_tracks_weights_and_each_competencys_weight(se):
    from ladderbuild import scoring

    manager = se.level("engineering-manager")
    ratings = {("competencies", c): 3.0 for c in manager.competencies} | {("goals", "1"): 1.0}
    score = scoring.score_level(se, manager, ratings)
    assert [(s.label, s.weight) for s in score.sections] == [("Skills", 50), ("Team goals", 50)]
    assert float(score.overall) == 2.0  # 3 × 50% + 1 × 50%
    senior = se.level("senior-engineer")
    ratings = {("competencies", c): 1.0 for c in senior.competencies} | {("competencies", "system-design"): 3.0}
    skills = scoring.score_level(se, senior, ratings).sections[0]
    n = len(senior.competencies)
    assert skills.average == pytest.approx((1.0 * (n - 1) + 3.0 * 2) / (n + 1))  # system design counts twice
