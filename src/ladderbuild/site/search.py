"""Full-text search without a server: a lunr index built now, loaded later by a plain <script>.

Pagefind and friends fetch their index, which browsers refuse from file://. A
lunr index built with lunr.py (the Python port, whose output lunr.js loads
as is) and written as `search-index.js` — one assignment to a global — works
from disk and from a web server alike, with no request beyond the file itself.

What is indexed is what the reader sees: the text of each page's <main>
(less anything marked `data-search-skip`), in three fields — its title, its
headings, its body — which search.js ranks in that order. Entries of
catalogue pages (a glossary term, a training course, a form …) are marked
`data-search-entry` and become results of their own, linking to their anchor.
Each result carries its text, from which search.js cuts the passage that
matches. Synonyms and variant spellings (the framework's `synonyms`, and each
glossary term with its aliases) ship as index terms; search.js looks for every
spelling of a group when the query holds one.

The index is built here, not in the reader's browser: loading it is several
times faster to a first result than indexing the text on the spot (measured
in bench/README.md, "Search index").
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from lunr import lunr
from lunr.builder import Builder
from lunr.field_ref import FieldRef
from lunr.idf import idf as inverse_document_frequency
from lunr.index import Index
from lunr.pipeline import Pipeline
from lunr.stemmer import PorterStemmer, stemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token
from lunr.tokenizer import SEPARATOR_CHARS
from lunr.trimmer import trimmer
from lunr.vector import Vector

SKIP_TAGS = frozenset({"script", "style", "svg", "template", "noscript"})
# Elements that break a line: text on either side is two words. Inline elements (<strong>, <a> …) do
# not: "<strong>BLS</strong>." reads "BLS.".
BLOCK = frozenset({"p", "li", "dt", "dd", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section",
                   "tr", "br", "article", "blockquote", "caption", "ul", "ol", "dl", "table", "thead", "tbody",
                   "tfoot", "figure", "figcaption", "details", "summary", "header", "footer", "nav", "aside",
                   "main", "pre", "address", "fieldset", "legend", "form", "label", "option"})
FIELDS = (("title", 10), ("headings", 4), ("body", 1))  # index fields and their boosts

# Chinese, Japanese and Korean text has no spaces between words, and lunr splits
# on spaces. Without a dictionary, the standard answer (Lucene's CJK analyser) is
# overlapping bigrams: 随访完成率 is indexed as 随访 访完 完成 成率, and search.js
# splits a query the same way, so a query matches pages holding its words in
# that order — where single characters would match any page using them anywhere.
CJK_RUN = re.compile(r"[\u2e80-\u2fff\u3040-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
# Ideographic punctuation (。、「」，：) separates words like a space does.
CJK_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")


@dataclass
class Document:
    ref: str  # URL from the output root, maybe with #anchor
    title: str
    kind: str
    parts: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)  # the text of its h2–h6, in order
    # (title, headings, body) as index terms, made where the page was rendered (see `prepare`)
    index_terms: tuple[list[str], list[str], list[str]] | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def body_text(text: str, title: str) -> str:
    """A document's text without the title it starts with (the result shows the title already)."""
    return text[len(title):].lstrip(" :—-") if title and text.startswith(title) else text


def cjk_bigrams(run: str) -> str:
    """A run of CJK characters as space-separated overlapping pairs (a lone character stays itself)."""
    if len(run) == 1:
        return f" {run} "
    return " " + " ".join(run[i:i + 2] for i in range(len(run) - 1)) + " "


def for_index(text: str) -> str:
    return CJK_RUN.sub(lambda m: cjk_bigrams(m.group()), CJK_PUNCTUATION.sub(" ", text))


class _LunrJsPorter(PorterStemmer):
    """lunr.py's Porter stemmer with lunr.js's step 1c, the one rule where the two differ: a final "y"
    becomes "i" after a consonant ("happy" → "happi"; "day", "employ" stay), not after any vowel in the
    word. Queries are stemmed in the browser by lunr.js: the index must hold what it makes of a word
    (a test compares the two on every word of the shipped handbooks)."""

    def step1c(self):
        if self.ends("y") and self.j >= 1 and self.b[self.j] not in "aeiou":
            self.b = self.b[: self.k] + "i" + self.b[self.k + 1:]


_porter = _LunrJsPorter()


def stemmer_as_in_lunr_js(token, i=None, tokens=None):
    return token.update(_porter.stem)


Pipeline.register_function(stemmer_as_in_lunr_js, "stemmer-as-in-lunr-js")
_PIPELINE = (trimmer, stop_word_filter, stemmer_as_in_lunr_js)  # lunr's English build pipeline, in order


@lru_cache(maxsize=65536)
def index_term(word: str) -> str | None:
    """What lunr's build pipeline makes of one lower-cased word: its stemmed term, or None (a stop word).
    Each distinct word goes through the pipeline once, not once per occurrence."""
    token: Token | None = Token(word, {})
    for step in _PIPELINE:
        token = step(token, 0, [token])
        if not token:
            return None
    return str(token)


class PreparedBuilder(Builder):
    """lunr.py's Builder for documents whose fields are already lists of index terms (`index_term`).

    The stock `add` wraps every word of every document in a Token with a deep-copied metadata dict
    and runs each through the pipeline one by one: four fifths of the index's cost. This `add`
    records what the stock one records — postings in first-seen order, term frequencies, field
    lengths, and no metadata (none is whitelisted) — from the prepared terms; lunr does the rest
    (vectors, serialising, and searching in the browser). A test checks that the serialised index
    is the stock builder's, key for key.
    """

    def add(self, doc, attributes=None):
        assert not self.metadata_whitelist, "prepared documents carry no token metadata"
        doc_ref = str(doc[self._ref])
        self._documents[doc_ref] = attributes or {}
        self.document_count += 1
        for field_name in self._fields:
            terms = doc[field_name]
            field_ref = str(FieldRef(doc_ref, field_name))
            frequencies = defaultdict(int, Counter(terms))  # a Counter keeps first-seen order
            self.field_term_frequencies[field_ref] = frequencies
            self.field_lengths[field_ref] = len(terms)
            for term in frequencies:
                posting = self.inverted_index.get(term)
                if posting is None:
                    posting = {name: {} for name in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                    self.inverted_index[term] = posting
                posting[field_name].setdefault(doc_ref, defaultdict(list))

    def _create_field_vectors(self):
        """The stock BM25 vectors, each made in one go: the stock code inserts term by term with a
        binary search and a list insert each, the larger part of what is left of the index's cost.
        Same arithmetic in the same order, so the same floats."""
        k1, b = self._k1, self._b
        idf_of: dict[str, float] = {}
        self.field_vectors = {}
        for field_ref, frequencies in self.field_term_frequencies.items():
            if not frequencies:  # an empty field (no page has headings, say): nothing to score, and no
                self.field_vectors[field_ref] = Vector([])  # average length to divide by
                continue
            ref = FieldRef.from_string(field_ref)
            length_part = k1 * (1 - b + b * (self.field_lengths[field_ref] / self.average_field_length[ref.field_name]))
            boost = self._fields[ref.field_name].boost
            doc_boost = self._documents[ref.doc_ref].get("boost", 1)
            scored = []
            for term, tf in frequencies.items():
                posting = self.inverted_index[term]
                idf = idf_of.get(term)
                if idf is None:
                    idf = idf_of[term] = inverse_document_frequency(posting, self.document_count)
                score = idf * ((k1 + 1) * tf) / (length_part + tf)
                score *= boost
                score *= doc_boost
                scored.append((posting["_index"], round(score, 3)))
            scored.sort()
            self.field_vectors[field_ref] = Vector([x for pair in scored for x in pair])

    def build(self):
        """The index, for serialising only: the token set (a trie of every term, which only searching
        in Python uses; lunr.js builds its own from the serialised index) is not made."""
        self._calculate_average_field_lengths()
        self._create_field_vectors()
        return Index(inverted_index=self.inverted_index, field_vectors=self.field_vectors, token_set=None,
                     fields=list(self._fields.keys()), pipeline=self.search_pipeline)


def _stock_builder() -> Builder:
    """lunr.py's English builder (trimmer, stop words, stemmer) — what `lunr()` would use, with the
    stemmer as lunr.js's."""
    builder = Builder()
    builder.pipeline.add(*_PIPELINE)
    builder.search_pipeline.add(stemmer)
    return builder


def _prepared_builder() -> PreparedBuilder:
    builder = PreparedBuilder()
    builder.search_pipeline.add(stemmer)  # serialised with the index: lunr.js stems queries the same way
    return builder


_SEPARATORS = re.compile("[" + re.escape(SEPARATOR_CHARS) + "]+")


def tokens(text: str) -> list[str]:
    """The words lunr's tokenizer would make of `text` (lower-cased, split on its separators).

    lunr.py's tokenizer walks the text a character at a time in Python; a regex split gives the same
    words. It keeps no positions in the index (no metadata is whitelisted), so the index is the same.
    """
    return [word for word in _SEPARATORS.split(text.lower()) if word]


def terms(text: str) -> list[str]:
    """The index terms of `text`, in order: its words through lunr's build pipeline, stop words gone."""
    return [term for term in map(index_term, tokens(for_index(text))) if term]


def prepare(docs: list[Document]) -> list[Document]:
    """Turn the documents' text into index terms (once): the page workers do it, so that the
    (serial) index build only counts them."""
    for doc in docs:
        if doc.index_terms is None:
            doc.index_terms = (terms(doc.title), terms(" ".join(doc.headings)), terms(doc.text))
    return docs


def build_index(docs: list[Document], synonyms: list[list[str]] = (), *, stock: bool = False) -> dict:
    """lunr.py index (serialised), the display data for each result, and the synonym groups as index
    terms, in a stable order. `stock=True` uses lunr.py's own tokenising and pipeline (slower; the
    tests compare the two)."""
    fields = [dict(field_name=name, boost=boost) for name, boost in FIELDS]
    if stock:
        prepared = [{"ref": d.ref, "title": tokens(for_index(d.title)), "headings": tokens(for_index(" ".join(d.headings))),
                     "body": tokens(for_index(d.text))} for d in docs]
        index = lunr(ref="ref", fields=fields, documents=prepared, builder=_stock_builder())
    else:
        prepared = [{"ref": d.ref, "title": d.index_terms[0], "headings": d.index_terms[1], "body": d.index_terms[2]}
                    for d in prepare(docs)]
        index = lunr(ref="ref", fields=fields, documents=prepared, builder=_prepared_builder())
    return {
        "index": index.serialize(),
        "docs": {d.ref: {"title": d.title, "kind": d.kind, "text": body_text(d.text, d.title)} for d in docs},
        "synonyms": synonym_terms(synonyms),
    }


def synonym_terms(groups) -> list[list[list[str]]]:
    """Groups of spellings that mean the same, each spelling as the index terms a query for it makes
    ("Blood pressure" → ["blood", "pressur"]). Groups that share a spelling are one group; spellings
    with no term left (stop words only) and groups left with one spelling are dropped."""
    merged: list[list[tuple[str, ...]]] = []
    for group in groups:
        phrases = list(dict.fromkeys(p for p in (tuple(terms(s)) for s in group) if p))
        overlapping = [g for g in merged if set(g) & set(phrases)]
        for g in overlapping:
            merged.remove(g)
            phrases = list(dict.fromkeys([*g, *phrases]))
        merged.append(phrases)
    return [[list(p) for p in g] for g in merged if len(g) > 1]


def index_script(data: dict) -> str:
    """The index as a JavaScript file: one assignment, loadable with <script src> from disk."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Keep the file safe to load as a script whatever the content says.
    payload = payload.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return ("// ladderbuild search index (lunr " + str(data["index"].get("version", "")) + "); generated, do not edit.\n"
            f"window.LADDERBUILD_SEARCH = {payload};\n")
