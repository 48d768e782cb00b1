"""Where a project keeps things (content/, templates/) and where the default theme lives.

Kept free of heavy imports: a build with nothing to do answers from these
paths and file hashes alone, before the pipeline is even imported.
"""

from __future__ import annotations

from pathlib import Path


def find_content_dir(start: Path) -> tuple[Path, Path]:
    """(project_dir, content_dir) for a path that is either a project or its content/ folder."""
    start = start.resolve()
    if (start / "content").is_dir():
        return start, start / "content"
    if (start / "framework.yaml").exists():
        return start.parent, start
    return start, start / "content"


def templates_dir(project_dir: Path) -> Path:
    """The project's own templates, which override the default theme's."""
    return project_dir / "templates"


def default_theme_dir() -> Path:
    """The packaged theme; in a source checkout, the repository's templates/ folder."""
    package = Path(__file__).resolve().parent  # installed as files (a wheel, or editable), never zipped
    packaged = package / "templates"
    if packaged.is_dir():
        return packaged
    return package.parents[1] / "templates"
