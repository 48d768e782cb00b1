"""Diff: what changed between two versions of a framework, in the framework's own terms.

"Phlebotomy at MA II: competent → proficient" rather than a line diff of YAML.
The same engine feeds `ladderbuild diff` (text, Markdown, JSON) and the
handbook's "What changed" page.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass
from io import BytesIO
from pathlib import Path

from .resolve import Framework, Level
from .terminal import json_printable, printable


@dataclass(frozen=True)
class Change:
    area: str  # levels, competencies, expectations, requirements, kpis, paths, evaluation, anchors
    action: str  # added, removed, renamed, raised, lowered, changed
    subject: str  # the id the change is about (e.g. "ma-2" or "ma-2/phlebotomy")
    text: str  # one sentence for people
    before: str | None = None
    after: str | None = None


def diff_frameworks(old: Framework, new: Framework) -> list[Change]:
    changes: list[Change] = []
    changes += _diff_levels(old, new)
    changes += _diff_competencies(old, new)
    per_level = {lvl.id: _diff_level(old, new, old.level(lvl.id), lvl)
                 for lvl in new.levels if lvl.id in _ids(old.levels)}
    for level in new.levels:
        changes += _not_inherited(per_level, level)
    changes += _diff_evaluation(old, new)
    return changes


def _not_inherited(per_level: dict[str, list[Change]], level: Level) -> list[Change]:
    """A level's changes minus those it merely inherits, so each change is reported where it is made."""
    own = per_level.get(level.id, [])
    parent = per_level.get(level.inherits or "", [])
    inherited = {_essence(c) for c in parent}
    return [c for c in own if _essence(c) not in inherited]


def _essence(change: Change) -> tuple:
    return change.area, change.action, change.subject.split("/", 1)[-1], change.before, change.after


def _ids(items) -> set[str]:
    return {x.id for x in items}


def _diff_levels(old: Framework, new: Framework) -> list[Change]:
    out: list[Change] = []
    removed = [lvl for lvl in old.levels if lvl.id not in _ids(new.levels)]
    added = [lvl for lvl in new.levels if lvl.id not in _ids(old.levels)]
    renamed_pairs = [(r, a) for r in removed for a in added if r.title == a.title]
    for r, a in renamed_pairs:
        out.append(Change("levels", "renamed", a.id, f"Level {a.title}: id `{r.id}` → `{a.id}`", r.id, a.id))
    moved = {r.id for r, _ in renamed_pairs} | {a.id for _, a in renamed_pairs}
    out += [Change("levels", "added", a.id, f"New level: {a.title} ({new.track(a.track).name} track)", None, a.title)
            for a in added if a.id not in moved]
    out += [Change("levels", "removed", r.id, f"Level removed: {r.title}", r.title, None)
            for r in removed if r.id not in moved]
    for lvl in new.levels:
        if lvl.id in _ids(old.levels) and old.level(lvl.id).title != lvl.title:
            out.append(Change("levels", "renamed", lvl.id, f"Level renamed: {old.level(lvl.id).title} → {lvl.title}",
                              old.level(lvl.id).title, lvl.title))
    return out


def _diff_competencies(old: Framework, new: Framework) -> list[Change]:
    out: list[Change] = []
    removed = [c for c in old.competencies if c.id not in _ids(new.competencies)]
    added = [c for c in new.competencies if c.id not in _ids(old.competencies)]
    pairs = [(r, a) for r in removed for a in added if r.name == a.name]
    moved = {r.id for r, _ in pairs} | {a.id for _, a in pairs}
    for r, a in pairs:
        out.append(Change("competencies", "renamed", a.id, f"Competency {a.name}: id `{r.id}` → `{a.id}`", r.id, a.id))
    out += [Change("competencies", "added", c.id, f"New competency: {c.name}", None, c.name)
            for c in added if c.id not in moved]
    out += [Change("competencies", "removed", c.id, f"Competency removed: {c.name}", c.name, None)
            for c in removed if c.id not in moved]
    for comp in new.competencies:
        if comp.id not in _ids(old.competencies):
            continue
        before = old.competency(comp.id)
        if before.name != comp.name:
            out.append(Change("competencies", "renamed", comp.id, f"Competency renamed: {before.name} → {comp.name}",
                              before.name, comp.name))
        for stage in new.meta.stages:
            a, b = before.anchors.get(stage.id), comp.anchors.get(stage.id)
            if a != b:
                out.append(Change("anchors", "changed", f"{comp.id}/{stage.id}",
                                  f"{comp.name}, anchor for {stage.label}, reworded", a, b))
    return out


def _stage_label(fw: Framework, stage_id: str) -> str:
    try:
        return fw.stage(stage_id).label
    except KeyError:
        return stage_id


def _diff_level(old: Framework, new: Framework, before: Level, after: Level) -> list[Change]:
    out: list[Change] = []
    name = after.label
    for comp_id in sorted(set(before.competencies) | set(after.competencies)):
        comp_name = (new.competency(comp_id) if comp_id in _ids(new.competencies) else old.competency(comp_id)).name
        a, b = before.competencies.get(comp_id), after.competencies.get(comp_id)
        subject = f"{after.id}/{comp_id}"
        if a is None:
            out.append(Change("expectations", "added", subject,
                              f"{comp_name} now expected at {name}: {_stage_label(new, b)}", None, b))
        elif b is None:
            out.append(Change("expectations", "removed", subject, f"{comp_name} no longer expected at {name}", a, None))
        elif a != b:
            try:
                up = new.stage_rank(b) > new.stage_rank(a)
            except ValueError:
                up = True
            out.append(Change("expectations", "raised" if up else "lowered", subject,
                              f"{comp_name} at {name}: {_stage_label(old, a).lower()} → {_stage_label(new, b).lower()}",
                              a, b))
    out += _diff_requirements(before, after, name)
    old_kpis, new_kpis = {k.id: k for k in before.kpis}, {k.id: k for k in after.kpis}
    for kid in sorted(set(old_kpis) | set(new_kpis)):
        a, b = old_kpis.get(kid), new_kpis.get(kid)
        if a is None:
            out.append(Change("kpis", "added", f"{after.id}/{kid}", f"New indicator at {name}: {b.name} (target {b.target})",
                              None, b.target))
        elif b is None:
            out.append(Change("kpis", "removed", f"{after.id}/{kid}", f"Indicator dropped at {name}: {a.name}", a.target, None))
        elif a != b:
            detail = f"target {a.target} → {b.target}" if a.target != b.target else "definition changed"
            out.append(Change("kpis", "changed", f"{after.id}/{kid}", f"{b.name} at {name}: {detail}", a.target, b.target))
    old_paths = {(p.to, p.kind.value) for p in before.paths}
    new_paths = {(p.to, p.kind.value) for p in after.paths}
    for to, kind in sorted(new_paths - old_paths):
        out.append(Change("paths", "added", f"{after.id}->{to}", f"New {kind} path: {name} → {to}", None, to))
    for to, kind in sorted(old_paths - new_paths):
        out.append(Change("paths", "removed", f"{after.id}->{to}", f"{kind.capitalize()} path removed: {name} → {to}",
                          to, None))
    return out


def _diff_requirements(before: Level, after: Level, name: str) -> list[Change]:
    out = []
    a, b = before.requirements, after.requirements
    fields = {
        "credentials": lambda r: "; ".join(
            f"{' or '.join(c.one_of)} ({c.status.value}"
            + (f", within {c.within_months_of_hire} months" if c.within_months_of_hire is not None else "") + ")"
            for c in r.credentials),
        "experience": lambda r: f"{r.experience.min_months} months" if r.experience else "none",
        "time in level": lambda r: f"{r.time_in_level.min_months} months" if r.time_in_level else "none",
        "education": lambda r: "; ".join(r.education) or "none",
    }
    for label, describe in fields.items():
        if describe(a) != describe(b):
            out.append(Change("requirements", "changed", f"{after.id}/{label.replace(' ', '-')}",
                              f"{name} {label}: {describe(a) or 'none'} → {describe(b) or 'none'}", describe(a), describe(b)))
    return out


def _diff_evaluation(old: Framework, new: Framework) -> list[Change]:
    a = {s.id: s for s in old.meta.evaluation.sections} if old.meta.evaluation else {}
    b = {s.id: s for s in new.meta.evaluation.sections} if new.meta.evaluation else {}
    out = []
    for sid in sorted(set(a) | set(b)):
        wa = a[sid].weight if sid in a else None
        wb = b[sid].weight if sid in b else None
        if wa != wb:
            label = (b.get(sid) or a.get(sid)).label
            out.append(Change("evaluation", "changed", sid,
                              f"Weight of {label}: {_pct(wa)} → {_pct(wb)}", _pct(wa), _pct(wb)))
    bands_a = {b.id: b for b in old.meta.evaluation.bands} if old.meta.evaluation else {}
    bands_b = {b.id: b for b in new.meta.evaluation.bands} if new.meta.evaluation else {}
    for bid in sorted(set(bands_a) | set(bands_b)):
        before, after = (f"{x.label} from {x.min:g}" if x else "none" for x in (bands_a.get(bid), bands_b.get(bid)))
        if before != after:
            out.append(Change("evaluation", "changed", f"band/{bid}", f"Rating band `{bid}`: {before} → {after}",
                              before, after))
    rows_a = old.meta.merit.increases if old.meta.merit else {}
    rows_b = new.meta.merit.increases if new.meta.merit else {}
    for bid in sorted(set(rows_a) | set(rows_b)):
        before, after = (", ".join(f"{v:g}%" for v in row) if row else "none"
                         for row in (rows_a.get(bid), rows_b.get(bid)))
        if before != after:
            out.append(Change("evaluation", "changed", f"merit/{bid}", f"Merit increases for `{bid}`: {before} → {after}",
                              before, after))
    return out


def _pct(weight: float | None) -> str:
    return "none" if weight is None else f"{weight:g}%"


# --------------------------------------------------------------------------- output

AREA_TITLES = {
    "levels": "Levels", "competencies": "Competencies", "expectations": "Expectations",
    "requirements": "Requirements", "kpis": "Indicators", "paths": "Career paths",
    "evaluation": "Evaluation weights", "anchors": "Anchor text",
}


def by_area(changes) -> list[tuple[str, list[Change]]]:
    """(area, its changes) in a fixed order, areas without changes left out."""
    return [(area, [c for c in changes if c.area == area]) for area in AREA_TITLES
            if any(c.area == area for c in changes)]


def grouped(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    return [(AREA_TITLES[area], items) for area, items in by_area(changes)]


def format_text(changes: list[Change]) -> str:
    if not changes:
        return "No changes to the framework.\n"
    lines = []
    for title, items in grouped(changes):
        lines.append(f"{title}:")
        lines += [f"  {_marker(c)} {printable(c.text)}" for c in items]
    return "\n".join(lines) + "\n"


def format_markdown(changes: list[Change], heading: str = "What changed") -> str:
    """Release notes in Markdown; control characters from the content are escaped as in text output."""
    lines = [f"## {printable(heading)}", ""]
    if not changes:
        return "\n".join(lines + ["No changes to the framework.", ""])
    for title, items in grouped(changes):
        lines += [f"### {title}", ""] + [f"- {printable(c.text)}" for c in items] + [""]
    return "\n".join(lines)


def format_json(changes: list[Change]) -> str:
    return json_printable(json.dumps([asdict(c) for c in changes], indent=2, ensure_ascii=False)) + "\n"


def _marker(change: Change) -> str:
    return {"added": "+", "removed": "-", "raised": "↑", "lowered": "↓"}.get(change.action, "~")


# --------------------------------------------------------------------------- sources

def materialise(source: str, project_dir: Path, workdir: Path) -> Path:
    """A folder holding the framework at `source`: a directory as is, or a git revision exported.

    The project may sit anywhere inside its repository (examples/health-manager-zh, say): the
    revision's `<prefix>content` tree is what is exported.
    """
    path = Path(source)
    if path.is_dir():
        return path
    if source.startswith("-"):  # git would take it for an option (`--output=…` writes a file anywhere)
        raise ValueError(f"`{source}` is neither a folder nor a git revision")
    where = subprocess.run(["git", "-C", str(project_dir), "rev-parse", "--show-toplevel", "--show-prefix"],
                           capture_output=True, text=True, check=False).stdout.splitlines()
    top, prefix = (where + ["", ""])[:2] if len(where) >= 2 else (str(project_dir), "")
    # Run from the top: in a subfolder `git archive` would narrow the tree to that subfolder again.
    archive = subprocess.run(["git", "-C", top or str(project_dir), "archive", "--format=tar", "--prefix=content/",
                              f"{source}:{prefix}content"], capture_output=True, check=False)
    if archive.returncode != 0:
        raise ValueError(f"`{source}` is neither a folder nor a git revision with a content/ folder: "
                         + archive.stderr.decode(errors="replace").strip())
    target = workdir / "rev"
    target.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
            tar.extractall(target, filter=_plain_files_only)
    except (tarfile.TarError, OSError) as exc:
        shutil.rmtree(target, ignore_errors=True)  # nothing half-extracted is ever read
        raise UnsafeVersion(source, str(exc)) from None
    return target


class UnsafeVersion(ValueError):
    """A version in git holds something ladderbuild will not extract (a symbolic link, say)."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"`{source}` cannot be read safely: {reason}")
        self.source, self.reason = source, reason


def _plain_files_only(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo:
    """History is untrusted input: only regular files and folders come out of it, each inside the
    temporary folder (tarfile's `data` filter). A symbolic or hard link is refused, never created,
    so its target is never read; the whole version is then skipped."""
    if member.issym() or member.islnk():
        raise tarfile.FilterError(f"{member.name} is a link (to {member.linkname}); ladderbuild does not follow links "
                                  "in git history")
    if not (member.isfile() or member.isdir()):
        raise tarfile.FilterError(f"{member.name} is not a plain file")
    return tarfile.data_filter(member, dest)


def temporary_workdir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="ladderbuild-diff-")
