"""The interface language: message catalogues and locale formatting, with Babel.

Every word the tool itself puts on a page or a form ("Level", "Page 2 of 5",
signature labels, the default "N/A" …) is an English msgid looked up in a
gettext catalogue, `locale/<catalogue>/LC_MESSAGES/ladderbuild.po`, chosen by
the framework's `locale`: the exact locale, else a catalogue of the same
language and script (`es-MX` → `es`, `zh` → `zh_CN`), else English.

The .po files are the only form kept in git: they are compiled in memory when
first needed (Babel's pofile/mofile, under a tenth of a second), so there is no
generated binary to forget to rebuild and an editable install sees a changed
translation at once. Dates and numbers are formatted with Babel's CLDR data
for the framework's own locale (so `es-MX` writes 2.5 where `es` writes 2,5).

`scripts/catalogues` re-extracts the msgids (pybabel, configured in
pyproject.toml) and merges them into every catalogue.

Also here, the few facts about writing systems the tool needs: which languages
have no alphabetical order Babel can apply (`alphabetical`), and how lines of
running text join in scripts written without spaces (`line_joiner`, `join_text`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

DOMAIN = "ladderbuild"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
FALLBACK = "en"


def N_(message: str) -> str:
    """Marks an English default for extraction; it is translated where it is put on a page (see resolve.py)."""
    return message


# --------------------------------------------------------------------------- choosing a catalogue


def parse_tag(tag: str):
    """The Babel `Locale` of a language tag (`zh-CN`, `es`, `en_GB`); ValueError for one Babel does not know."""
    from babel import Locale, UnknownLocaleError

    text = str(tag).strip()
    try:
        return Locale.parse(text.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise ValueError(f"`{text}` is not a language tag ladderbuild knows") from exc


def html_lang(tag: str) -> str:
    """The tag as BCP 47 wants it in `<html lang>` and the PDF's /Lang: hyphens, not underscores."""
    return str(tag).strip().replace("_", "-")


def available_catalogues() -> tuple[str, ...]:
    """The catalogues shipped with the package (folder names, e.g. `en`, `es`, `zh_CN`)."""
    return tuple(sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")))


def _script(locale) -> str:
    """The locale's script, stated or most likely (CLDR likely subtags): zh → Hans, zh-TW → Hant."""
    from babel import Locale
    from babel.core import get_global

    if locale.script:
        return locale.script
    likely = get_global("likely_subtags")
    for key in (f"{locale.language}_{locale.territory}" if locale.territory else "", locale.language):
        if key and key in likely:
            return Locale.parse(likely[key]).script or ""
    return ""


@lru_cache(maxsize=64)
def catalogue_for(tag: str) -> str:
    """The catalogue for a framework's locale: exact, then same language and script, then English."""
    try:
        wanted = parse_tag(tag)
    except ValueError:
        return FALLBACK
    available = available_catalogues()
    exact = [str(wanted), f"{wanted.language}_{wanted.territory}" if wanted.territory else "", wanted.language]
    for name in exact:
        if name in available:
            return name
    for name in available:
        candidate = parse_tag(name)
        if candidate.language == wanted.language and _script(candidate) == _script(wanted):
            return name
    return FALLBACK


def has_catalogue(tag: str) -> bool:
    """Whether the locale gets a catalogue of its own language (not the English fallback)."""
    try:
        language = parse_tag(tag).language
    except ValueError:
        return False
    return language == parse_tag(FALLBACK).language or catalogue_for(tag) != FALLBACK


# --------------------------------------------------------------------------- loading a catalogue


def catalogue_path(name: str) -> Path:
    return LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=16)
def translations(name: str):
    """The compiled `babel.support.Translations` of a catalogue (fuzzy and empty entries fall back to English)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import NullTranslations, Translations

    path = catalogue_path(name)
    if not path.is_file():
        return NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=name, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def translations_for(tag: str):
    return translations(catalogue_for(tag))


# --------------------------------------------------------------------------- formatting


class Formatter:
    """Dates and numbers written the way the locale writes them (CLDR data via Babel)."""

    def __init__(self, tag: str) -> None:
        try:
            self.locale = parse_tag(tag)
        except ValueError:
            self.locale = parse_tag(FALLBACK)

    def date(self, value: dt.date | str, length: str = "long") -> str:
        """`2026-03-01` → March 1, 2026 · 2026年3月1日 · 1 de marzo de 2026."""
        from babel.dates import format_date

        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        return format_date(value, format=length, locale=self.locale)

    def number(self, value: float | int) -> str:
        """2.5 → 2.5 · 2,5; whole numbers without decimals, at most three decimals; 1,234 · 1.234."""
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.locale)

    def percent(self, value: float | int) -> str:
        """A number of percent (40 means 40 %), in the locale's pattern: 40% · 40 %."""
        from babel.numbers import format_percent

        # Through Decimal, so 33.3 stays 33.3 (a float divided by 100 would print 33.299999…).
        exact = Decimal(str(round(float(value), 3))) / 100
        return format_percent(exact, locale=self.locale, decimal_quantization=False)

    def filters(self) -> dict:
        """The Jinja filters templates use: `{{ d|date }}`, `{{ x|number }}`, `{{ w|percent }}`."""
        return {"date": self.date, "number": self.number, "percent": self.percent}


# The letters of a date hint, translated: "AAAA" for año in Spanish, 年/月/日 in Chinese.
DATE_HINT_PARTS = {"y": N_("YYYY"), "M": N_("MM"), "d": N_("DD")}


def date_hint(tag: str) -> str:
    """How a date is written by hand in the locale, from its short date pattern (CLDR), in the locale's
    letters: MM/DD/YYYY (en-US) · DD/MM/YYYY (en-GB) · DD/MM/AAAA (es) · 年/月/日 (zh)."""
    from babel.dates import get_date_format

    try:
        locale = parse_tag(tag)
    except ValueError:
        locale = parse_tag(FALLBACK)
    catalogue = translations_for(tag)
    pattern = get_date_format("short", locale=locale).pattern
    hint = re.sub(r"y+|M+|d+", lambda m: catalogue.gettext(DATE_HINT_PARTS[m.group(0)[0]]), pattern)
    return re.sub(r"'([^']*)'", r"\1", hint)


# --------------------------------------------------------------------------- alphabetical order

# Languages written without an alphabet: an alphabetical order needs a dictionary (pinyin, readings)
# that Babel does not have, and code-point order means nothing to a reader. Lists keep the order in
# which the author wrote them.
UNALPHABETIC = frozenset({"zh", "ja", "ko"})


def alphabetical(tag: str):
    """A sort key for names in the locale's alphabetical order, or None where the author's order stands.

    Letters sort with their accents ignored first (Ética beside Evaluación, not after Zona), then
    accents and case break ties, so the order is total and stable.
    """
    try:
        language = parse_tag(tag).language
    except ValueError:
        language = FALLBACK
    if language in UNALPHABETIC:
        return None

    def key(text: str) -> tuple[str, str]:
        folded = text.casefold()
        base = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
        return base, folded

    return key


# --------------------------------------------------------------------------- lines of text in scripts without spaces

# Chinese and Japanese put no space between words. A line break inside such text — written to keep
# a YAML or Markdown file readable — must not become a space on the page, as it does in English.
# (Korean, whose Hangul is written with spaces, is left out on purpose.)
_UNSPACED = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff"
                       r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


def unspaced(char: str) -> bool:
    """Whether the character belongs to a script written without spaces between words (Han, kana)."""
    return bool(char) and _UNSPACED.match(char) is not None


def line_joiner(before: str, after: str) -> str:
    """What a line break between two lines of running text becomes: nothing between Chinese or
    Japanese characters, a space otherwise."""
    return "" if before and after and unspaced(before[-1]) and unspaced(after[0]) else " "


def join_text(parts):
    """Pieces of running text joined as the language joins them: with a space, or with nothing
    between two Chinese or Japanese characters ("客户长期留存率（目标值 ≥ 80%）"). Empty pieces are
    left out; plain pieces are escaped, markup is kept (a Jinja filter: `[a, b]|join_text`)."""
    from markupsafe import Markup, escape

    out = Markup("")
    previous = ""
    for part in parts:
        text = Markup(part).striptags() if isinstance(part, Markup) else str(part or "")
        if not text:
            continue
        if previous:
            out += line_joiner(previous, text)
        out += escape(part)
        previous = text
    return out
