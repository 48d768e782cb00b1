"""The fast tokeniser the glossary linker and the search extractor use reports what the standard
library's HTMLParser reports for the handbook's pages (it replaced it for speed: see htmlscan.py)."""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser

import pytest

from ladderbuild.site.htmlscan import scan


class _Recorder:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, tuple(attrs)))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data, offset=None):
        if self.events and self.events[-1][0] == "data" and offset is None:
            self.events[-1] = ("data", self.events[-1][1] + data)  # HTMLParser may deliver text in pieces
        else:
            self.events.append(("data", data))

    def handle_ref(self, text):  # scan(charrefs=False) reports each reference as written
        self.events.append(("ref", unescape(text)))


class _Reference(HTMLParser):
    def __init__(self, recorder: _Recorder, charrefs: bool) -> None:
        super().__init__(convert_charrefs=charrefs)
        self.recorder = recorder

    def handle_starttag(self, tag, attrs):
        self.recorder.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.recorder.handle_endtag(tag)

    def handle_data(self, data):
        self.recorder.handle_data(data)

    def handle_entityref(self, name):
        self.recorder.events.append(("ref", unescape(f"&{name};")))

    def handle_charref(self, name):
        self.recorder.events.append(("ref", unescape(f"&#{name};")))


def _events(html: str, charrefs: bool, reference: bool) -> list[tuple]:
    recorder = _Recorder()
    if reference:
        parser = _Reference(recorder, charrefs)
        parser.feed(html)
        parser.close()
    else:
        scan(html, recorder, charrefs=charrefs)
    return recorder.events


def _offsets_match_text(html: str) -> None:
    seen = []

    class Check(_Recorder):
        def handle_data(self, data, offset=None):
            seen.append(offset)
            assert html[offset:offset + len(data)] == data

    scan(html, Check(), charrefs=False)
    assert seen


PAGES = [
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>A &amp; B</title>'
    '<script src="x.js"></script><script type="application/json">{"a":"<b>"}</script></head>'
    '<body class="x"><!-- note --><main id="main" data-search-kind="Level">'
    '<h1>Medical &lt;Assistant&gt; &#8212; I</h1><p data-glossary>Uses BLS&nbsp;and <a href="a.html?x=1&amp;y=2">'
    'CPR</a>.<br>Next<br/>line</p><svg viewBox="0 0 1 1"><path d="M0 0"/><text x="1">Lab &gt; 2</text></svg>'
    "<input type='text' name=q disabled><td data-search-entry=\"Café &quot;x&quot;\">é</td></main></body></html>",
    "plain text with no tags",
    "<p>unclosed <b>bold",
]


@pytest.mark.parametrize("charrefs", [True, False])
@pytest.mark.parametrize("html", PAGES)
def test_scan_reports_what_htmlparser_reports(html, charrefs):
    assert _events(html, charrefs, reference=False) == _events(html, charrefs, reference=True)


def test_text_offsets_point_at_the_text_in_the_page():
    for html in PAGES:
        _offsets_match_text(html)


def test_real_handbook_pages_scan_like_htmlparser(sites):
    pages = sorted(sites["content"].rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        html = path.read_text(encoding="utf-8")
        for charrefs in (True, False):
            assert _events(html, charrefs, reference=False) == _events(html, charrefs, reference=True), path
        _offsets_match_text(html)


def test_attributes_are_parsed_only_where_asked():
    html = '<p class="a" data-glossary>x</p><a href="b">y</a>'
    recorder = _Recorder()
    scan(html, recorder, attrs_with="data-glossary")
    starts = [e for e in recorder.events if e[0] == "start"]
    assert starts == [("start", "p", (("class", "a"), ("data-glossary", None))), ("start", "a", ())]


@pytest.mark.parametrize("text", ["Vital-signs  check\u00a0list\tΑΣ ΟΔΟΣ", "  ", "健 康 管理 — MA-II", "İstanbul x"])
def test_search_words_are_lunrs_own(text):
    from lunr.tokenizer import Tokenizer

    from ladderbuild.site.search import tokens

    assert tokens(text) == [t.string for t in Tokenizer(text)]
