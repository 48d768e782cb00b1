"""The fast page reader (htmlscan.read_page) finds the glossary runs and the search documents that the
plain rules find, driven by the standard library's HTMLParser (page_oracle.py): on hand-written edge
cases, on every page of the shipped handbooks, and on generated pages."""

from __future__ import annotations

import page_oracle
import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ladderbuild import urls
from ladderbuild.project import load_project
from ladderbuild.site import glossary, pages
from ladderbuild.site.fragments import Fragments
from ladderbuild.site.htmlscan import read_page
from ladderbuild.theme import make_environment


def _read(html: str, page: str = "p.html"):
    text = read_page(html, page)
    return text.runs, [(d.ref, d.title, d.kind, d.text, d.headings) for d in text.documents]


def _plain(html: str, page: str = "p.html"):
    runs, docs = page_oracle.read_page(html, page)
    return runs, [(d.ref, d.title, d.kind, d.text, d.headings) for d in docs]


PAGES = [
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>A &amp; B</title>'
    '<script src="x.js"></script><script type="application/json">{"a":"<b>", "c": "</p>"}</script></head>'
    '<body class="x"><!-- note <p data-glossary>not a tag</p> --><main id="main" data-search-kind="Level">'
    '<h1>Medical &lt;Assistant&gt; &#8212; <em>I</em></h1><p data-glossary>Uses BLS&nbsp;and <a href="a.html?x=1&amp;y=2">'
    'CPR</a>.<br>Next<br/>line</p><svg viewBox="0 0 1 1"><path d="M0 0"/><text x="1">Lab &gt; 2</text></svg>'
    "<input type='text' name=q disabled><td data-search-entry=\"Café &quot;x&quot;\" id=c>é</td></main></body></html>",
    "plain text with no tags",
    "<p>unclosed <b>bold",
    # an entry inside an entry, a skipped part inside an entry, an entry inside a skipped part
    '<main data-search-kind="Glossary"><h1>Terms</h1><div id="a" data-search-entry="A">Alpha <span id="b" '
    'data-search-entry="B" data-search-kind="Other">Beta</span> after<nav data-search-skip>menu</nav></div>'
    '<div data-search-skip><p id="c" data-search-entry="C">hidden</p></div>tail</main>',
    # a heading with a skipped part and inline tags; a region inside a blocked element; an unclosed region
    '<main><h1>Care <span data-search-skip>x</span>plan<br>s</h1><a href="x"><span data-glossary>no</span></a>'
    '<h2 data-glossary>BLS</h2><div data-glossary>one <code>two</code> three&amp;four &bogus five<p>six',
    # text ending a page, a self-closing region, tags in capitals, a style element
    '<MAIN><P DATA-GLOSSARY>Upper</P><div data-glossary/><style>p>a{}</style>last words',
    "<main><p>a</p></main><main><h1>second</h1>b</main>",
    # subheadings: of the page, of an entry, with inline tags and a skipped part, in a skipped part
    '<main><h1>T</h1><h2 id="x"><a href="#x">About <em>it</em></a></h2>p<div id="e" data-search-entry="E">'
    '<h3>Entry <span data-search-skip>no</span>head</h3>q</div><nav data-search-skip><h2>Menu</h2></nav><h4></h4></main>',
]


@pytest.mark.parametrize("html", PAGES)
def test_reads_hand_written_pages_as_the_plain_rules_do(html):
    assert _read(html) == _plain(html)


def test_runs_point_at_text_and_documents_carry_their_text():
    runs, docs = _read(PAGES[0])
    assert [PAGES[0][s:e] for s, e in runs] == ["Uses BLS", "and ", ".", "Next", "line"]
    assert docs == [("p.html", "Medical <Assistant> — I", "Level",
                     "Medical <Assistant> — I Uses BLS and CPR. Next line", []),
                    ("p.html#c", 'Café "x"', "Level", "é", [])]
    _runs, docs = _read(PAGES[3])
    assert [d[0] for d in docs] == ["p.html", "p.html#a", "p.html#b"]
    assert docs[0][3] == "Terms tail" and docs[1][3] == "Alpha after" and docs[2][2] == "Other"
    _runs, docs = _read(PAGES[-1])
    assert [(d[0], d[4]) for d in docs] == [("p.html", ["About it"]), ("p.html#e", ["Entry head"])]


def _rendered_pages(name: str):
    root = FIXTURES.parent.parent / ("content" if name == "content" else "examples/health-manager-zh")
    project = load_project(root)
    fw = project.framework
    env = make_environment(project.templates_dir, fw.meta.locale)
    for spec in pages.plan(fw, Fragments(), set()):
        yield spec.path, pages.render_html(env, fw, spec), pages.glossary_terms(fw, spec.path)


@pytest.mark.parametrize("name", ["content", "zh"])
def test_reads_every_page_of_the_shipped_handbooks_as_the_plain_rules_do(name):
    """On the pages as rendered (before linking), and as published (linked): the links wrap words in
    inline elements, so the search text is the same before and after."""
    linked_somewhere = 0
    for path, html, terms in _rendered_pages(name):
        assert _read(html, path) == _plain(html, path), path
        linked, docs = pages.finish_page(html, path, terms)
        linked_somewhere += linked != html
        assert _read(linked, path)[1] == _plain(linked, path)[1] == [(d.ref, d.title, d.kind, d.text, d.headings) for d in docs]
    assert linked_somewhere > 10


def test_published_pages_read_as_the_plain_rules_do(sites):
    for page in sorted(sites["content"].rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        path = page.relative_to(sites["content"]).as_posix()
        assert _read(html, path) == _plain(html, path), path


# Generated pages: well-formed trees of the elements and attributes the reader cares about, in a page
# with one <main> (or none), as every handbook page has.
_TAGS = ["p", "div", "span", "a", "code", "h1", "h2", "td", "li", "em", "nav", "svg", "section", "label"]
_ATTRS = ["", " data-glossary", ' data-search-skip', ' id="e{n}" data-search-entry="Entry {n}"',
          ' id="k{n}" data-search-entry="" data-search-kind="Kind"', ' class="x" data-search-kind="Page"']
_WORDS = ["BLS", "care plan", "a&amp;b", "&lt;", "&nbsp;", "&#8212;", "  ", "\n", "word", "健康", "&bogus"]


@st.composite
def _tree(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 3 else 0))):
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(_WORDS)))
            continue
        choice = draw(st.integers(0, 9))
        if choice == 0:
            parts.append(draw(st.sampled_from([
                "<br>", "<br/>", "<BR>", "<img alt=x>", "<!-- c <p> -->", "<path d='M0'/>",
                "<script>if (a<b && c>d) { x = '</p>'; }</script>", "<style>p>a{}</style>",
                '<span title="a > b" class=x>t</span>', "<EM DATA-GLOSSARY>BLS</EM>"])))
            continue
        tag = draw(st.sampled_from(_TAGS))
        attrs = draw(st.sampled_from(_ATTRS)).format(n=len(parts) + 10 * depth)
        parts.append(f"<{tag}{attrs}>{draw(_tree(depth + 1))}</{tag}>")
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=_tree(), page=st.sampled_from([
    "{}", '<html><body><nav>x</nav><main data-search-kind="Level">{}</main></body></html>',
    '<div data-glossary><p>BLS</p><main>{}</main>after</div>']))
def test_reads_generated_pages_as_the_plain_rules_do(body, page):
    html = page.format(body)
    assert _read(html) == _plain(html)


def test_glossary_linker_skips_links_code_and_headings():
    terms = [glossary.Term("BLS", "g.html#bls", "BLS"), glossary.Term("care plan", "g.html#cp", "Care plan")]
    html = ('<h2 data-glossary>BLS</h2><div data-glossary><a href="x">BLS</a> <code>BLS</code>'
            "<p>Holds bls and BLS; a Care Plan.</p></div><p>BLS outside</p>")
    out, _docs = pages.finish_page(html, "p.html", terms)
    assert out.startswith('<h2 data-glossary>BLS</h2><div data-glossary><a href="x">BLS</a> <code>BLS</code>')
    assert '<p>Holds bls and <a class="term" href="g.html#bls" title="BLS">BLS</a>; a ' \
           '<a class="term" href="g.html#cp" title="Care plan">Care Plan</a>.</p>' in out
    assert out.endswith("<p>BLS outside</p>")
    assert pages.finish_page("<p data-glossary>BLSX</p>", "p.html", terms)[0] == "<p data-glossary>BLSX</p>"


def test_search_documents_skip_navigation_and_split_entries():
    html = ('<nav>Nav words</nav><main data-search-kind="Glossary"><h1>Glossary</h1>'
            '<nav data-search-skip>toc words</nav><div id="term-x" data-search-entry="Term X">Means x.</div></main>')
    assert _read(html, "glossary.html")[1] == [
        ("glossary.html", "Glossary", "Glossary", "Glossary", []),
        ("glossary.html#term-x", "Term X", "Glossary", "Means x.", [])]


def test_search_text_joins_inline_elements_and_splits_blocks():
    from ladderbuild.site import search

    html = ('<html><body><nav>Menu</nav><main data-search-kind="Page"><h1>Renewal</h1>'
            '<p>Hold <strong>BLS</strong>. Renew it <a href="x.html">every 2 years</a>.</p>'
            '<ul><li>one</li><li>two</li></ul><p>健康<strong>档案</strong>完整率</p></main></body></html>')
    [doc] = read_page(html, "p.html").documents
    assert doc.title == "Renewal"
    assert doc.text == "Renewal Hold BLS. Renew it every 2 years. one two 健康档案完整率"
    assert "康档" in search.for_index(doc.text)  # the Chinese word is not cut where <strong> begins


@pytest.mark.parametrize("text", ["Vital-signs  check\u00a0list\tΑΣ ΟΔΟΣ", "  ", "健 康 管理 — MA-II", "İstanbul x"])
def test_search_words_are_lunrs_own(text):
    from lunr.tokenizer import Tokenizer

    from ladderbuild.site.search import tokens

    assert tokens(text) == [t.string for t in Tokenizer(text)]


_SPELLINGS = ["care plan", "care", "plan", "BLS", "Medical Assistant", "assistant", "CPR", "健康管理", "K-lab"]
_TERMS = [glossary.Term(text, f"g.html#{i % 6}", text.title()) for i, text in enumerate(_SPELLINGS)]


def _link_every_run(html: str, runs, terms) -> str:
    """Linking the plain way: every run against the pattern of every spelling."""
    ordered = sorted(terms, key=lambda t: (-len(t.text), t.text))
    pattern, linked, out, position = glossary.term_pattern(terms), set(), [], 0
    for start, end in runs:
        out += [html[position:start], glossary._link_run(html[start:end], pattern, ordered, linked)]
        position = end
    return "".join(out) + html[position:]


@settings(max_examples=400, deadline=None)
@given(cells=st.lists(st.lists(st.sampled_from(
    ["care plans", "Care Plan", "care", "plan", "bls", "BLS", "BLSX", "medical assistants", "Medical Assistant",
     "CPR", "健康管理", "k-lab", "\u212a-lab", "the", ",", " "]), max_size=6), max_size=8),
    spellings=st.lists(st.sampled_from(_TERMS), min_size=1, max_size=6, unique=True))
def test_linking_only_the_spellings_a_run_holds_links_what_every_spelling_would(cells, spellings):
    html = "".join(f"<td data-glossary>{' '.join(words)}</td><td>care</td>" for words in cells)
    runs = read_page(html, "p.html").runs
    assert glossary.link_runs(html, runs, spellings) == _link_every_run(html, runs, spellings)
