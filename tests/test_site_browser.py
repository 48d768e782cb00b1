"""The built handbook in real headless Chromium: navigation, compare, search, requests, accessibility, layout.

The handbooks are built once per session (see conftest.py). Pages are opened
from file:// and from a local HTTP server on 127.0.0.1; both must work, and
no request may go anywhere but the handbook itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

SITES_IN_BROWSER = ["minimal", "content", "zh", "se"]
WIDTHS = {"phone": 375, "desktop": 1280}


def template_pages(root: Path) -> dict[str, str]:
    """One page per page template (the first of each kind), as paths from the site root."""

    def first(folder: str) -> str | None:
        found = sorted((root / folder).glob("*.html")) if (root / folder).is_dir() else []
        return f"{folder}/{found[0].name}" if found else None

    steps = sorted((root / "next").glob("*/*.html")) if (root / "next").is_dir() else []
    pages = {
        "home": "index.html", "level": first("levels"), "competency": first("competencies"),
        "competencies": "competencies.html", "matrix": "matrix.html", "compare": "compare.html",
        "training": "training.html", "credentials": "credentials.html", "glossary": "glossary.html",
        "changes": "changes.html", "page": first("pages"), "search": "search.html?q=level",
        "specialism": first("specialisms"), "role": first("roles"),
        "not-found": "404.html", "forms": "forms.html", "place": "place.html",
        "next-step": steps[0].relative_to(root).as_posix() if steps else None,
        "downloads": "downloads.html", "job": first("jobs"), "interview": first("interviews"),
        "evaluation": "evaluation.html",
    }
    return {name: path for name, path in pages.items()
            if path and (root / path.split("?")[0]).is_file()}


def file_url(root: Path, path: str) -> str:
    return root.resolve().as_uri() + "/" + path


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.requests = []  # every URL the page asked for
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.csp_violations = []  # the page's Content-Security-Policy must never have to block the handbook itself
    tab.on("console", lambda msg: tab.csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield tab
    context.close()


def assert_only_local(requests: list[str], base: str) -> None:
    strays = [url for url in requests if not url.startswith(base)]
    assert not strays, f"requests left the handbook: {strays}"


# --------------------------------------------------------------------------- a reader's path through the handbook


@pytest.mark.parametrize("origin", ["file", "http"])
def test_home_level_competency_compare_and_search(sites, site_server, page: Page, origin):
    root = sites["minimal"]
    base = file_url(root, "") if origin == "file" else f"{site_server}/minimal/"
    page.goto(base + "index.html")
    expect(page.locator("h1")).to_have_text("Example Clinic Career Ladder")

    # home → level: follow a box of the ladder diagram
    page.locator("a.ladder__box", has_text="Assistant II").click()
    expect(page).to_have_url(base + "levels/assistant-2.html")
    expect(page.locator("h1")).to_have_text("Assistant II")
    expect(page.locator("#whats-new")).to_be_visible()

    # level → competency
    page.locator("table.expectations a", has_text="Vital signs").click()
    expect(page).to_have_url(base + "competencies/vital-signs.html")
    expect(page.locator("h1")).to_have_text("Vital signs")

    # → compare, pick two levels, differences are highlighted
    page.locator(".site-nav a", has_text="Compare").click()
    expect(page).to_have_url(re.compile(re.escape(base + "compare.html")))
    page.select_option("#compare-a", "assistant-1")
    page.select_option("#compare-b", "lead")
    differing = page.locator("table.compare-table tr.differs")
    expect(differing.first).to_be_visible()
    assert differing.count() >= 3
    vital = page.locator("table.compare-table tr", has=page.locator("th a", has_text="Vital signs"))
    expect(vital).to_have_class(re.compile(r"\bdiffers\b"))
    expect(vital.locator("td").nth(1)).to_contain_text("higher")
    same = page.locator("table.compare-table tr", has=page.locator("th", has_text="Track"))
    expect(same).to_have_class(re.compile(r"\bdiffers\b"))  # Clinical vs Leadership
    expect(page.locator("#compare-summary")).to_contain_text("Assistant I and Lead Assistant differ in")
    # the same two levels again: nothing differs
    page.select_option("#compare-b", "assistant-1")
    expect(page.locator("table.compare-table tr.differs")).to_have_count(0)

    # a comparison can be linked to
    page.goto(base + "compare.html?a=assistant-2&b=lead")
    expect(page.locator("#compare-a")).to_have_value("assistant-2")
    expect(page.locator("#compare-b")).to_have_value("lead")

    # search from the header, then follow a result
    page.fill("#site-search-q", "vital signs")
    page.press("#site-search-q", "Enter")
    expect(page).to_have_url(re.compile(re.escape(base + "search.html") + r"\?q=vital"))
    results = page.locator("#search-results li a")
    expect(results.first).to_be_visible()
    assert "Vital signs" in results.all_inner_texts()
    page.locator("#search-results li a", has_text="Vital signs").first.click()
    expect(page).to_have_url(base + "competencies/vital-signs.html")

    # a search with no hits says so
    page.goto(base + "search.html?q=zzzyxq")
    expect(page.locator("#search-status")).to_contain_text("No results")

    assert_only_local(page.requests, base)
    assert any(url.endswith("search-index.js") for url in page.requests)
    # Scripts ran (compare, search) under a policy that forbids inline and third-party script.
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.csp_violations == []


def search_results(page: Page, base: str, query: str) -> list[str]:
    """The result links (paths from the handbook root) of a search, in rank order."""
    page.goto(base + "search.html?q=" + query)
    expect(page.locator("#search-status")).not_to_be_empty()
    return [a.get_attribute("href") for a in page.locator("#search-results li a").all()]


@pytest.mark.parametrize("origin", ["file", "http"])
def test_chinese_search_finds_the_right_pages(sites, site_server, page: Page, origin):
    """Chinese has no spaces between words: a query matches the pages that hold the word, not its characters."""
    root = sites["zh"]
    base = file_url(root, "") if origin == "file" else f"{site_server}/zh/"
    # An indicator only the senior level has: that level, and nothing else.
    assert search_results(page, base, "客户长期留存率") == ["levels/health-manager-1.html"]
    expect(page.locator("#search-status")).to_have_text("找到 1 条与“客户长期留存率”相关的结果。")
    # A glossary term: its entry first, then the training and the competency that use it.
    found = search_results(page, base, "动机性访谈")
    assert found[0] == "glossary.html#term-motivational-interviewing"
    assert {"training.html#training-motivational-interviewing", "competencies/behaviour-change-coaching.html"} <= set(found)
    assert "competencies/health-information-collection.html" not in found  # has 动 机 性 访 谈, not the word
    assert "competencies/health-risk-assessment.html" in search_results(page, base, "健康风险评估")[:3]
    assert search_results(page, base, "区块链") == []
    expect(page.locator("#search-status")).to_have_text("没有找到与“区块链”相关的结果。")

    # From the header's search box to a result, and on to its page.
    page.goto(base + "index.html")
    page.fill("#site-search-q", "膳食")
    page.press("#site-search-q", "Enter")
    expect(page).to_have_url(re.compile(re.escape(base + "search.html") + r"\?q="))
    page.locator("#search-results li a", has_text="膳食与运动指导").first.click()
    expect(page).to_have_url(base + "competencies/lifestyle-guidance.html")
    expect(page.locator("h1")).to_have_text("膳食与运动指导")
    assert_only_local(page.requests, base)
    assert page.csp_violations == []


# --------------------------------------------------------------------------- every page template


AXE_RUNS = [(name, "light", "desktop") for name in SITES_IN_BROWSER] + [("content", "light", "phone")] + [
    (name, "dark", "desktop") for name in SITES_IN_BROWSER]


@pytest.mark.parametrize("name, scheme, width", AXE_RUNS)
def test_axe_finds_no_violations_on_any_page_template(sites, browser, name, scheme, width):
    """Every rule on every page kind, at desktop width and (on the shipped framework) at phone width,
    where the narrow layouts take over; in the dark scheme, which changes only colours, the contrast rule."""
    root = sites[name]
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900}, color_scheme=scheme)
    tab = context.new_page()
    axe = Axe()
    options = {"resultTypes": ["violations"]}
    if scheme == "dark":
        options["runOnly"] = {"type": "rule", "values": ["color-contrast"]}
    problems = []
    pages = template_pages(root)
    assert {"home", "matrix", "compare", "search", "forms", "place", "downloads", "job", "interview"} <= set(pages)
    for template, path in pages.items():
        tab.goto(file_url(root, path))
        if template == "search":
            expect(tab.locator("#search-status")).not_to_be_empty()
        results = axe.run(tab, options=options)
        for violation in results.response["violations"]:
            targets = [n["target"] for n in violation["nodes"]][:5]
            problems.append(f"{template} ({path}): {violation['impact']} {violation['id']} — {violation['help']} {targets}")
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", SITES_IN_BROWSER)
def test_no_page_scrolls_sideways_on_a_phone(sites, browser, name):
    """At 320 px, the narrowest phone in use (and so at every wider one)."""
    root = sites[name]
    context = browser.new_context(viewport={"width": 320, "height": 800})
    tab = context.new_page()
    wide = []
    for template, path in template_pages(root).items():
        tab.goto(file_url(root, path))
        scroll, client = tab.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > client:
            wide.append(f"{template} ({path}): scrollWidth {scroll} > clientWidth {client}")
    context.close()
    assert not wide, "\n".join(wide)


@pytest.mark.parametrize("name", SITES_IN_BROWSER)
def test_screenshots_at_phone_and_desktop_width(sites, browser, artifacts_dir, name):
    """Screenshots for a person to look at (test-artifacts/); the test checks they were written."""
    root = sites[name]
    pages = template_pages(root)
    for width_name, width in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        tab = context.new_page()
        for template in ("home", "level", "matrix", "compare"):
            if template not in pages:
                continue
            tab.goto(file_url(root, pages[template]))
            target = artifacts_dir / f"site-{name}-{template}-{width_name}.png"
            tab.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 5000
        context.close()


def test_level_page_prints_without_navigation(sites, browser, artifacts_dir):
    root = sites["minimal"]
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(file_url(root, "levels/assistant-2.html"))
    tab.emulate_media(media="print")
    for chrome in (".site-header", ".breadcrumbs", ".side", ".toc--inline", ".pager"):
        assert tab.locator(chrome).evaluate("el => getComputedStyle(el).display") == "none", chrome
    expect(tab.locator("h1")).to_be_visible()
    expect(tab.locator("#expected-competencies")).to_be_visible()
    for paper in ("Letter", "A4"):
        pdf = tab.pdf(format=paper)
        (artifacts_dir / f"site-level-print-{paper.lower()}.pdf").write_bytes(pdf)
        assert pdf.startswith(b"%PDF")
    context.close()


def test_dark_scheme_follows_the_system_setting(sites, browser):
    root = sites["minimal"]
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        tab = context.new_page()
        tab.goto(file_url(root, "index.html"))
        colours[scheme] = tab.evaluate("getComputedStyle(document.body).backgroundColor")
        context.close()
    assert colours["light"] == "rgb(255, 255, 255)"
    assert colours["dark"] != colours["light"]


def test_skip_link_moves_focus_to_the_main_content(sites, page: Page):
    page.goto(file_url(sites["minimal"], "levels/assistant-1.html"))
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_compare_shows_statements_and_experience_in_years(sites, page: Page):
    """Senior and Staff expect the same stage in code quality: Staff's own statement makes the row differ."""
    page.goto(file_url(sites["se"], "compare.html?a=senior-engineer&b=staff-engineer"))
    row = page.locator("table.compare-table tr", has_text="Code quality")
    expect(row).to_have_class(re.compile("differs"))
    expect(row.locator("td").nth(1)).to_contain_text("Sets the code quality bar for a group of teams")
    expect(page.locator("table.compare-table tr", has_text="Experience").locator("td").first).to_have_text("4 years")
    page.goto(file_url(sites["se"], "compare.html?a=engineer-2&b=senior-engineer--site-reliability"))
    expect(page.locator("table.compare-table tr", has_text="Incident response")).to_contain_text("only here")
    expect(page.locator("table.compare-table tr", has_text="Experience").locator("td").first).to_have_text("1.5 years")
