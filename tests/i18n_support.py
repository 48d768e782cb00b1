"""Helpers for the language tests (no tests here): what a reader sees on a page, and English left in it."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

from ladderbuild import i18n

# Attributes whose text a reader sees or hears (tooltips, screen-reader labels, the small-screen table labels).
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-label", "label")
# Script blocks that hold words for the page's scripts (search messages, comparison labels).
WORD_SCRIPTS = ("search-i18n", "compare-i18n", "compare-months", "place-i18n")
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}|<[^>]+>")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


class _Visible(HTMLParser):
    """Text of the body and the shown attributes; scripts only when they carry interface words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.words_json: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("id") in WORD_SCRIPTS:
            self.words_json = []
        elif tag in ("script", "style") or (tag == "code" and a.get("translate") == "no"):
            self.skip += 1  # a file path marked translate="no" is in no language
        for name in SHOWN_ATTRIBUTES:
            if a.get(name):
                self.parts.append(a[name])
        if tag == "meta" and a.get("name") == "description":
            self.parts.append(a.get("content") or "")

    def handle_endtag(self, tag):
        if tag == "script" and self.words_json is not None:
            # The values (not the keys), less the placeholders the script fills in ({num}, {query}).
            self.parts.extend(PLACEHOLDER.sub(" ", s) for s in _strings(json.loads("".join(self.words_json))))
            self.words_json = None
        elif tag in ("script", "style", "code") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.words_json is not None:
            self.words_json.append(data)
        elif not self.skip:
            self.parts.append(data)


def _strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    return [s for v in values for s in _strings(v)]


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@lru_cache(maxsize=None)
def english_phrases(catalogue: str) -> tuple[str, ...]:
    """The English msgids (the literal parts of them, at least two words long) that the catalogue translates
    into something else: what must not be seen on a page in that language."""
    with i18n.catalogue_path(catalogue).open("rb") as fh:
        cat = read_po(fh, locale=catalogue)
    phrases = set()
    for message in cat:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for source in ids:
            if source in strings:
                continue  # the same in both languages ("PDF")
            for part in PLACEHOLDER.split(source):
                part = part.strip(" .,:;()*·—")
                if len(LATIN_WORD.findall(part)) >= 2 or (len(part) >= 5 and LATIN_WORD.fullmatch(part)):
                    phrases.add(part)
    return tuple(sorted(phrases, key=len, reverse=True))


def english_left(text: str, catalogue: str, content: str = "") -> list[str]:
    """Interface msgids of the catalogue that appear, untranslated, in the text (and not in the content's
    own words: an English framework in Spanish may well call a section "Competencies")."""

    def found(phrase: str, where: str) -> bool:
        return re.search(r"(?<![A-Za-z])" + re.escape(phrase) + r"(?![A-Za-z])", where) is not None

    return [p for p in english_phrases(catalogue) if found(p, text) and not found(p, content)]


def content_text(project: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((project / "content").rglob("*"))
                     if p.suffix in (".yaml", ".md"))


def allowed_words(project: Path, catalogue: str) -> set[str]:
    """Latin-letter words a page in the catalogue's language may show: those of the framework's own files
    (abbreviations, ids) and those the translations themselves use (PDF, JavaScript)."""
    with i18n.catalogue_path(catalogue).open("rb") as fh:
        cat = read_po(fh, locale=catalogue)
    words: set[str] = set()
    for message in cat:
        if not message.id:
            continue  # the catalogue's header
        for text in (message.string if isinstance(message.string, tuple) else (message.string,)):
            words.update(LATIN_WORD.findall(PLACEHOLDER.sub(" ", text or "")))
    for path in (project / "content").rglob("*"):
        if path.suffix in (".yaml", ".md"):
            words.update(LATIN_WORD.findall(path.read_text(encoding="utf-8")))
    return words


def foreign_words(text: str, allowed: set[str]) -> list[str]:
    """Latin-letter words in the text that the content does not contain: words the tool added in English."""
    return sorted({w for w in LATIN_WORD.findall(text) if w not in allowed})
