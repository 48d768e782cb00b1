"""Diagnostics: what `check` and `build` report about content.

Every problem found anywhere in the pipeline becomes a `Diagnostic` pointing at
a file, line and column, with a stable code that tools and docs can refer to.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path
from typing import Iterable

from .terminal import printable


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. Ordered by file then position so reports read top to bottom."""

    file: str
    line: int
    column: int
    severity: Severity = field(compare=False)
    code: str = field(compare=False)
    message: str = field(compare=False)
    hint: str = field(default="", compare=False)

    @property
    def where(self) -> str:
        """`file:line:col`, safe to print (terminal.printable)."""
        return f"{printable(self.file)}:{self.line}:{self.column}"

    def format(self) -> str:
        """The diagnostic as lines for a terminal or a log: values from content are escaped (terminal.py)."""
        text = f"{self.where}: {self.severity.value} [{self.code}] {printable(self.message)}"
        if self.hint:
            text += f"\n    hint: {printable(self.hint)}"
        return text

    def to_json(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Diagnostic":
        return cls(**{**data, "severity": Severity(data["severity"])})


class ContentError(Exception):
    """Raised when content has errors; carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        errors = [d for d in self.diagnostics if d.severity is Severity.ERROR]
        super().__init__(f"{len(errors)} error(s) in content")


def relpath(path: Path, root: Path) -> str:
    """The path as an author sees it: relative to the project, with forward slashes."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def did_you_mean(word: str, choices: Iterable[str], *, ordered: bool = False) -> str:
    """A 'did you mean' hint, or a short list of what is allowed (`ordered`: in the order given, for
    choices that have one, like the stages of a scale; else alphabetical)."""
    import difflib  # only when there is a problem to explain

    options = list(dict.fromkeys(choices)) if ordered else sorted(set(choices))
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    if not options:
        return ""
    shown = ", ".join(f"`{o}`" for o in options[:12])
    more = f" (and {len(options) - 12} more)" if len(options) > 12 else ""
    return f"known values: {shown}{more}"


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)
