"""Terminal safety: what ladderbuild prints never carries control characters from the data it shows.

Titles, file names, roster cells and git's messages reach the terminal inside our messages. Raw,
an escape sequence among them could retitle the window, clear the screen, hide text, plant an
OSC 8 hyperlink, or (a newline in a file name) forge a line such as "0 error(s)". So every such
value is shown with its control characters escaped as Python writes them (`\\x1b`, `\\n`,
`\\u202e`): C0 and C1 controls, DEL, and the invisible bidirectional overrides that can make text
read differently from what it is. JSON output stays JSON: `json_printable` escapes the same
characters as JSON `\\uXXXX` escapes, which JSON readers turn back into the same text.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029" + _BIDI + "]")
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029" + _BIDI + "]")  # what json.dumps leaves as it is


def _escaped(match: re.Match) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def printable(text: object) -> str:
    """`text` with every control character escaped, for a terminal or a Markdown file."""
    text = str(text)
    return _UNSAFE.sub(_escaped, text) if _UNSAFE.search(text) else text


def json_printable(json_text: str) -> str:
    """JSON text (from json.dumps) with the characters json.dumps leaves raw escaped as `\\uXXXX`.

    json.dumps(ensure_ascii=False) escapes C0 controls itself; C1 controls, DEL and the bidirectional
    overrides it writes as they are, always inside strings (JSON's own syntax is ASCII)."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
