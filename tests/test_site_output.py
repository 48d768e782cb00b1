"""The built handbook as files: links, determinism, escaping, theme overrides, search index, glossary links."""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import FIXTURES, build_site
from helpers import edit

from ladderbuild import urls
from ladderbuild.project import load_project
from ladderbuild.site import diagram, glossary, search
from ladderbuild.site.fragments import Fragments
from ladderbuild.site.htmlscan import read_page
from ladderbuild.site.pages import render_site

# --------------------------------------------------------------------------- a small HTML reader


class PageFacts(HTMLParser):
    """Ids, links and resource references of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []  # <a href>
        self.resources: list[str] = []  # <script src>, <link href>, <img src>
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "a" and a.get("href") is not None:
            self.links.append(a["href"])
        if tag in ("script", "img", "source") and a.get("src"):
            self.resources.append(a["src"])
        if tag == "link" and a.get("href"):
            self.resources.append(a["href"])

    handle_startendtag = handle_starttag


def facts(path: Path) -> PageFacts:
    parser = PageFacts()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def html_pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


# --------------------------------------------------------------------------- links


def broken_links(root: Path) -> tuple[list[str], int]:
    """Every internal link and anchor of the HTML pages under `root` that does not resolve, and how many
    links were checked. Links must be relative to the handbook."""
    pages = html_pages(root)
    ids = {p.relative_to(root).as_posix(): facts(p).ids for p in pages}
    broken = []
    checked = 0
    for page in pages:
        rel = page.relative_to(root).as_posix()
        found = facts(page)
        duplicates = {i for i in found.ids if found.ids.count(i) > 1}
        assert not duplicates, f"{rel}: duplicate ids {sorted(duplicates)}"
        for href in found.links + found.resources:
            parts = urlsplit(href)
            if parts.scheme in ("mailto", "tel"):
                continue
            assert not parts.scheme and not parts.netloc and not href.startswith("/"), \
                f"{rel}: link {href!r} is not relative to the handbook"
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(parts.path))) \
                if parts.path else rel
            checked += 1
            if not (root / target).is_file():
                broken.append(f"{rel}: {href} → missing file {target}")
            elif parts.fragment and parts.fragment not in ids.get(target, []):
                broken.append(f"{rel}: {href} → no id {parts.fragment!r} in {target}")
    return broken, checked


@pytest.mark.parametrize("name", ["minimal", "content", "zh", "se"])
def test_every_internal_link_and_anchor_resolves(sites, name):
    root = sites[name]
    assert len(html_pages(root)) >= 10
    broken, checked = broken_links(root)
    assert not broken, "\n".join(broken)
    assert checked > 50


def test_forms_link_only_to_pdfs_that_exist(tmp_path):
    """A level lists its forms; only the ones in the build's PDF set are links."""
    fw = load_project(FIXTURES / "minimal").framework
    pdfs = {urls.form_pdf("annual", "assistant-1")}
    render_site(fw, tmp_path, pdfs=pdfs)
    page = (tmp_path / urls.level("assistant-1")).read_text(encoding="utf-8")
    assert 'href="../forms/annual--assistant-1.pdf"' in page
    assert "self--assistant-1.pdf" not in page
    assert "Self-assessment" in page  # still named, just not linked


def test_the_forms_page_links_each_forms_pdf_for_each_level(tmp_path):
    fw = load_project(FIXTURES / "minimal").framework
    pdfs = {urls.form_pdf("annual", lvl.id) for lvl in fw.levels} | {urls.packet_pdf("annual-review", "assistant-1")}
    render_site(fw, tmp_path, pdfs=pdfs)
    page = (tmp_path / urls.FORMS).read_text(encoding="utf-8")
    for lvl in fw.levels:
        assert f'href="forms/annual--{lvl.id}.pdf" download>{lvl.label}</a>' in page
    assert 'id="form-self"' in page and "self--assistant-1.pdf" not in page  # named, not linked: not built
    assert 'href="packets/annual-review--assistant-1.pdf"' in page
    assert "The PDFs are not part of this edition" not in page
    level = (tmp_path / urls.level("assistant-1")).read_text(encoding="utf-8")
    top = level[:level.index('id="whats-new"')] if 'id="whats-new"' in level else level[:level.index('id="about"')]
    assert 'href="../forms/annual--assistant-1.pdf"' in top  # near the top of the level page


def test_a_link_to_a_form_or_packet_file_leads_to_its_entry_on_the_forms_page(project_copy, tmp_path):
    assert urls.for_content_file("forms/annual.yaml") == "forms.html#form-annual"
    assert urls.for_content_file("packets/annual-review.yaml") == "forms.html#packet-annual-review"
    project = project_copy()
    page = project / "content/pages/promotion.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nUse [the annual form](../forms/annual.yaml) and "
                    "[its packet](../packets/annual-review.yaml).\n", encoding="utf-8")
    assert not load_project(project).errors
    html = (build_site(project, tmp_path / "out") / urls.page("promotion")).read_text(encoding="utf-8")
    assert '<a href="../forms.html#form-annual">the annual form</a>' in html
    assert '<a href="../forms.html#packet-annual-review">its packet</a>' in html


# --------------------------------------------------------------------------- determinism and safety


def test_rebuilding_gives_byte_identical_output(sites, tmp_path):
    again = build_site(FIXTURES / "minimal", tmp_path / "again")
    first = {p.relative_to(sites["minimal"]).as_posix(): p.read_bytes()
             for p in sites["minimal"].rglob("*") if p.is_file()}
    second = {p.relative_to(again).as_posix(): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert not different, f"files differ between two builds: {different}"


def test_raw_html_and_scripts_in_content_come_out_escaped(project_copy, tmp_path):
    project = project_copy()
    edit(project, "levels/assistant-1.md", "The first step on the ladder.",
         'The first step <script>alert("body")</script> <img src=x onerror="alert(1)">.')
    edit(project, "levels/assistant-1.md", "summary: Entry level.", "summary: Entry <b onclick=x>level</b></script>")
    edit(project, "competencies/vital-signs.yaml", "Measures vital signs with a checklist and supervision.",
         "Measures <script>alert('x')</script> vital signs.")
    out = build_site(project, tmp_path / "out")
    level = (out / urls.level("assistant-1")).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(“body”)&lt;/script&gt;" in level  # typographic quotes: it is text
    assert "&lt;img src=x onerror" in level
    assert "Entry &lt;b onclick=x&gt;level&lt;/b&gt;&lt;/script&gt;" in level
    assert "&lt;script&gt;alert(‘x’)&lt;/script&gt;" in level  # an anchor is Markdown too
    for page in html_pages(out):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text and "<b onclick" not in text, page
        # Every script on every page is an external file or a JSON data block (CSP `script-src 'self'`).
        for tag, attrs in facts(page).tags:
            if tag == "script":
                assert attrs.get("src") or attrs.get("type") == "application/json", (page, attrs)
            assert not any(name.startswith("on") for name in attrs), (page, tag, attrs)
    index = (out / urls.SEARCH_INDEX).read_text(encoding="utf-8")
    assert "</script" not in index


def test_a_project_template_overrides_the_default_theme(project_copy, tmp_path):
    project = project_copy()
    (project / "templates" / "site" / "static").mkdir(parents=True)
    (project / "templates" / "site" / "static" / "style.css").write_text("/* the project's own style */\n")
    (project / "templates" / "site" / "glossary.html").write_text(
        '{% extends "site/base.html" %}{% block title %}{{ _("Words") }}{% endblock %}'
        "{% block content %}<h1>{{ _('Our words') }}</h1>{% endblock %}\n")
    out = build_site(project, tmp_path / "out")
    assert (out / "static" / "style.css").read_text() == "/* the project's own style */\n"
    assert (out / "static" / "search.js").is_file()  # the rest of the default theme is still there
    page = (out / urls.GLOSSARY).read_text(encoding="utf-8")
    assert "<h1>Our words</h1>" in page
    assert "<title>Words · Example Clinic Career Ladder</title>" in page
    assert "Our words" not in (out / urls.HOME).read_text(encoding="utf-8")


def test_each_markdown_fragment_is_rendered_once(monkeypatch, tmp_path):
    from ladderbuild.site import fragments as fragments_module

    calls: list[str] = []
    real = fragments_module.markdown.render

    def counting(text, *args, **kwargs):
        calls.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(fragments_module.markdown, "render", counting)
    fw = load_project(FIXTURES / "minimal").framework
    frags = Fragments()
    render_site(fw, tmp_path, fragments=frags)
    assert calls, "nothing was rendered through markdown"
    assert len(calls) == len(set(calls)), "a fragment was rendered more than once"
    assert frags.renders == len(calls)
    # The level body shows on its level page and nowhere else needs re-rendering.
    assert fw.level("assistant-1").body in calls


def test_links_inside_fragments_are_relative_to_the_page_they_land_on(sites):
    root = sites["minimal"]
    level = (root / urls.level("assistant-1")).read_text(encoding="utf-8")
    assert '<a href="../pages/promotion.html">how promotion works</a>' in level
    page = (root / urls.page("promotion")).read_text(encoding="utf-8")
    assert '<a href="../levels/assistant-1.html">the first level</a>' in page
    assert "\ue000" not in "".join(p.read_text(encoding="utf-8") for p in html_pages(root))


@pytest.mark.parametrize("name", ["minimal", "content", "zh", "se"])
def test_pages_make_no_outside_requests_and_use_no_fonts_or_cdn(sites, name):
    root = sites[name]
    for path in list(root.rglob("*.html")) + list(root.rglob("*.css")):
        text = path.read_text(encoding="utf-8")
        assert "@font-face" not in text and "@import" not in text, path
        assert not re.search(r'(src|href)="(https?:)?//', text), path
        assert not re.search(r"url\((?!#)", text), path  # no CSS url() that would fetch


# --------------------------------------------------------------------------- home and level page facts


def test_home_draws_the_ladder_as_accessible_inline_svg(sites):
    fw = load_project(FIXTURES / "minimal").framework
    home = (sites["minimal"] / urls.HOME).read_text(encoding="utf-8")
    svg = home[home.index("<svg class=\"ladder__svg\""):home.index("</svg>", home.index("ladder__svg"))]
    assert '<title id="ladder-title">' in svg and 'aria-labelledby="ladder-title ladder-desc"' in svg
    for lvl in fw.levels:
        assert f'href="{urls.level(lvl.id)}"' in svg, lvl.id
    assert svg.count('class="ladder__arrow ladder__arrow--promotion"') == 2
    # The text alternative lists every path.
    paths = home[home.index('id="ladder-paths"'):]
    assert "Assistant I</a> → <a href=\"levels/assistant-2.html\">Assistant II</a>" in paths
    assert "Assistant II</a> → <a href=\"levels/lead.html\">Lead Assistant</a>" in paths


def test_ladder_rows_put_a_promotion_above_its_source():
    fw = load_project(FIXTURES / "minimal").framework
    rows = diagram.rows(fw)
    assert rows["assistant-1"] < rows["assistant-2"] < rows["lead"]
    ladder = diagram.layout(fw)
    y = {b.level.id: b.y for b in ladder.boxes}
    assert y["lead"] < y["assistant-2"] < y["assistant-1"]  # higher is more senior


def test_label_wrapping_fits_boxes():
    assert diagram.wrap("Medical Assistant III Clinical Specialist Senior Lead") == (
        "Medical Assistant III", "Clinical Specialist …")
    assert diagram.wrap("Short") == ("Short",)
    assert all(len(line) <= diagram.CHARS_PER_LINE for line in diagram.wrap("x" * 80))
    assert diagram.wrap("高级健康管理师（慢病管理方向）专家") == ("高级健康管理师（慢病管", "理方向）专家")


def test_level_page_shows_what_is_new_and_everything_required(sites):
    page = (sites["minimal"] / urls.level("assistant-2")).read_text(encoding="utf-8")
    new = page[page.index('id="whats-new"'):page.index("</section>", page.index('id="whats-new"'))]
    # grouped, one line a kind of change, the items folded under it
    assert "<summary>1 competency raised to Competent</summary>" in new
    assert "Vital signs</a>: Novice → <strong>Competent</strong>" in new
    assert "<summary>1 new responsibility</summary>" in new and "Orients new staff" in new
    assert "<summary>1 new credential requirement</summary>" in new and "CMA (AAMA)" in new
    assert "Rooms patients" not in new  # not new: inherited from the level below
    # expected proficiency with the anchor text
    assert "Measures vital signs independently and flags abnormal values." in page
    # requirements, eligibility, evidence points with caps, KPIs with numerator/denominator/target
    assert "within 12 months of hire or promotion" in page and "renews every 60 months" in page
    assert "At least 12 months as Assistant I" in page
    assert "A last overall rating of at least 3 (Meets)" in page
    assert "No corrective action in the last 12 months" in page
    assert 'href="../training.html#training-ehr-basics"' in page
    assert "At least 10 points, from at least 2 categories." in page
    assert '<td data-label="Most points counted">6</td>' in page
    assert "Visits with complete intake" in page and "All visits" in page and "≥ 95%" in page
    assert 'href="lead.html">Lead Assistant</a>' in page  # where it leads
    assert "compare.html?a=assistant-2&amp;b=lead" in page
    # where you are: breadcrumbs (home › track › level) and the level navigation
    crumbs = page[page.index('aria-label="Breadcrumb"'):page.index("</nav>", page.index('aria-label="Breadcrumb"'))]
    assert [c for c in re.findall(r">([^<>]+)</(?:a|span)>", crumbs)] == ["Home", "Clinical", "Assistant II"]
    assert '<a href="assistant-2.html" aria-current="page">Assistant II</a>' in page
    assert '<h2 id="requirements"><a class="heading-link" href="#requirements">' in page


def test_glossary_terms_are_linked_in_level_and_competency_text_once_per_page(project_copy, tmp_path):
    project = project_copy()
    edit(project, "levels/assistant-1.md", "The first step on the ladder.",
         "The first step on the ladder. Each anchor is a rubric; another anchor here. `anchor` in code.")
    edit(project, "levels/assistant-1.md", "  - Rooms patients", "  - Rooms patients\n  - Writes the Anchor text")
    out = build_site(project, tmp_path / "out")
    page = (out / urls.level("assistant-1")).read_text(encoding="utf-8")
    assert page.count('class="term"') == 1
    assert 'Each <a class="term" href="../glossary.html#term-anchor" title="Anchor">anchor</a> is a rubric' in page
    assert "<code>anchor</code>" in page
    assert "Writes the Anchor text" in page  # second occurrence on the page stays plain


# --------------------------------------------------------------------------- search index


def test_search_index_finds_levels_competencies_and_glossary_entries(sites):
    from lunr.index import Index

    script = (sites["minimal"] / urls.SEARCH_INDEX).read_text(encoding="utf-8")
    data = json.loads(script[script.index("= ") + 2:].rstrip().rstrip(";"))
    index = Index.load(data["index"])
    refs = [r["ref"] for r in index.search("vital")]
    assert "competencies/vital-signs.html" in refs
    assert "training.html#training-vitals-lab" in refs
    assert [r["ref"] for r in index.search("rubric")] == ["glossary.html#term-anchor"] or \
        "glossary.html#term-anchor" in [r["ref"] for r in index.search("anchor")]
    assert data["docs"]["levels/assistant-2.html"]["title"] == "Assistant II"
    assert data["docs"]["levels/assistant-2.html"]["kind"] == "Level"
    assert not any(ref.startswith(("search.html", "404.html")) for ref in data["docs"])


@pytest.mark.parametrize("name", ["content", "zh"])
def test_the_prepared_index_is_the_one_lunr_builds_itself(sites, name):
    """The fast builder (each distinct word through lunr's pipeline once) writes, key for key and in
    the same order, the index lunr.py's stock builder writes from the same pages."""
    site = sites[name]
    docs = [doc for page in sorted(site.rglob("*.html"))
            for doc in read_page(page.read_text(encoding="utf-8"), page.relative_to(site).as_posix()).documents]
    assert len(docs) > 20
    fast, stock = search.build_index(docs), search.build_index(docs, stock=True)
    assert json.dumps(fast) == json.dumps(stock)
    # The same when the terms were made beforehand, as the page workers make them.
    assert json.dumps(search.build_index(search.prepare(docs))) == json.dumps(stock)
    assert fast["index"]["invertedIndex"] and fast["index"]["pipeline"] == ["stemmer"]


def test_cjk_text_is_indexed_as_overlapping_bigrams():
    """随访 (follow-up) matches the page that has the word, not one that merely uses both characters."""
    docs = [search.Document("a.html", "健康管理", "Level", ["慢病随访管理。"]),
            search.Document("b.html", "管理员", "Page", ["随时访问"])]
    assert search.for_index("慢病随访管理。") == " 慢病 病随 随访 访管 管理  "
    from lunr.index import Index

    index = Index.load(search.build_index(docs)["index"])
    assert [r["ref"] for r in index.search("随访")] == ["a.html"]
    assert sorted(r["ref"] for r in index.search("管理")) == ["a.html", "b.html"]
    assert sorted(r["ref"] for r in index.search("随*")) == ["a.html", "b.html"]  # one character: a prefix


def test_ladder_draws_lateral_and_bridge_paths_without_going_round_in_circles(project_copy, tmp_path):
    project = project_copy()
    edit(project, "levels/lead.md", "summary: Leads the team.",
         "summary: Leads the team.\npaths:\n  - to: assistant-2\n    kind: lateral\n    criteria: [Wants to return to clinic]")
    edit(project, "levels/assistant-1.md", "paths:\n  - to: assistant-2",
         "paths:\n  - to: assistant-2\n  - to: lead\n    kind: bridge")
    fw = load_project(project).framework
    rows = diagram.rows(fw)
    assert rows["assistant-1"] < rows["assistant-2"] < rows["lead"]  # the lateral move back down cannot win
    out = build_site(project, tmp_path / "out")
    home = (out / urls.HOME).read_text(encoding="utf-8")
    assert home.count("ladder__arrow--lateral") == 2  # the arrow and its legend entry
    assert home.count("ladder__arrow--bridge") == 2
    assert ">Lateral move</span>" in home and ">Bridge</span>" in home
    level = (out / urls.level("lead")).read_text(encoding="utf-8")
    assert "Wants to return to clinic" in level


def test_linked_images_and_attachments_in_assets_are_published(project_copy, tmp_path, browser):
    import base64

    project = project_copy()
    assets = project / "content/assets"
    assets.mkdir()
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==")
    (assets / "ladder.png").write_bytes(png)
    (assets / "policy.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (assets / ".notes.txt").write_text("private", encoding="utf-8")
    (assets / "unlinked.csv").write_text("E1,Somebody\n", encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the handbook", encoding="utf-8")
    (assets / "secret.txt").symlink_to(outside)
    page = project / "content/pages/promotion.md"
    page.write_text(page.read_text(encoding="utf-8")
                    + "\n![The ladder](../assets/ladder.png) and [the policy](../assets/policy.pdf).\n",
                    encoding="utf-8")
    output = build_site(project, tmp_path / "site")
    assert (output / "assets/ladder.png").read_bytes() == png
    assert (output / "assets/policy.pdf").is_file()
    published = sorted(p.name for p in (output / "assets").iterdir())
    assert published == ["ladder.png", "policy.pdf"]  # linked and inside content/; nothing else
    tab = browser.new_page()
    tab.goto((output / urls.page("promotion")).as_uri())
    image = tab.locator("img[alt='The ladder']")
    assert image.get_attribute("src") == "../assets/ladder.png"
    assert image.evaluate("img => img.complete && img.naturalWidth") == 2
    assert tab.locator("a", has_text="the policy").get_attribute("href") == "../assets/policy.pdf"
    tab.close()


@pytest.mark.parametrize("target, page, expected", [
    ("competencies/a.html", "levels/b.html", "../competencies/a.html"),
    ("levels/c.html#why", "levels/b.html", "c.html#why"),
    ("index.html", "index.html", "index.html"),
    ("static/site.css", "levels/b.html", "../static/site.css"),
    ("levels/b.html", "index.html", "levels/b.html"),
    ("#top", "levels/b.html", "b.html#top"),
    ("", "levels/b.html", "b.html"),
])
def test_relative_links(target, page, expected):
    assert urls.relative(target, page) == expected


def test_pages_are_forked_out_only_when_it_is_safe_and_pays():
    import threading

    from ladderbuild.site import page_workers

    assert page_workers(2, 10) == 1  # a small site: starting workers costs more than it saves
    assert page_workers(1, 500) == 1
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert page_workers(4, 500) == 1  # another thread (as in `serve`): never fork
    finally:
        stop.set()
        other.join()
