"""Scaffold: `ladderbuild init` (a new, complete project) and `ladderbuild new` (one skeleton file).

The files live beside this module as `string.Template`s, so what an author
gets is readable here exactly as it will be written.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from ..project import Project

HERE = Path(__file__).resolve().parent
KINDS = {"level": ("levels", ".md"), "competency": ("competencies", ".yaml"), "page": ("pages", ".md")}
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class ScaffoldError(Exception):
    pass


def title_from_id(ident: str) -> str:
    return ident.replace("-", " ").capitalize()


def init_project(target: Path, title: str) -> list[Path]:
    """Write a small, complete framework project into `target` (which must be empty or new)."""
    if target.exists() and any(target.iterdir()):
        raise ScaffoldError(f"{target} is not empty; choose a new folder so nothing is overwritten")
    source = HERE / "project"
    written = []
    for path in sorted(source.rglob("*")):
        if path.is_dir():
            continue
        out = target / path.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(Template(path.read_text(encoding="utf-8")).safe_substitute(title=title), encoding="utf-8")
        written.append(out)
    return written


def new_item(project: Project, kind: str, ident: str, title: str | None = None) -> Path:
    """Write a commented skeleton for a level, competency or page of `project`."""
    if not ID_PATTERN.match(ident):
        raise ScaffoldError(f"`{ident}` is not a valid id: use lowercase letters, digits and hyphens, e.g. `wound-care`")
    folder, suffix = KINDS[kind]
    target = project.content_dir / folder / f"{ident}{suffix}"
    if target.exists():
        raise ScaffoldError(f"{target} already exists")
    template = Template((HERE / "new" / f"{kind}{suffix}").read_text(encoding="utf-8"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template.safe_substitute(_context(project, ident, title or title_from_id(ident))),
                      encoding="utf-8")
    return target


def _context(project: Project, ident: str, title: str) -> dict[str, str]:
    """Facts about the project that make the skeleton valid where it can be (first track, stages …)."""
    fw = project.framework
    tracks = [t.id for t in fw.tracks] if fw else ["track-id"]
    stages = [s.id for s in fw.meta.stages] if fw else ["stage-id"]
    domains = [d.id for d in fw.meta.domains] if fw else ["domain-id"]
    first_track = tracks[0]
    rank = 1 + max((lvl.rank for lvl in fw.levels if lvl.track == first_track), default=0) if fw else 1
    anchors = "\n".join(f"  {s}: What it looks like at this stage." for s in stages)
    return {"id": ident, "title": title, "track": first_track, "tracks": ", ".join(tracks), "rank": str(rank),
            "stages": ", ".join(stages), "domain": domains[0], "domains": ", ".join(domains), "anchors": anchors}
