"""A synthetic career framework of any size, made from the shipped MA content's own text.

`generate(target, tracks=10, levels=10, competencies=100)` writes a project
(`target/content/...`) with `tracks × levels` levels and `competencies`
competencies. Every piece of prose is taken from the shipped framework
(competency descriptions, anchors, critical steps; level summaries,
responsibilities, requirements, evidence, KPIs and bodies; the pages,
glossary, training and credential catalogues; the forms and packets), so
pages are of realistic size and Markdown. Ids and cross-references are
rewritten so the result passes `ladderbuild check` with no errors.

Each track is a ladder: rank 1 is an entry level, each rank inherits the one
below and leads to the one above, and the expected stage of each of the
track's competencies rises with rank.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "content"
TRACK_KINDS = ("clinical", "leadership", "education", "specialty", "bridge", "other")
CORE = 10  # competencies every track expects; the rest are split between the tracks


class _Dumper(yaml.SafeDumper):
    """Plain YAML: no anchors or aliases (ladderbuild refuses them), long strings as block text."""

    def ignore_aliases(self, data) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _front_matter(path: Path) -> tuple[dict, str]:
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(head), body


def level_id(track: int, rank: int) -> str:
    return f"t{track:02d}-r{rank:02d}"


def generate(target: Path, tracks: int = 10, levels: int = 10, competencies: int = 100) -> Path:
    """Write the project into `target` (replacing its content/); returns `target`."""
    content = Path(target) / "content"
    if content.exists():
        shutil.rmtree(content)
    for sub in ("competencies", "levels", "forms", "packets", "pages"):
        (content / sub).mkdir(parents=True)
    for name in ("credentials.yaml", "training.yaml", "glossary.yaml", "changelog.yaml"):
        shutil.copy(SHIPPED / name, content / name)

    meta = yaml.safe_load((SHIPPED / "framework.yaml").read_text(encoding="utf-8"))
    shipped_domains = meta["domains"]
    domain_count = max(1, min(10, competencies // 10))
    meta["title"] = f"Synthetic Career Ladder ({tracks}×{levels}×{competencies})"
    meta["domains"] = [dict(d, id=f"domain-{i + 1:02d}", name=f"{d['name']} {i + 1}")
                       for i, d in enumerate(shipped_domains[i % len(shipped_domains)] for i in range(domain_count))]
    stages = [s["id"] for s in meta["stages"]]
    (content / "framework.yaml").write_text(_dump(meta), encoding="utf-8")

    comp_sources = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((SHIPPED / "competencies").glob("*.yaml"))]
    comp_ids = []
    for i in range(competencies):
        source = comp_sources[i % len(comp_sources)]
        comp = dict(source, id=f"{source['id']}-{i + 1:03d}", name=f"{source['name']} {i + 1}",
                    domain=meta["domains"][i % domain_count]["id"])
        comp_ids.append(comp["id"])
        (content / "competencies" / f"{comp['id']}.yaml").write_text(_dump(comp), encoding="utf-8")

    (content / "tracks.yaml").write_text(_dump([
        {"id": f"track-{t:02d}", "name": f"Track {t}", "kind": TRACK_KINDS[(t - 1) % len(TRACK_KINDS)],
         "description": f"Ladder number {t} of the synthetic framework: {levels} levels, each asking for more "
                        "independence, broader skills and more help to the rest of the team."}
        for t in range(1, tracks + 1)]), encoding="utf-8")

    level_sources = [_front_matter(p) for p in sorted((SHIPPED / "levels").glob("*.md"))]
    relink = _relinker([fm["id"] for fm, _ in level_sources], tracks, levels)
    core, rest = comp_ids[:CORE], comp_ids[CORE:]
    per_track = max(1, len(rest) // tracks) if rest else 0
    for t in range(1, tracks + 1):
        own = core + rest[(t - 1) * per_track:t * per_track]
        for r in range(1, levels + 1):
            source, body = level_sources[(t * levels + r) % len(level_sources)]
            stage = stages[min(len(stages) - 1, (r - 1) * len(stages) // levels)]
            level = {
                "id": level_id(t, r), "title": f"Track {t} level {r}", "short_title": f"T{t} L{r}",
                "track": f"track-{t:02d}", "rank": r,
            }
            if r == 1:
                level["entry"] = True
            else:
                level["inherits"] = level_id(t, r - 1)
            for key in ("summary", "responsibilities", "scope_notes", "requirements", "eligibility", "evidence"):
                if key in source:
                    level[key] = source[key]
            requirements = level.get("requirements")
            if isinstance(requirements, dict) and isinstance(requirements.get("time_in_level"), dict):
                requirements = level["requirements"] = dict(requirements)
                time_in_level = dict(requirements["time_in_level"])
                time_in_level.pop("level", None)
                requirements["time_in_level"] = time_in_level
            level["competencies"] = {c: stage for c in own}
            if "kpis" in source:
                level["kpis"] = source["kpis"]
            if r < levels:
                level["paths"] = [{"to": level_id(t, r + 1)}]
            text = "---\n" + _dump(level) + "---\n" + relink(body)
            (content / "levels" / f"{level['id']}.md").write_text(text, encoding="utf-8")

    for page in sorted((SHIPPED / "pages").glob("*.md")):
        (content / "pages" / page.name).write_text(relink(page.read_text(encoding="utf-8")), encoding="utf-8")
    non_entry = [level_id(t, r) for t in range(1, tracks + 1) for r in range(2, levels + 1)]
    entry = [level_id(t, 1) for t in range(1, tracks + 1)]
    for form in sorted((SHIPPED / "forms").glob("*.yaml")):
        data = yaml.safe_load(form.read_text(encoding="utf-8"))
        if data.get("levels") not in (None, "all"):
            data["levels"] = entry if data.get("type") == "ninety-day-review" else non_entry
        (content / "forms" / form.name).write_text(_dump(data), encoding="utf-8")
    for packet in sorted((SHIPPED / "packets").glob("*.yaml")):
        shutil.copy(packet, content / "packets" / packet.name)
    return Path(target)


SPECIALISM_LINK = re.compile(r"\[([^\]]+)\]\((?:\.\./)?specialisms/[^)]+\)")


def _relinker(shipped_levels: list[str], tracks: int, levels: int):
    """Links to shipped levels become links to synthetic ones (the same relative form)."""
    mapping = {old: level_id(1 + i % tracks, 1 + i % levels) for i, old in enumerate(shipped_levels)}
    pattern = re.compile(r"\]\(((?:\.\./levels/)?)(" + "|".join(map(re.escape, mapping)) + r")\.md")

    def relink(text: str) -> str:
        text = SPECIALISM_LINK.sub(r"\1", text)  # the synthetic framework has no specialisms: keep the words
        return pattern.sub(lambda m: f"]({m.group(1)}{mapping[m.group(2)]}.md", text)

    return relink


def competency_to_edit(project: Path) -> Path:
    """The competency file `edit_one_competency` edits."""
    return sorted((Path(project) / "content" / "competencies").glob("*.yaml"))[0]


def edit_one_competency(project: Path) -> Path:
    """Change one sentence of one competency (what an author does between two builds); returns the file."""
    path = competency_to_edit(project)
    text = path.read_text(encoding="utf-8")
    block = re.search(r"^description: [|>][-+]?\n( +)", text, re.M)
    if block:  # a block scalar: a new first line, indented like the others
        edited = text[:block.start(1)] + block.group(1) + "Revised after the last review.\n" + text[block.start(1):]
    else:
        edited = re.sub(r"^description: ", "description: Revised after the last review. ", text, count=1, flags=re.M)
    assert edited != text, f"no description to edit in {path}"
    path.write_text(edited, encoding="utf-8")
    return path


if __name__ == "__main__":  # python bench/synth.py DIR [tracks levels competencies]
    import sys

    args = [int(a) for a in sys.argv[2:]]
    print(generate(Path(sys.argv[1]), *args))
