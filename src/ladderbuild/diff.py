"""Diff: what changed between two versions of a framework, in the framework's own terms.

"Phlebotomy at MA II: competent → proficient" rather than a line diff of YAML.
The same engine feeds `ladderbuild diff` (text, Markdown, JSON) and the
handbook's "What changed" page.

Nothing here lists which fields to compare: the engine walks the typed model
(every field of every pydantic model, recursively), so a field added to the
model is reported without a change here. What is written by hand is how each
*kind* of field reads: a stage that went up is "raised", a number "12 months →
18 months", long text "reworded", a list item "added" or "removed". Items of a
list are matched by identity (their id, their target, the credentials they
accept …), so a KPI target going from 95% to 97% is one change, not a removal
and an addition.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass
from enum import Enum
from io import BytesIO
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel

from .resolve import Framework, Level
from .terminal import json_printable, printable


@dataclass(frozen=True)
class Change:
    area: str  # one of AREA_TITLES: levels, expectations, requirements, gates, kpis, anchors, forms …
    action: str  # added, removed, renamed, raised, lowered, changed
    subject: str  # the path of what changed, from its entry: "ma-2/eligibility/min_last_rating"
    text: str  # one sentence for people
    before: str | None = None
    after: str | None = None


# Collections of the Framework that are not compared: `variants` are derived (a level with a
# specialism changes when the level or the specialism does, each reported once where it is made);
# the changelog describes the changes, it is not one.
NOT_COMPARED = frozenset({"variants", "changelog", "sources"})
# Fields of the resolved models that say where content came from, not what it says.
PROVENANCE = frozenset({"source", "body_line"})
# The release itself (the summary line names both versions); not a change to the framework.
RELEASE = frozenset({"version", "effective"})
# Long text reads "reworded" rather than quoting both versions in full.
SHORT_TEXT = 60


def diff_frameworks(old: Framework, new: Framework) -> list[Change]:
    changes: list[Change] = []
    changes += _diff_meta(old, new)
    for name, area in _collections():
        if name == "levels":
            changes += _diff_levels(old, new)
        else:
            changes += _diff_entries(old, new, area, getattr(old, name), getattr(new, name))
    return _ordered(changes)


def _collections() -> list[tuple[str, str]]:
    """(Framework attribute, area) of every collection of entries, from the Framework itself."""
    return [(f.name, f.name) for f in dataclasses.fields(Framework)
            if f.name not in NOT_COMPARED and f.name != "meta"]


def _ordered(changes: list[Change]) -> list[Change]:
    """Areas in their reading order; within an area, the order the walk found them in."""
    rank = {area: i for i, area in enumerate(AREA_TITLES)}
    return sorted(changes, key=lambda c: rank.get(c.area, len(rank)))


# --------------------------------------------------------------------------- entries


def _entry_name(entry: Any) -> str:
    for attr in ("label", "short_title", "title", "name", "term", "version", "id"):
        value = getattr(entry, attr, None)
        if isinstance(value, str) and value:
            return value
    return str(_identity(entry, 0))


def _diff_entries(old_fw: Framework, new_fw: Framework, area: str, old: tuple, new: tuple) -> list[Change]:
    """Entries of one collection, matched by id; an id that changed while the name stayed is a rename."""
    out: list[Change] = []
    old_by, new_by = {_identity(e, i): e for i, e in enumerate(old)}, {_identity(e, i): e for i, e in enumerate(new)}
    removed = [k for k in old_by if k not in new_by]
    added = [k for k in new_by if k not in old_by]
    moved = {}
    for r in removed:
        twin = next((a for a in added if a not in moved.values() and _entry_name(new_by[a]) == _entry_name(old_by[r])), None)
        if twin is not None:
            moved[r] = twin
            out.append(Change(area, "renamed", str(twin), f"{_kind(area)} {_entry_name(new_by[twin])}: id `{r}` → `{twin}`",
                              str(r), str(twin)))
    for a in added:
        if a not in moved.values():
            out.append(Change(area, "added", str(a), f"New {_kind(area).lower()}: {_entry_name(new_by[a])}",
                              None, _entry_name(new_by[a])))
    for r in removed:
        if r not in moved:
            out.append(Change(area, "removed", str(r), f"{_kind(area)} removed: {_entry_name(old_by[r])}",
                              _entry_name(old_by[r]), None))
    for key, after in new_by.items():
        before = old_by.get(key) or old_by.get(next((r for r, a in moved.items() if a == key), None))
        if before is not None:
            out += _diff_entry(old_fw, new_fw, area, str(key), before, after)
    return out


def _diff_entry(old_fw, new_fw, area: str, ident: str, before, after) -> list[Change]:
    owner = _entry_name(after)
    return [_word(old_fw, new_fw, area, ident, owner, d) for d in walk(before, after)]


def _diff_levels(old: Framework, new: Framework) -> list[Change]:
    """Levels like any collection, but a change a level merely inherits is reported once, where it is made."""
    per_level: dict[str, list[Change]] = {}
    out: list[Change] = []
    old_ids = {lvl.id for lvl in old.levels}
    entries = _diff_entries(old, new, "levels", tuple(old.levels), tuple(new.levels))
    for change in entries:
        level_id = change.subject.split("/", 1)[0]
        if "/" in change.subject or change.action == "renamed" and level_id in old_ids:
            per_level.setdefault(level_id, []).append(change)
        else:
            out.append(change)
    for level in new.levels:
        own = per_level.get(level.id, [])
        inherited = {_essence(c) for c in per_level.get(level.inherits or "", [])}
        out += [c for c in own if _essence(c) not in inherited]
    return out


def _essence(change: Change) -> tuple:
    return change.area, change.action, change.subject.split("/", 1)[-1], change.before, change.after


def _diff_meta(old: Framework, new: Framework) -> list[Change]:
    out = []
    for d in walk(old.meta.model_copy(update={f: None for f in RELEASE}),
                  new.meta.model_copy(update={f: None for f in RELEASE})):
        area = "evaluation" if d.path[0] == "evaluation" else "framework"
        out.append(_word(old, new, area, "framework", "", d))
    return out


# --------------------------------------------------------------------------- the walk


@dataclass(frozen=True)
class Difference:
    """One difference found by `walk`: where (field names and item identities), what kind, the values."""

    path: tuple  # ("kpis", "intake-completeness", "target")
    names: tuple[str, ...]  # readable names of the items on the path ("Complete rooming")
    kind: str  # "changed" | "added" | "removed"
    before: Any = None
    after: Any = None


def walk(before: Any, after: Any, path: tuple = (), names: tuple = ()) -> Iterator[Difference]:
    """Every difference between two values of the same model type, field by field, recursively."""
    if isinstance(before, BaseModel) and isinstance(after, BaseModel) and type(before) is type(after):
        for name in type(after).model_fields:
            if name in PROVENANCE:
                continue
            yield from walk(getattr(before, name), getattr(after, name), path + (name,), names)
    elif isinstance(before, (list, tuple)) and isinstance(after, (list, tuple)):
        yield from _walk_list(list(before), list(after), path, names)
    elif isinstance(before, dict) and isinstance(after, dict):
        for key in [*before, *[k for k in after if k not in before]]:
            if key not in after:
                yield Difference(path + (key,), names, "removed", before[key], None)
            elif key not in before:
                yield Difference(path + (key,), names, "added", None, after[key])
            else:
                yield from walk(before[key], after[key], path + (key,), names)
    elif before != after:
        yield Difference(path, names, "changed", before, after)


def _walk_list(before: list, after: list, path: tuple, names: tuple) -> Iterator[Difference]:
    if any(isinstance(x, BaseModel) for x in before + after):
        old_by = {_identity(x, i): x for i, x in enumerate(before)}
        new_by = {_identity(x, i): x for i, x in enumerate(after)}
        for key, item in old_by.items():
            if key not in new_by:
                yield Difference(path + (key,), names, "removed", item, None)
        for key, item in new_by.items():
            if key not in old_by:
                yield Difference(path + (key,), names, "added", None, item)
            else:
                yield from walk(old_by[key], item, path + (key,), names + (_entry_name(item),))
        return
    gone = [x for x in before if x not in after]
    new = [x for x in after if x not in before]
    # An item reworded in place reads as one change: pair what went with what came by likeness.
    for old_item in list(gone):
        match = max(new, key=lambda n: _likeness(old_item, n), default=None)
        if match is not None and _likeness(old_item, match) >= 0.6:
            gone.remove(old_item)
            new.remove(match)
            yield Difference(path, names, "changed", old_item, match)
    for item in gone:
        yield Difference(path, names, "removed", item, None)
    for item in new:
        yield Difference(path, names, "added", None, item)


def _likeness(a: Any, b: Any) -> float:
    return difflib.SequenceMatcher(None, str(a), str(b)).ratio() if isinstance(a, str) and isinstance(b, str) else 0


def _identity(item: Any, index: int) -> Any:
    """What makes a list item the same item in two versions."""
    if not isinstance(item, BaseModel):
        return index
    fields = type(item).model_fields
    for attr in ("id", "to", "value", "term", "version", "by"):
        if attr in fields and getattr(item, attr) is not None:
            return getattr(item, attr)
    if "one_of" in fields:  # a credential requirement: the credentials it accepts
        return "+".join(sorted(item.one_of))
    if "credentials" in fields and "education" in fields:  # an alternative
        return "+".join(sorted(item.credentials) + sorted(item.education))
    if "kind" in fields:  # a form section: its kind (and place, when a kind occurs twice)
        return f"{item.kind}-{index + 1}"
    for attr in ("label", "description", "tracks"):
        if attr in fields:
            value = getattr(item, attr)
            return "+".join(value) if isinstance(value, list) else value
    return index


# --------------------------------------------------------------------------- wording


def _kind(area: str) -> str:
    return AREA_KINDS.get(area, area.rstrip("s").capitalize())


def _label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " "))


def _show(value: Any, field: str = "") -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float)):
        unit = "%" if field == "weight" else " months" if field.endswith("months") else \
            " years" if field.endswith("years") else ""
        return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"
    if isinstance(value, BaseModel):
        return _entry_name(value)
    if isinstance(value, (list, tuple)):
        return "; ".join(_show(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_show(v)}" for k, v in value.items()) or "none"
    return str(value)


def _stage_label(fw: Framework, stage_id: str) -> str:
    try:
        return fw.stage(stage_id).label
    except KeyError:
        return stage_id


def _competency_name(old: Framework, new: Framework, comp_id: str) -> str:
    for fw in (new, old):
        try:
            return fw.competency(comp_id).name
        except KeyError:
            continue
    return comp_id


def _word(old: Framework, new: Framework, area: str, ident: str, owner: str, d: Difference) -> Change:
    """One difference as a Change, worded for the kind of field it is in."""
    path = [str(p) for p in d.path]
    subject = "/".join([ident, *path]) if ident != "framework" else "/".join(path) or "framework"
    field = next((str(p) for p in reversed(d.path) if isinstance(p, str) and p in _ALL_FIELDS), str(d.path[-1]))
    top = str(d.path[0]) if d.path else ""
    if area == "levels":
        area = LEVEL_AREAS.get(top, "levels")
    elif area == "competencies" and top == "anchors":
        area = "anchors"
    before, after = d.before, d.after
    # Expected stages: raised, lowered, newly or no longer expected.
    if top == "competencies" and len(d.path) == 2 and area in ("expectations", "specialisms", "roles"):
        name = _competency_name(old, new, str(d.path[1]))
        if d.kind == "added":
            return Change(area, "added", subject, f"{name} now expected at {owner}: {_stage_label(new, after)}", None, after)
        if d.kind == "removed":
            return Change(area, "removed", subject, f"{name} no longer expected at {owner}", before, None)
        try:
            up = new.stage_rank(after) > new.stage_rank(before)
        except ValueError:
            up = True
        return Change(area, "raised" if up else "lowered", subject,
                      f"{name} at {owner}: {_stage_label(old, before).lower()} → {_stage_label(new, after).lower()}",
                      before, after)
    if area == "anchors" and len(d.path) == 2:
        stage = _stage_label(new, str(d.path[1]))
        return Change(area, "changed", subject, f"{owner}, anchor for {stage}, reworded", before, after)
    if top == "title" and len(d.path) == 1 and d.kind == "changed":
        return Change(area, "renamed", subject, f"{_kind(area)} renamed: {before} → {after}", before, after)
    where = ", ".join(x for x in (owner, *d.names) if x)
    prefix = f"{where}: " if where else ""
    label = _path_label(d.path, area, bool(d.names))
    if d.kind == "added":
        return Change(area, "added", subject, f"{prefix}{label} added: {_short(_show(after, field))}", None, _show(after, field))
    if d.kind == "removed":
        return Change(area, "removed", subject, f"{prefix}{label} removed: {_short(_show(before, field))}",
                      _show(before, field), None)
    a, b = _show(before, field), _show(after, field)
    if field == "weight" and d.names:
        return Change(area, "changed", subject, f"Weight of {d.names[-1]}: {a} → {b}", a, b)
    if isinstance(before, str) and isinstance(after, str) and max(len(a), len(b)) > SHORT_TEXT:
        return Change(area, "changed", subject, f"{prefix}{label} reworded", a, b)
    return Change(area, "changed", subject, f"{prefix}{label}: {a} → {b}", a, b)


def _path_label(path: tuple, area: str, in_item: bool = False) -> str:
    """The field's label, after the fields it sits in ("time in level" for requirements/time_in_level/
    min_months); the first field is left out where the area already says it (requirements, gates …)."""
    fields = [str(p) for p in path if isinstance(p, str) and p in _ALL_FIELDS]
    if fields and fields[0] in LEVEL_AREAS and len(fields) > 1:
        fields = fields[1:]
    if len(fields) > 1 and fields[-1] in ("min_months", "min_years"):
        fields = fields[:-1]  # "experience: 12 months", not "experience minimum: 12 months"
    if area == "framework" and len(fields) > 1 and not in_item:
        return f"{_label(fields[-2])} {_label(fields[-1])}"  # "vocabulary scope note", "evaluation label"
    return _label(fields[-1]) if fields else "value"


def _short(text: str) -> str:
    return text if len(text) <= SHORT_TEXT else text[:SHORT_TEXT - 1].rstrip() + "…"


def _model_fields() -> frozenset[str]:
    from . import model

    names = set()
    for value in vars(model).values():
        if isinstance(value, type) and issubclass(value, BaseModel):
            names.update(value.model_fields)
    return frozenset(names | {"body"})


_ALL_FIELDS = _model_fields()

# How fields read where their name alone says too little.
FIELD_LABELS = {
    "min_last_rating": "minimum last rating", "one_of": "accepted credentials", "min_months": "minimum",
    "min_years": "minimum", "kpis": "indicator", "paths": "path", "body": "description", "points_each": "points each",
    "minimum_total": "minimum points", "minimum_categories": "minimum categories", "cap": "cap (most points counted)",
    "discipline_lookback_months": "no disciplinary action within", "lookback_months": "look-back",
    "months_since_promotion": "time since last promotion", "months_since_application": "time since last application",
    "mandatory_training": "mandatory training", "within_months_of_hire": "deadline after hire",
    "critical_steps": "critical step", "responsibilities": "responsibility", "scope_notes": "scope note",
    "criteria": "criterion", "reports_to": "reports to", "pay_differential": "pay differential",
}
AREA_KINDS = {"levels": "Level", "competencies": "Competency", "glossary": "Glossary term", "training": "Training",
              "specialisms": "Specialism", "roles": "Role", "tracks": "Track", "credentials": "Credential",
              "pages": "Page", "forms": "Form", "packets": "Packet"}
# Where a change to a level's field is listed.
LEVEL_AREAS = {"competencies": "expectations", "statements": "expectations", "requirements": "requirements",
               "eligibility": "gates", "evidence": "evidence", "kpis": "kpis", "paths": "paths"}


# --------------------------------------------------------------------------- output

AREA_TITLES = {
    "levels": "Levels", "competencies": "Competencies", "expectations": "Expectations",
    "requirements": "Requirements", "gates": "Gates", "evidence": "Evidence and points", "kpis": "Indicators",
    "paths": "Career paths", "specialisms": "Specialisms", "roles": "Roles", "evaluation": "Evaluation weights",
    "anchors": "Anchor text", "framework": "Framework", "tracks": "Tracks", "credentials": "Credentials",
    "training": "Training", "glossary": "Glossary", "pages": "Pages", "forms": "Forms", "packets": "Packets",
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
