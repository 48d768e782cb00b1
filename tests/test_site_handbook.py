"""The handbook answering what people come with — in real headless Chromium, at desktop and phone sizes:
where are the forms, how do I get to the next level, where am I; search as you type; the level page,
the phone layout, the ladder diagram and print.

The handbooks are built once per session (conftest.py `sites`, HTML only); pages open from file://
unless the test is about the web server too.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from conftest import REPO
from playwright.sync_api import Page, expect

from ladderbuild.project import load_project
from ladderbuild.site import search

WIDTHS = {"phone": 375, "desktop": 1280}

# Words that break across two lines inside a table cell, as the reader sees them: "administratio / n".
# Hyphens, dashes and slashes are places a line may break, so they split words here too.
BROKEN_WORDS = """(selector) => {
  const broken = [];
  const shown = (cell) => {  // not hidden, nor visually hidden (a 1-pixel box, as stacked tables' headers are)
    for (let e = cell; e; e = e.parentElement) { if (e.getBoundingClientRect().width <= 1) return false; }
    return !!cell.offsetParent;
  };
  for (const cell of document.querySelectorAll(selector)) {
    if (!shown(cell)) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const re = /[^\\s\\-\\u2010-\\u2014\\/]+/g;
      let m;
      while ((m = re.exec(node.textContent))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


def file_url(root, path: str) -> str:
    return root.resolve().as_uri() + "/" + path


def open_page(browser, width: str = "desktop", **options) -> Page:
    context = browser.new_context(viewport={"width": WIDTHS.get(width, 1280) if isinstance(width, str) else width,
                                            "height": 900}, **options)
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("console", lambda msg: tab.errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    return tab


def close(tab: Page) -> None:
    assert tab.errors == [], tab.errors
    tab.context.close()


def open_menu_if_folded(tab: Page) -> None:
    button = tab.locator("#site-menu-button")
    if button.is_visible() and button.get_attribute("aria-expanded") == "false":
        button.click()


# --------------------------------------------------------------------------- 1. forms in reach


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_forms_page_by_who_and_when_in_the_navigation_and_near_the_top_of_each_level(sites, browser, width):
    root = sites["content"]
    tab = open_page(browser, width)
    tab.goto(file_url(root, "levels/ma-2.html"))
    # near the top of a level page: its forms, before what is new
    box = tab.locator(".level-forms")
    expect(box).to_contain_text("Annual performance evaluation")
    expect(box).to_contain_text("Promotion application packet")
    assert box.bounding_box()["y"] < tab.locator("#whats-new").bounding_box()["y"]
    assert box.bounding_box()["y"] < 2 * tab.viewport_size["height"]

    # in the navigation
    open_menu_if_folded(tab)
    tab.locator(".site-nav").get_by_role("link", name="Forms", exact=True).click()
    expect(tab).to_have_url(re.compile(r"/forms\.html$"))
    expect(tab.locator("h1")).to_have_text("Forms and packets")
    # by when in the review cycle ...
    moments = tab.locator("main h2").all_inner_texts()
    assert moments.index("When someone starts in a level") < moments.index("At the annual review") \
        < moments.index("When applying for another level") < moments.index("Review packets")
    # ... and by who fills it
    who = tab.locator("table.who-fills tbody tr")
    expect(who.filter(has_text="The manager")).to_contain_text("Annual performance evaluation")
    expect(who.filter(has_text="The employee")).to_contain_text("Self-assessment")
    expect(who.filter(has_text="A validator")).to_contain_text("Competency validation checklist")
    annual = tab.locator("#form-annual-evaluation")
    expect(annual).to_contain_text("Filled in by: The manager")
    expect(annual.locator(".pdfs")).to_contain_text("MA II")  # the form for each level
    expect(annual.locator(".pdfs")).to_contain_text("Nursing Pathway")
    ninety = tab.locator("#form-ninety-day-review .pdfs")
    expect(ninety).to_contain_text("MA I")
    expect(ninety).not_to_contain_text("MA II")  # made for MA I only
    packet = tab.locator("#packet-annual-review")
    assert packet.locator("ol.packet-forms li").all_inner_texts() == [
        "Self-assessment", "Annual performance evaluation", "Development plan"]
    close(tab)


def test_the_managers_guide_links_the_forms_it_talks_about(sites, browser):
    root = sites["content"]
    tab = open_page(browser)
    tab.goto(file_url(root, "pages/for-managers.html"))
    links = tab.locator("main a[href*='forms.html#']")
    targets = {href.split("#")[1] for href in (a.get_attribute("href") for a in links.all())}
    assert {"form-ninety-day-review", "form-annual-evaluation", "form-self-assessment", "form-development-plan",
            "form-competency-validation", "form-promotion-readiness", "packet-annual-review",
            "packet-promotion-application"} <= targets
    tab.locator("main a", has_text="90-day review form").click()
    expect(tab).to_have_url(re.compile(r"forms\.html#form-ninety-day-review$"))
    expect(tab.locator("#form-ninety-day-review h3")).to_be_in_viewport()
    close(tab)


# --------------------------------------------------------------------------- 7. search as you type

# Real queries and the page a reader wants first. Variant spellings and synonyms come from the
# framework's `synonyms` and its glossary.
FIRST_RESULTS = [
    ("immunization", "competencies/immunization-schedules.html"),
    ("immunisation", "competencies/immunization-schedules.html"),
    ("EKG", "competencies/ecg-acquisition.html"),
    ("ecg", "competencies/ecg-acquisition.html"),
    ("blood pressure", "competencies/vital-signs.html"),
    ("BP", "competencies/vital-signs.html"),
    ("phlebotomy", "competencies/venipuncture.html"),
    ("sterilisation", "competencies/instrument-reprocessing.html"),
    ("med rec", "competencies/medication-reconciliation.html"),
    ("hipaa", "competencies/privacy-confidentiality.html"),
    ("MA II", "levels/ma-2.html"),
    ("senior ma", "levels/ma-3.html"),
    ("annual evaluation", "forms.html#form-annual-evaluation"),
    ("90-day review", "forms.html#form-ninety-day-review"),
    ("promotion packet", "forms.html#packet-promotion-application"),
    ("peer feedback", "forms.html#form-peer-feedback"),
    ("how promotion works", "pages/how-promotion-works.html"),
    ("time in level", "glossary.html#term-time-in-level"),
    ("POCT", "glossary.html#term-poct"),
]


def test_real_queries_find_what_the_reader_wants_first(sites, browser):
    tab = open_page(browser)
    tab.goto(file_url(sites["content"], "search.html"))
    tab.wait_for_function("() => !!window.LadderbuildSearch")
    firsts = tab.evaluate("queries => queries.map(q => (LadderbuildSearch.find(q)[0] || {}).ref)",
                          [q for q, _ in FIRST_RESULTS])
    wrong = [f"{q!r}: {got} (wanted {want})" for (q, want), got in zip(FIRST_RESULTS, firsts) if got != want]
    assert not wrong, "\n".join(wrong)
    close(tab)


def test_the_browser_reads_queries_as_the_index_was_built(sites, browser):
    """Every word of the shipped handbook, as the index holds it (lunr.py) and as a query for it is read
    in the browser (lunr.js): the same term, or the query would miss the page."""
    root = sites["content"]
    script = (root / "search-index.js").read_text(encoding="utf-8")
    data = json.loads(script[script.index("= ") + 2:].rstrip().rstrip(";"))
    words = sorted({w for doc in data["docs"].values() for w in search.tokens(doc["title"] + " " + doc["text"])})
    words += ["day", "employed", "why", "sky", "(lpn/lvn)", "café", "it's"]
    tab = open_page(browser)
    tab.goto(file_url(root, "search.html"))
    tab.wait_for_function("() => !!window.LadderbuildSearch")
    in_browser = tab.evaluate("words => words.map(w => LadderbuildSearch.term(w))", words)
    differ = [(w, search.index_term(w), b) for w, b in zip(words, in_browser) if search.index_term(w) != b]
    assert len(words) > 1500 and not differ, differ[:20]
    close(tab)


@pytest.mark.parametrize("origin, width", [("file", "desktop"), ("http", "phone")])
def test_search_as_you_type_from_any_page(sites, site_server, browser, origin, width):
    root = sites["content"]
    base = file_url(root, "") if origin == "file" else f"{site_server}/content/"
    tab = open_page(browser, width)
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(base + "levels/ma-2.html")
    assert not any(url.endswith("search-index.js") for url in requests)  # loaded only when searching
    open_menu_if_folded(tab)
    field = tab.locator("#site-search-q")
    field.click()
    tab.keyboard.type("immunis")  # half a word, British spelling, no Enter
    panel = tab.locator("#site-search-panel")
    expect(panel).to_be_visible()
    first = panel.locator(".search-results li").first
    expect(first.locator("a")).to_have_text("Pediatric immunization schedules")
    expect(first.locator("mark").first).to_have_text(re.compile(r"^[Ii]mmuniz"))  # the passage, marked
    expect(tab.locator("#site-search-status")).to_contain_text("results for “immunis”")
    # from the keyboard: down into the results, and to the page
    tab.keyboard.press("ArrowDown")
    expect(first.locator("a")).to_be_focused()
    tab.keyboard.press("Escape")
    expect(field).to_be_focused()
    expect(panel).to_be_hidden()
    tab.keyboard.type("a")
    expect(panel).to_be_visible()
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Enter")
    expect(tab).to_have_url(base + "competencies/immunization-schedules.html")
    assert all(url.startswith(base) for url in requests), requests
    close(tab)


def test_search_page_shows_the_passage_that_matches(sites, browser):
    root = sites["content"]
    tab = open_page(browser)
    tab.goto(file_url(root, "search.html?q=blood+pressure"))
    items = tab.locator("#search-results li")
    expect(items.first.locator("a")).to_have_attribute("href", "competencies/vital-signs.html")
    for item in items.all()[:8]:  # every passage shown holds the words, marked
        marked = " ".join(item.locator("mark").all_inner_texts()).lower()
        assert "blood" in marked and "pressure" in marked, item.inner_text()
    # as you type, the address keeps the query
    tab.fill("#search-q", "")
    tab.locator("#search-q").press_sequentially("EKG")
    expect(items.first.locator("a")).to_have_attribute("href", "competencies/ecg-acquisition.html")
    expect(items.first.locator("mark").first).to_have_text(re.compile("ECG"))
    expect(tab).to_have_url(re.compile(r"search\.html\?q=EKG$"))
    close(tab)


# --------------------------------------------------------------------------- 2. compare


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_compare_shows_anchors_pairs_items_by_identity_and_can_show_only_the_differences(sites, browser, width):
    root = sites["content"]
    fw = load_project(REPO).framework
    tab = open_page(browser, width)
    tab.goto(file_url(root, "compare.html?a=ma-1&b=ma-2"))
    table = tab.locator("table.compare-table")
    # the anchor text of each level's stage, side by side
    vital = tab.locator("#row-vital-signs")
    anchors = fw.competency("vital-signs").anchors
    expect(vital.locator("td").nth(0)).to_contain_text(anchors["advanced-beginner"])
    expect(vital.locator("td").nth(1)).to_contain_text(anchors["competent"])
    # an indicator whose target moved is one row that changed; so is a credential that lost its deadline
    rooming = table.locator("tr", has=tab.locator("th", has_text="Complete rooming"))
    expect(rooming).to_have_count(1)
    expect(rooming.locator("th .tag")).to_have_text("Changed")
    expect(rooming.locator("td").nth(0).locator("mark")).to_have_text("target ≥ 95%")
    expect(rooming.locator("td").nth(1).locator("mark")).to_have_text("target ≥ 97%")
    credential = table.locator("tr", has=tab.locator("th", has_text="CMA (AAMA) or RMA (AMT)"))
    expect(credential).to_have_count(1)
    expect(credential.locator("td").nth(0)).to_contain_text("within 12 months")
    # only the differences
    rows = table.locator("tbody tr:not(:has(.compare-group))")
    total, differing = rows.count(), table.locator("tr.differs").count()
    assert 0 < differing < total
    tab.locator("label", has_text="Only the differences").click()
    expect(tab).to_have_url(re.compile(r"diff=1"))
    visible = [r for r in rows.all() if r.is_visible()]
    assert len(visible) == differing
    expect(table.locator("tr", has=tab.locator("th", has_text="Track"))).to_be_hidden()  # the same on both
    tab.reload()  # the switch is part of the address
    expect(tab.locator("#compare-only-differences")).to_be_checked()
    expect(table.locator("tr.same").first).to_be_hidden()
    # no word breaks in two, and nothing wider than the screen
    assert tab.evaluate(BROKEN_WORDS, "table.compare-table th, table.compare-table td") == []
    assert tab.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    close(tab)


# --------------------------------------------------------------------------- 3. next step


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_next_step_shows_what_the_move_asks(sites, browser, width):
    root = sites["content"]
    fw = load_project(REPO).framework
    tab = open_page(browser, width)
    tab.goto(file_url(root, "levels/ma-2.html#where-it-leads"))
    move = tab.locator("#where-it-leads ~ ul.paths > li", has=tab.locator("a", has_text="Senior Medical Assistant"))
    move.locator("a", has_text="what it takes").click()
    expect(tab).to_have_url(re.compile(r"next/ma-2/ma-3\.html$"))
    expect(tab.locator("h1")).to_have_text("From Medical Assistant II to Senior Medical Assistant (MA III)")
    row = tab.locator("table.growth tr", has=tab.locator("a", has_text="Vital signs and measurements"))
    anchors = fw.competency("vital-signs").anchors
    expect(row.locator("td").nth(0)).to_contain_text("Competent")
    expect(row.locator("td").nth(0)).to_contain_text(anchors["competent"])
    expect(row.locator("td").nth(1)).to_contain_text("Proficient")
    expect(row.locator("td").nth(1)).to_contain_text(anchors["proficient"])
    expect(row.locator(".growth__training a").first).to_have_attribute("href", re.compile(r"training\.html#training-"))
    for section in ("#requirements", "#gates", "#evidence", "#indicators"):
        expect(tab.locator(section)).to_be_attached()
    expect(tab.locator("#gates ~ ul li").first).to_be_visible()
    assert tab.evaluate(BROKEN_WORDS, "table.growth th, table.growth td") == []
    close(tab)


# --------------------------------------------------------------------------- 4. self-placement


def place_state(tab: Page) -> dict:
    return tab.evaluate("""() => Object.fromEntries(
        Array.from(document.querySelectorAll('fieldset[data-competency]'))
          .map(f => [f.dataset.competency, (f.querySelector('input:checked') || {}).value || '']))""")


@pytest.mark.parametrize("origin", ["file", "http"])
def test_self_placement_by_keyboard_alone_kept_in_the_address_and_in_the_browser(sites, site_server, browser, origin):
    root = sites["content"]
    base = file_url(root, "") if origin == "file" else f"{site_server}/content/"
    fw = load_project(REPO).framework
    tab = open_page(browser)
    tab.goto(base + "place.html")
    status = tab.locator("#place-status")
    expect(status).to_have_text("Rate a few competencies to see where you stand.")

    # Tab to the level, choose it with the arrow keys; Tab on to the first competency, rate with arrows.
    tab.locator("#place-level").focus()
    tab.keyboard.press("ArrowDown")  # the first level
    expect(tab.locator("#place-level")).to_have_value("ma-1")
    first, second = fw.competencies[0], fw.competencies[1]
    for _ in range(10):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.name") == f"rate.{first.id}":
            break
    else:
        raise AssertionError("Tab never reached the first competency")
    for _ in range(3):
        tab.keyboard.press("ArrowDown")  # Not rated → Novice → Advanced beginner → Competent
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.name") == f"rate.{second.id}"
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("ArrowDown")
    expect(status).to_contain_text("2 of 38 competencies rated.")
    assert place_state(tab)[first.id] == "competent" and place_state(tab)[second.id] == "advanced-beginner"
    # the gaps to the next level, with the training for each
    gap = tab.locator(".place-gap").first
    expect(gap.locator("h3")).to_contain_text("From Medical Assistant I to Medical Assistant II")
    expect(gap).to_contain_text(f"{second.name}")
    expect(gap.locator(".place-gap__training a").first).to_be_visible()

    # the address holds it: a new browser with no storage shows the same placement
    address = tab.url
    assert "at=ma-1" in address and f"{first.id}:competent" in address
    other = open_page(browser)
    other.goto(address)
    expect(other.locator("#place-level")).to_have_value("ma-1")
    assert place_state(other)[first.id] == "competent"
    close(other)
    # and this browser remembers it without the address
    tab.goto(base + "place.html")
    assert place_state(tab)[first.id] == "competent"
    expect(tab).to_have_url(re.compile(re.escape(f"{first.id}:competent")))

    # CSV for a spreadsheet
    with tab.expect_download() as download:
        tab.locator("#place-csv").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == ["Domain", "Competency", "Your stage", "Expected at Medical Assistant I"]
    assert [first.name, "Competent"] == rows[1][1:3]
    assert len(rows) == 1 + len(fw.competencies)
    close(tab)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_self_placement_finds_the_levels_met_and_prints_the_choices(sites, browser, width):
    root = sites["content"]
    fw = load_project(REPO).framework
    ma1 = fw.level("ma-1")
    ratings = ",".join(f"{c}:{s}" for c, s in ma1.competencies.items())
    tab = open_page(browser, width)
    tab.goto(file_url(root, f"place.html#at=ma-1&s={ratings}"))
    expect(tab.locator("#place-status")).to_contain_text("You meet every expectation of: Medical Assistant I.")
    expect(tab.locator(".place-levels tr.is-fit")).to_have_count(1)
    expect(tab.locator(".place-gap h3").first).to_contain_text("Medical Assistant II")
    assert tab.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    tab.emulate_media(media="print")
    some = next(iter(ma1.competencies))
    fieldset = tab.locator(f"fieldset[data-competency='{some}']")
    expect(fieldset.locator("input:checked + label")).to_be_visible()
    assert sum(label.is_visible() for label in fieldset.locator("label").all()) == 1
    expect(tab.locator(".place-controls")).to_be_hidden()
    close(tab)


# --------------------------------------------------------------------------- 5. level pages


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_level_page_whats_new_is_short_and_the_contents_follow_the_reader(sites, browser, width):
    root = sites["content"]
    tab = open_page(browser, width)
    tab.goto(file_url(root, "levels/ma-2.html"))
    groups = tab.locator(".change-groups > li")
    raised = groups.filter(has_text="competencies raised to Competent")
    expect(raised.locator("summary")).to_have_text(re.compile(r"^\d+ competencies raised to Competent$"))
    expect(raised.locator("ul.changes")).to_be_hidden()  # folded
    raised.locator("summary").click()
    expect(raised.locator("ul.changes li").first).to_be_visible()
    expect(groups.filter(has_text="More experience")).to_have_count(1)
    expect(tab.locator(".whats-new__apply + ul")).to_contain_text("eligibility gates")
    assert groups.count() < 15  # a few lines, not a wall of tags

    toc = tab.locator(".toc--side" if width == "desktop" else ".toc--inline")
    expect(toc).to_be_visible()
    tab.locator("#requirements").scroll_into_view_if_needed()
    tab.evaluate("document.getElementById('requirements').scrollIntoView()")
    expect(toc.locator("a[aria-current='location']")).to_have_text("Requirements")
    box = toc.bounding_box()
    assert 0 <= box["y"] < tab.viewport_size["height"], "the contents scrolled away"
    if width == "phone":
        expect(toc.locator(".toc__current")).to_have_text("Requirements")
    close(tab)


def test_the_expected_stage_never_overlaps_the_next_column(sites, browser):
    root = sites["content"]
    tab = open_page(browser, 1024)
    overlaps = []
    check = """() => Array.from(document.querySelectorAll('table.expectations tbody tr')).filter(tr => {
        const cell = tr.children[1], stage = cell.querySelector('.stage');
        return stage.getBoundingClientRect().right > cell.getBoundingClientRect().right + 0.5
            || cell.scrollWidth > cell.clientWidth + 1;
      }).map(tr => tr.children[0].innerText)"""
    for page in sorted((root / "levels").glob("*.html")):
        tab.goto(page.as_uri())
        for width in (1024, 1366, 1920):
            tab.set_viewport_size({"width": width, "height": 900})
            overlaps += [f"{page.name} at {width}px: {name}" for name in tab.evaluate(check)]
        tab.emulate_media(media="print")
        tab.set_viewport_size({"width": 700, "height": 900})  # a Letter page's width
        overlaps += [f"{page.name} printed: {name}" for name in tab.evaluate(check)]
        tab.emulate_media(media="screen")
    assert not overlaps, "\n".join(overlaps[:20])
    close(tab)


# --------------------------------------------------------------------------- 6. phones


def test_on_a_phone_a_menu_button_folds_the_header(sites, browser):
    root = sites["content"]
    tab = open_page(browser, "phone")
    tab.goto(file_url(root, "levels/ma-2.html"))
    header = tab.locator(".site-header")
    button = tab.locator("#site-menu-button")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(tab.locator(".site-nav")).to_be_hidden()
    assert header.bounding_box()["height"] < 90
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(tab.locator(".site-nav a", has_text="Place yourself")).to_be_visible()
    tab.keyboard.press("Escape")
    expect(tab.locator(".site-nav")).to_be_hidden()
    expect(button).to_be_focused()
    close(tab)
    # without script everything shows, and on a desktop there is no button
    plain = open_page(browser, "phone", java_script_enabled=False)
    plain.goto(file_url(root, "index.html"))
    expect(plain.locator(".site-nav").get_by_role("link", name="Forms", exact=True)).to_be_visible()
    expect(plain.locator("#site-menu-button")).to_be_hidden()
    close(plain)
    wide = open_page(browser, "desktop")
    wide.goto(file_url(root, "index.html"))
    expect(wide.locator("#site-menu-button")).to_be_hidden()
    expect(wide.locator(".site-nav").get_by_role("link", name="Forms", exact=True)).to_be_visible()
    close(wide)


def test_no_table_breaks_a_word_on_a_phone(sites, browser):
    root = sites["content"]
    tab = open_page(browser, 320)
    broken = []
    for path in ("levels/ma-2.html", "compare.html?a=lead-ma&b=patient-care-coordinator", "next/ma-2/lead-ma.html",
                 "forms.html", "matrix.html"):
        tab.goto(file_url(root, path))
        broken += [f"{path}: {word}" for word in tab.evaluate(BROKEN_WORDS, "main th, main td")]
    assert not broken, "\n".join(broken[:20])
    close(tab)


# --------------------------------------------------------------------------- 8. the ladder diagram


def test_ladder_lights_up_a_levels_moves_and_a_phone_gets_a_column_per_track(sites, browser):
    root = sites["content"]
    tab = open_page(browser)
    tab.goto(file_url(root, "index.html"))
    svg = tab.locator(".ladder__svg")
    tab.locator(".ladder__box[data-level='ma-3']").hover()
    expect(svg).to_have_class(re.compile(r"\bis-focused\b"))
    lit = tab.locator(".ladder__arrow.is-lit")
    assert lit.count() == tab.locator(".ladder__arrow[data-levels~='ma-3']").count() > 0
    assert all("ma-3" in a.get_attribute("data-levels").split() for a in lit.all())
    dimmed = tab.locator(".ladder__arrow:not(.is-lit)").first
    assert float(dimmed.evaluate("a => getComputedStyle(a).opacity")) < 0.5
    expect(tab.locator(".ladder__box[data-level='lead-ma']")).to_have_class(re.compile(r"\bis-lit\b"))
    tab.mouse.move(0, 0)
    expect(svg).not_to_have_class(re.compile(r"\bis-focused\b"))
    # the keyboard does the same
    tab.locator(".ladder__box[data-level='ma-1']").focus()
    expect(tab.locator(".ladder__arrow.is-lit")).to_have_count(1)
    close(tab)

    phone = open_page(browser, "phone")
    phone.goto(file_url(root, "index.html"))
    expect(phone.locator(".ladder")).to_be_hidden()
    columns = phone.locator(".ladder-track")
    fw = load_project(REPO).framework
    expect(columns).to_have_count(len([t for t in fw.tracks if fw.levels_in_track(t.id)]))
    clinical = columns.filter(has=phone.locator("h3", has_text="Clinical ladder"))
    expect(clinical.locator(".ladder-track__box").first).to_contain_text("Senior Medical Assistant")
    expect(clinical).to_contain_text("Lateral move")
    assert phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    close(phone)


# --------------------------------------------------------------------------- 9. print


def test_the_matrix_prints_every_level_on_landscape_pages(sites, browser):
    from pypdf import PdfReader

    root = sites["content"]
    fw = load_project(REPO).framework
    tab = open_page(browser)
    tab.goto(file_url(root, "matrix.html"))
    for paper in ("Letter", "A4"):
        # as the browser's print dialog does: the page's own size for the page (landscape)
        reader = PdfReader(io.BytesIO(tab.pdf(format=paper, prefer_css_page_size=True)))
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        missing = [lvl.label for lvl in fw.levels if lvl.label not in text]
        assert not missing, f"{paper}: levels missing from the printed matrix: {missing}"
        assert all(page.mediabox.width > page.mediabox.height for page in reader.pages), "not landscape"
        # each part repeats the competency column
        assert text.count(fw.competencies[0].name) >= 2
    close(tab)


def test_compare_and_next_step_print_without_their_controls(sites, browser):
    root = sites["content"]
    tab = open_page(browser)
    tab.goto(file_url(root, "compare.html?a=ma-2&b=ma-3"))
    tab.emulate_media(media="print")
    expect(tab.locator("#compare-form")).to_be_hidden()
    expect(tab.locator("#compare-title")).to_have_text("Medical Assistant II and Senior Medical Assistant (MA III)")
    expect(tab.locator("table.compare-table thead")).to_be_visible()
    assert tab.pdf(format="Letter").startswith(b"%PDF")
    tab.goto(file_url(root, "next/ma-2/ma-3.html"))
    tab.emulate_media(media="print")
    expect(tab.locator(".other-paths")).to_be_hidden()
    expect(tab.locator(".site-header")).to_be_hidden()
    expect(tab.locator("table.growth").first).to_be_visible()
    close(tab)
