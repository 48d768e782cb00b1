"""Fonts for the PDFs: stop the build, naming the characters, when no installed font can print them.

WeasyPrint finds fonts through fontconfig and, for a character none of them
has, prints nothing or a box — silently (Chinese without a CJK font comes out
blank). So before any PDF is rendered, the characters of its HTML are checked
against what the installed fonts cover. fontconfig itself answers, in one
call (`fc-list --format '%{charset}'`, the same fonts and configuration
WeasyPrint uses, FONTCONFIG_FILE included), so no font file is opened here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .diagnostics import Diagnostic, Severity, relpath

# ASCII is printed by any Latin font; only the rest needs looking up (deleting the ASCII runs is the
# fastest way to find it: a few hundred milliseconds less than scanning character by character).
ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
# Characters that are not drawn (spaces, joiners, marks of direction): no font needs a glyph for them.
UNDRAWN = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
SHOWN = 12  # characters listed in a message; the count says how many more
FILES_SHOWN = 3  # files reported one by one (a framework in a script no font has would list every file)


class MissingGlyphs(Exception):
    """Text that no installed font covers; `characters` in code-point order."""

    def __init__(self, characters: str):
        self.characters = characters
        super().__init__(f"no installed font has {describe(characters)}")


def _parse_charset(text: str) -> set[int]:
    """fontconfig's charset notation (`20-7e a0 4e00-9fa5`, hexadecimal) → code points."""
    covered: set[int] = set()
    for item in text.split():
        first, _, last = item.partition("-")
        covered.update(range(int(first, 16), int(last or first, 16) + 1))
    return covered


@lru_cache(maxsize=4)
def _coverage(config: tuple[str, str]) -> frozenset[int] | None:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None  # no fontconfig tools: nothing to ask (WeasyPrint still renders)
    result = subprocess.run([fc_list, "--format", "%{charset}\n"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return None
    covered: set[int] = set()
    for line in result.stdout.splitlines():
        covered |= _parse_charset(line)
    return frozenset(covered)


def installed_coverage() -> frozenset[int] | None:
    """Every code point some installed font has; None when fontconfig cannot be asked."""
    return _coverage((os.environ.get("FONTCONFIG_FILE", ""), os.environ.get("FONTCONFIG_PATH", "")))


def drawn_characters(texts: Iterable[str]) -> set[str]:
    """The non-ASCII characters of the texts that need a glyph."""
    found: set[str] = set()
    for text in texts:
        found.update(ASCII_RUNS.sub("", text))
    return {c for c in found if unicodedata.category(c) not in UNDRAWN}


def uncovered(texts: Iterable[str], coverage: frozenset[int] | None = None) -> str:
    """The characters of the texts that no installed font has, in code-point order."""
    coverage = installed_coverage() if coverage is None else coverage
    if coverage is None:
        return ""
    return "".join(sorted(c for c in drawn_characters(texts) if ord(c) not in coverage))


def require_coverage(htmls: Iterable[str]) -> None:
    """Raise MissingGlyphs when the documents use characters no installed font can print."""
    missing = uncovered(htmls)
    if missing:
        raise MissingGlyphs(missing)


def describe(characters: str) -> str:
    """`3 characters: 健 (U+5065), 康 (U+5EB7), 管 (U+7BA1)` — the first few, and how many in all."""
    shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in characters[:SHOWN])
    more = f" and {len(characters) - SHOWN} more" if len(characters) > SHOWN else ""
    noun = "character" if len(characters) == 1 else "characters"
    return f"{len(characters)} {noun}: {shown}{more}"


# --------------------------------------------------------------------------- where the characters come from


@dataclass(frozen=True)
class Place:
    file: Path
    line: int
    column: int


HINT = ("install a font that has them and build again: for Chinese, Japanese or Korean the Debian package "
        "`fonts-wqy-microhei` (scripts/system-packages installs it); `fc-list` shows the fonts WeasyPrint can use")


def diagnostics(characters: str, content_dir: Path, root: Path, locale: str) -> list[Diagnostic]:
    """Where the uncovered characters are written: one error per content file, at their first use,
    listing them in the order they are first used there.

    Characters found in no content file come from the interface catalogue of the framework's
    language; they are reported at `locale:` in framework.yaml.
    """
    remaining = set(characters)
    per_file: dict[Path, tuple[Place, list[str]]] = {}
    for path in sorted(p for p in content_dir.rglob("*") if p.suffix in (".yaml", ".md") and p.is_file()):
        if not remaining:
            break
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            here = [c for c in dict.fromkeys(line) if c in remaining]
            if not here:
                continue
            if path not in per_file:
                per_file[path] = (Place(path, number, line.index(here[0]) + 1), [])
            per_file[path][1].extend(here)
            remaining.difference_update(here)
    found = list(per_file.values())
    out = []
    for i, (place, chars) in enumerate(found[:FILES_SHOWN]):
        more = len(found) - FILES_SHOWN if i == FILES_SHOWN - 1 else 0
        also = f" ({more} more files use characters no installed font has)" if more > 0 else ""
        out.append(Diagnostic(relpath(place.file, root), place.line, place.column, Severity.ERROR, "missing-font",
                              f"no installed font can print {describe(''.join(chars))}; the PDFs would show "
                              f"them as blanks or boxes{also}", HINT))
    if remaining:
        framework = content_dir / "framework.yaml"
        line = _line_of(framework, "locale:")
        out.append(Diagnostic(relpath(framework, root), line, 1, Severity.ERROR, "missing-font",
                              f"the interface language `{locale}` needs {describe(''.join(sorted(remaining)))}, "
                              "which no installed font can print", HINT))
    return out


def _line_of(path: Path, prefix: str) -> int:
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith(prefix):
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return 1
