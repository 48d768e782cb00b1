"""Project: the pipeline's front half — find, load, validate, resolve.

`load_project` is what every command starts with; it never raises for bad
content, it returns diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Severity, has_errors
from .layout import find_content_dir, templates_dir
from .load import load_content
from .resolve import Framework, resolve
from .validate import validate


@dataclass
class Project:
    root: Path  # the project folder (holds content/, templates/, output/)
    content_dir: Path
    framework: Framework | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    @property
    def templates_dir(self) -> Path:
        return templates_dir(self.root)


def load_project(path: Path | str = ".") -> Project:
    root, content_dir = find_content_dir(Path(path))
    loaded = load_content(content_dir, root)
    validated = validate(loaded)
    diagnostics = sorted(validated.diagnostics)
    framework = None
    if not has_errors(diagnostics) and validated.framework is not None:
        framework = resolve(validated)
    return Project(root, content_dir, framework, diagnostics)
