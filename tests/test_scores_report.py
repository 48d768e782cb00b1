"""The calibration report in headless Chromium (file://, axe, print), and scoring by another model:
the Chinese example's three weighted dimensions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from ladderbuild.forms.html import form_html
from ladderbuild.forms.pdf import render_pdf
from ladderbuild.project import load_project
from scores_support import fill, run
from test_forms_support import EXTRA_FORMS

REPO = Path(__file__).resolve().parents[1]


def _form_pdf(project: Path, form: str, level: str, target: Path) -> Path:
    fw = load_project(project).framework
    target.write_bytes(render_pdf(form_html(fw, fw.form(form), fw.level(level), paper="letter")))
    return target


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """Six employees: Dr. Chen rates three of them high, Dr. Osei three low; Ana has a self-assessment
    and two peers' feedback."""
    root = tmp_path_factory.mktemp("report")
    project = root / "project"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", project)
    (project / "content" / "forms" / "peer.yaml").write_text(EXTRA_FORMS["peer.yaml"], encoding="utf-8")
    people = [("A1", "Ana Silva", "Dr. Chen", "4"), ("A2", "Ben Okafor", "Dr. Chen", "4"),
              ("A3", "Chloé Dubois", "Dr. Chen", "4"), ("B1", "Dan Wu", "Dr. Osei", "2"),
              ("B2", "Eve Adams", "Dr. Osei", "2"), ("B3", "Femi Bello", "Dr. Osei", "1")]
    roster = root / "roster.csv"
    roster.write_text("employee_id,name,level,manager,department,period\n" + "".join(
        f"{i},{n},assistant-1,{m},{'North' if i < 'B' else 'South'},2026\n" for i, n, m, _ in people), encoding="utf-8")
    made = run("packets", str(project), "--roster", str(roster), "--packet", "annual-review", "-o", str(root / "p"))
    assert made.exit_code == 0, made.output
    filled = root / "filled"
    filled.mkdir()
    for ident, _name, _manager, rating in people:
        comment = {} if rating == "3" else {"annual.comment.vital-signs": "Example.", "annual.comment.scheduling": "E.",
                                             "annual.value.respect.comment": "E.", "annual.goal.1.comment": "E."}
        fill(root / "p" / "annual-review" / f"{ident}.pdf", filled / f"{ident}.pdf", {
            "annual.rating.vital-signs": rating, "annual.rating.scheduling": rating,
            "annual.goal.1.text": "Goal", "annual.goal.1.rating": rating, "annual.value.respect.rating": rating,
            "self.rating.vital-signs": "3", "self.rating.scheduling": "3", **comment})
    blank_peer = _form_pdf(project, "peer", "assistant-1", root / "peer.pdf")
    for n, value in enumerate(("4", "2"), 1):
        fill(blank_peer, filled / f"peer-{n}.pdf", {"employee.name": "Ana Silva", "peer.name": f"Peer {n}",
                                                    "value.respect.rating": value, "value.respect.comment": "E."})
    out = root / "out"
    result = run("scores", str(filled), "-C", str(project), "-o", str(out), "-j", "1")
    assert result.exit_code == 0, result.output
    return out


def test_the_report_holds_every_part(report):
    html = (report / "report.html").read_text(encoding="utf-8")
    for anchor in ("distribution", "raters", "self", "peers", "far", "incomplete", "rules"):
        assert f'id="{anchor}"' in html
    assert html.count("<svg") >= 4  # overall, by rater, by department, by level
    assert "Lenient" in html and "Severe" in html  # Dr. Chen 4.00 vs 1.83; Dr. Osei 1.83 vs 4.00
    assert "2 reviewers" in html  # Ana's peers
    assert "Femi Bello" in html and "Below the level" in html and "Above the level" in html
    assert "N/A ratings are left out of an average" in html


def test_report_in_chromium_passes_axe_offline_and_prints(report, browser):
    axe = Axe()
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        tab = context.new_page()
        requests: list[str] = []
        tab.on("request", lambda request: requests.append(request.url))
        tab.goto((report / "report.html").resolve().as_uri())
        assert tab.locator("h1").inner_text() == "Calibration report"
        assert tab.locator(".chart svg rect").count() >= 6
        background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background in ("rgb(255, 255, 255)", "rgb(18, 20, 23)")  # the handbook's style.css applies
        results = axe.run(tab)
        serious = [f"{v['id']}: {v['help']}" for v in results.response["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert not serious, serious
        base = report.resolve().as_uri()
        assert all(url.startswith(base) for url in requests), requests
        if scheme == "light":
            tab.emulate_media(media="print")
            assert tab.locator(".skip-link").is_hidden()
            pdf = tab.pdf(format="Letter")
            assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
        context.close()


def test_the_chinese_example_scores_by_its_three_weighted_dimensions(tmp_path):
    project = REPO / "examples" / "health-manager-zh"
    blank = _form_pdf(project, "annual-evaluation", "health-manager-3", tmp_path / "blank.pdf")
    competencies = ["health-information-collection", "screening-report-interpretation", "health-risk-assessment",
                    "red-flag-recognition", "lifestyle-guidance", "behaviour-change-coaching",
                    "chronic-disease-management", "health-communication", "follow-up-management"]
    values = {f"rating.{c}": "3" for c in competencies[1:]}
    values.update({"rating.health-information-collection": "5", "comment.health-information-collection": "事例",
                   "rating.health-data-protection": "na",
                   "kpi.health-record-completeness.met": "met", "kpi.follow-up-completion.met": "not-met",
                   "employee.name": "张伟", "employee.id": "Z1", "evaluator.name": "李主管"})
    values.update({f"value.{v}.rating": "4" for v in ("client-first", "evidence-based", "integrity",
                                                       "collaboration", "continuous-learning")})
    folder = tmp_path / "in"
    folder.mkdir()
    fill(blank, folder / "zhang.pdf", values)
    out = tmp_path / "out"
    result = run("scores", str(folder), "-C", str(project), "-o", str(out), "-j", "1")
    assert result.exit_code == 0, result.output
    import csv
    with open(out / "scores.csv", encoding="utf-8-sig", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    # client (indicators, 40 %): met = 5, not met = 1 → 3 · professional (competencies, 40 %): (5 + 8·3) / 9 ·
    # organisational (values, 20 %): 4 → 0.4·3 + 0.4·29/9 + 0.2·4 = 3.2889 → 3.29, band 达标 (from 2.75)
    assert row["section_client"] == "3"
    assert row["section_professional"] == "3.2222"
    assert row["section_organisational"] == "4"
    assert row["overall"] == "3.29" and row["band"] == "达标"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
